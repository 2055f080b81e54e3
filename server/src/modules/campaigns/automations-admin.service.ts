import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { automationBody, messageTemplateBody } from '@huoyue/shared';
import type { automationView, PLAYBOOK_CODES } from '@huoyue/shared';
import type { z } from 'zod';
import type { Actor } from '../../infra/auth/token.service.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError, notFound } from '../../infra/http/domain-error.js';
import { CouponsService } from '../coupons/index.js';
import { MessagingService } from '../messaging/index.js';
import { AuditService } from '../staff/index.js';
import { Automation, AutomationEnrollment } from './campaign.entities.js';
import { CampaignsService } from './campaigns.service.js';
import { PLAYBOOKS } from './playbooks.js';

type AutomationBody = z.output<typeof automationBody>;
type AutomationView = z.output<typeof automationView>;

/**
 * Staff's side of automations: create, edit, pause and resume, delete, install a playbook. What staff may change
 * once members entered is limited to what does not change the experiment, so a report stays about one definition.
 */
@Injectable()
export class AutomationsAdmin {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly messaging: MessagingService,
    private readonly coupons: CouponsService,
    private readonly campaigns: CampaignsService,
  ) {}

  async list(): Promise<AutomationView[]> {
    const rows = await this.dataSource.getRepository(Automation).find({ order: { id: 'ASC' } });
    const counts = (await this.dataSource.query(
      'SELECT automation_id AS id, COUNT(*) AS n FROM automation_enrollment GROUP BY automation_id',
    )) as { id: number; n: number }[];
    const entered = new Map(counts.map((c) => [Number(c.id), Number(c.n)]));
    return rows.map((a) => view(a, entered.get(a.id) ?? 0));
  }

  private entered(id: number): Promise<number> {
    return this.dataSource.getRepository(AutomationEnrollment).countBy({ automationId: id });
  }

  async save(
    actor: Actor,
    input: AutomationBody,
    id?: number,
    playbook: string | null = null,
  ): Promise<AutomationView> {
    for (const templateId of input.actions.messageTemplateIds)
      if (!(await this.messaging.template(templateId)))
        throw new DomainError('NOT_FOUND', '所选的消息模板不存在，请重新选择');
    if (input.actions.couponTemplateId !== null)
      await this.checkCoupon(input.actions.couponTemplateId);
    const entered = id ? await this.entered(id) : 0;
    const saved = await this.uow.run(async (tx) => {
      const before = id ? await tx.em.findOneBy(Automation, { id }) : null;
      if (id && !before) throw notFound('自动化');
      if (before && entered > 0) assertSameExperiment(before, input);
      const row = await tx.em.save(
        Automation,
        tx.em.create(Automation, {
          ...(before ?? {}),
          ...input,
          playbook: before?.playbook ?? playbook,
        }),
      );
      await this.audit.record(tx, actor, {
        action: id ? 'automation.update' : 'automation.create',
        entityType: 'automation',
        entityId: row.id,
        before,
        after: input,
      });
      return row;
    });
    await this.campaigns.reloadActive();
    return view(saved, entered);
  }

  /**
   * The coupon an automation gives must exist, be on, and be open to direct issuing (the 定向发放 channel):
   * otherwise every member it enrols would get nothing but an error.
   */
  private async checkCoupon(templateId: number): Promise<void> {
    const template = (await this.coupons.templates()).find((t) => t.id === templateId);
    if (!template) throw new DomainError('NOT_FOUND', '所选的优惠券不存在，请重新选择');
    if (!template.active)
      throw new DomainError(
        'BUSINESS_RULE',
        `优惠券「${template.name}」已停用，请换一张或先启用它`,
      );
    if (!template.channels.includes('issued'))
      throw new DomainError(
        'BUSINESS_RULE',
        `优惠券「${template.name}」未开启「定向发放」渠道，自动化无法发放它；请先为它开启定向发放`,
        { couponTemplateId: templateId, missingChannel: 'issued' },
      );
  }

  async setActive(actor: Actor, id: number, active: boolean): Promise<AutomationView> {
    const saved = await this.uow.run(async (tx) => {
      const before = await tx.em.findOneBy(Automation, { id });
      if (!before) throw notFound('自动化');
      await tx.em.update(Automation, { id }, { active });
      await this.audit.record(tx, actor, {
        action: active ? 'automation.resume' : 'automation.pause',
        entityType: 'automation',
        entityId: id,
        before: { active: before.active },
        after: { active },
      });
      return { ...before, active };
    });
    await this.campaigns.reloadActive();
    return view(saved, await this.entered(id));
  }

  /** Deletes an automation nobody entered; one with members keeps its report and is paused instead. */
  async remove(actor: Actor, id: number): Promise<void> {
    await this.uow.run(async (tx) => {
      const before = await tx.em.findOneBy(Automation, { id });
      if (!before) throw notFound('自动化');
      const entered = await tx.em.countBy(AutomationEnrollment, { automationId: id });
      if (entered > 0)
        throw new DomainError(
          'CONFLICT',
          `已有 ${entered} 位会员进入「${before.name}」，保留它以便查看报表，不能删除；可以停用它`,
          { suggest: 'deactivate' },
        );
      await tx.em.delete(Automation, { id });
      await this.audit.record(tx, actor, {
        action: 'automation.delete',
        entityType: 'automation',
        entityId: id,
        before,
        after: null,
      });
    });
    await this.campaigns.reloadActive();
  }

  async byPlaybook(code: string): Promise<Automation | null> {
    return this.dataSource.getRepository(Automation).findOneBy({ playbook: code });
  }

  /**
   * Creates the playbook's message templates (reusing those already there by code) and its automation, once. A
   * playbook whose messages tell the member a coupon arrived needs the coupon: installing without one is refused
   * rather than sending a promise with nothing behind it.
   */
  async install(
    actor: Actor,
    code: (typeof PLAYBOOK_CODES)[number],
    couponTemplateId: number | null,
  ): Promise<AutomationView> {
    const playbook = PLAYBOOKS.find((p) => p.code === code)!;
    if (await this.byPlaybook(playbook.code))
      throw new DomainError('CONFLICT', '该方案已安装，可在自动化列表中修改');
    if (playbook.coupon === 'required' && couponTemplateId === null)
      throw new DomainError(
        'VALIDATION_FAILED',
        `「${playbook.name}」会在消息里告诉会员券已到账，请选择要发放的优惠券`,
        { field: 'couponTemplateId' },
      );
    if (playbook.coupon === 'none' && couponTemplateId !== null)
      throw new DomainError('VALIDATION_FAILED', `「${playbook.name}」不发优惠券，无需选择`);
    if (couponTemplateId !== null) await this.checkCoupon(couponTemplateId);
    const existing = await this.messaging.templates();
    const ids: number[] = [];
    for (const t of playbook.templates) {
      const found = existing.find((e) => e.code === t.code);
      ids.push(
        found
          ? found.id
          : (await this.messaging.saveTemplate(actor, messageTemplateBody.parse(t))).id,
      );
    }
    return this.save(
      actor,
      automationBody.parse(playbook.automation(ids, couponTemplateId)),
      undefined,
      playbook.code,
    );
  }
}

/** Once members entered, the trigger, the control share and what counts as a conversion stay as they were. */
function assertSameExperiment(before: Automation, input: AutomationBody): void {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (
    !same(before.trigger, input.trigger) ||
    before.controlPercent !== input.controlPercent ||
    !same(before.conversion, input.conversion)
  )
    throw new DomainError(
      'CONFLICT',
      '已有会员进入这个自动化，触发条件、对照组比例和转化口径不能再改（否则报表前后口径不一）；可以新建一个自动化',
    );
}

function view(a: Automation, entered: number): AutomationView {
  return {
    id: a.id,
    name: a.name,
    playbook: a.playbook,
    trigger: a.trigger,
    conditions: a.conditions,
    actions: a.actions,
    dedupeDays: a.dedupeDays,
    controlPercent: a.controlPercent,
    conversion: a.conversion,
    active: a.active,
    entered,
  };
}
