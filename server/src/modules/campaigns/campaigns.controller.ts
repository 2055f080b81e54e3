import { Body, Controller, Param } from '@nestjs/common';
import { routes } from '@huoyue/shared';
import { CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { AutomationReports } from './automation-report.service.js';
import { AutomationsAdmin } from './automations-admin.service.js';
import { CampaignsService } from './campaigns.service.js';
import { PLAYBOOKS } from './playbooks.js';

const r = routes.campaigns;

@Controller()
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly admin: AutomationsAdmin,
    private readonly reports: AutomationReports,
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
    return { items: await this.admin.list() };
  }

  @Contract(r.create)
  create(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.create.body>) {
    return this.admin.save(staff, body);
  }

  @Contract(r.update)
  update(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.update.params>,
    @Body() body: In<typeof r.update.body>,
  ) {
    return this.admin.save(staff, body, params.id);
  }

  @Contract(r.setActive)
  setActive(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.setActive.params>,
    @Body() body: In<typeof r.setActive.body>,
  ) {
    return this.admin.setActive(staff, params.id, body.active);
  }

  @Contract(r.remove)
  async remove(@CurrentStaff() staff: StaffPrincipal, @Param() params: In<typeof r.remove.params>) {
    await this.admin.remove(staff, params.id);
    return { deleted: true as const };
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
        coupon: p.coupon,
        installedAutomationId: (await this.admin.byPlaybook(p.code))?.id ?? null,
      });
    return { items };
  }

  @Contract(r.installPlaybook)
  install(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.installPlaybook.params>,
    @Body() body: In<typeof r.installPlaybook.body>,
  ) {
    return this.admin.install(staff, params.code, body.couponTemplateId);
  }
}
