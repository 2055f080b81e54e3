import { Body, Controller, Param } from '@nestjs/common';
import { messageTemplateBody, routes } from '@huoyue/shared';
import { CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { MessagingService } from '../messaging/index.js';
import { automationBody } from '@huoyue/shared';
import { AutomationReports } from './automation-report.service.js';
import { CampaignsService } from './campaigns.service.js';
import { PLAYBOOKS } from './playbooks.js';

const r = routes.campaigns;

@Controller()
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly reports: AutomationReports,
    private readonly messaging: MessagingService,
  ) {}

  @Contract(r.broadcast)
  async broadcast(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: In<typeof r.broadcast.body>,
  ) {
    return { queued: await this.campaigns.broadcast(staff, body) };
  }

  @Contract(r.list)
  async list() {
    return { items: await this.campaigns.list() };
  }

  @Contract(r.create)
  create(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.create.body>) {
    return this.campaigns.save(staff, body);
  }

  @Contract(r.update)
  update(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.update.params>,
    @Body() body: In<typeof r.update.body>,
  ) {
    return this.campaigns.save(staff, body, params.id);
  }

  @Contract(r.report)
  report(@Param() params: In<typeof r.report.params>) {
    return this.reports.report(params.id);
  }

  @Contract(r.playbooks)
  async playbooks() {
    const items = [];
    for (const p of PLAYBOOKS)
      items.push({
        code: p.code,
        name: p.name,
        audience: p.audience,
        description: p.description,
        installedAutomationId: (await this.campaigns.byPlaybook(p.code))?.id ?? null,
      });
    return { items };
  }

  /** Creates the playbook's message templates (reusing those already there by code) and its automation, once. */
  @Contract(r.installPlaybook)
  async install(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.installPlaybook.params>,
    @Body() body: In<typeof r.installPlaybook.body>,
  ) {
    const playbook = PLAYBOOKS.find((p) => p.code === params.code)!;
    if (await this.campaigns.byPlaybook(playbook.code))
      throw new DomainError('CONFLICT', '该方案已安装，可在自动化列表中修改');
    const existing = await this.messaging.templates();
    const ids: number[] = [];
    for (const t of playbook.templates) {
      const found = existing.find((e) => e.code === t.code);
      ids.push(
        found
          ? found.id
          : (await this.messaging.saveTemplate(staff, messageTemplateBody.parse(t))).id,
      );
    }
    return this.campaigns.save(
      staff,
      automationBody.parse(playbook.automation(ids, body.couponTemplateId)),
      undefined,
      playbook.code,
    );
  }
}
