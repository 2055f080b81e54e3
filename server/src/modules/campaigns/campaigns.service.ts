import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, MoreThan } from 'typeorm';
import { addDays, brandDay, type AutomationTrigger } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { Actor } from '../../infra/auth/token.service.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { claimRequestKey } from '../../infra/idempotency/request-keys.js';
import { CheckinsService } from '../checkins/index.js';
import { CouponsService } from '../coupons/index.js';
import { dayNumber } from '../lifecycle/index.js';
import type { MemberLifecycle } from '../lifecycle/index.js';
import { LifecycleReports } from '../lifecycle/index.js';
import { MessagingService } from '../messaging/index.js';
import type { Variables } from '../messaging/index.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import { PointsReports, PointsService } from '../points/index.js';
import { SwrCache } from '../../infra/settings/swr-cache.js';
import { AuditService } from '../staff/index.js';
import { Automation, AutomationEnrollment } from './campaign.entities.js';
import { inControlGroup } from './control-group.js';

/**
 * Automations (journeys): a trigger (an event, or a daily scan) enrols qualifying members, once per dedupe window;
 * a deterministic share is held out as the control group; the rest get the actions (coupon, points, message with
 * channel fallback). Conversions (a purchase or check-in within N days) are recorded for both groups, so the report
 * measures the uplift rather than guessing it.
 */
@Injectable()
export class CampaignsService {
  /**
   * Active automations, read on every triggering event (a recompute can publish a million): cached for a few
   * seconds.
   */
  private readonly active: SwrCache<Automation[]>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly messaging: MessagingService,
    private readonly coupons: CouponsService,
    private readonly points: PointsService,
    private readonly pointsReports: PointsReports,
    private readonly members: MemberDirectory,
    private readonly lifecycle: LifecycleReports,
    private readonly checkins: CheckinsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.active = new SwrCache(
      () => this.dataSource.getRepository(Automation).findBy({ active: true }),
      5_000,
    );
  }

  /** After staff changed an automation: the active list now, not after the cache's few seconds. */
  async reloadActive(): Promise<void> {
    this.active.set(await this.dataSource.getRepository(Automation).findBy({ active: true }));
  }

  async hasActive(
    type: AutomationTrigger['type'],
    match: (t: AutomationTrigger) => boolean = () => true,
  ): Promise<boolean> {
    return (await this.active.get()).some((a) => a.trigger.type === type && match(a.trigger));
  }

  /** An event happened to a member: every active automation on that trigger considers them. */
  async trigger(
    type: AutomationTrigger['type'],
    memberId: number,
    variables: Variables = {},
    match: (t: AutomationTrigger) => boolean = () => true,
    now = new Date(),
  ): Promise<number> {
    const automations = (await this.active.get()).filter(
      (a) => a.trigger.type === type && match(a.trigger),
    );
    let enrolled = 0;
    for (const automation of automations)
      if (await this.enroll(automation, memberId, variables, now)) enrolled++;
    return enrolled;
  }

  /**
   * Enrols a member if the conditions hold and the dedupe window allows; the treatment group gets the actions in a
   * second transaction (a sold-out coupon must not undo the enrolment: the reason is kept on it instead).
   */
  async enroll(
    automation: Automation,
    memberId: number,
    variables: Variables,
    now: Date,
  ): Promise<boolean> {
    const qualified = await this.qualify(automation, memberId);
    if (!qualified) return false;
    const { facts } = qualified;
    const repo = this.dataSource.getRepository(AutomationEnrollment);
    const recent = await repo.findOneBy({
      automationId: automation.id,
      memberId,
      enrolledAt: MoreThan(new Date(now.getTime() - automation.dedupeDays * 86_400_000)),
    });
    if (recent) return false;
    // Days since the member last bought or came by, for messages that say so.
    const lastVisit = Math.max(facts?.lastDn ?? -1, facts?.lastInteractionDn ?? -1);
    if (lastVisit >= 0)
      variables = {
        daysSinceLastVisit: dayNumber(brandDay(now, this.config.brandTimezone)) - lastVisit,
        ...variables,
      };
    const grp = inControlGroup(automation.id, memberId, automation.controlPercent)
      ? 'control'
      : 'treatment';
    const enrollment = await this.claim(automation, memberId, grp, now);
    if (!enrollment) return false;
    if (grp === 'control') return true;
    await this.act(automation, memberId, enrollment.id, variables);
    return true;
  }

  /**
   * Whether the member meets the automation's conditions; if so, with the member's lifecycle row, whose one read
   * serves the conditions and the "days since last visit" variable.
   */
  private async qualify(
    automation: Automation,
    memberId: number,
  ): Promise<{ facts: MemberLifecycle | null } | null> {
    const profile = await this.members.profile(memberId);
    if (!profile || profile.status !== 'member') return null;
    const c = automation.conditions;
    if (c.tiers.length > 0 && !c.tiers.includes(profile.tierCode ?? '')) return null;
    if (c.stages.length > 0 && !c.stages.includes(profile.stage)) return null;
    const facts = await this.lifecycle.memberRow(memberId);
    if (c.segments.length > 0 || c.lowFrequency !== null) {
      if (c.segments.length > 0 && !(facts?.segment && c.segments.includes(facts.segment)))
        return null;
      if (c.lowFrequency !== null && Boolean(facts?.lowFrequency) !== c.lowFrequency) return null;
    }
    return { facts };
  }

  /** Records the enrolment under the current dedupe window; answers it if this delivery's row is the one kept. */
  private async claim(
    automation: Automation,
    memberId: number,
    grp: 'treatment' | 'control',
    now: Date,
  ): Promise<AutomationEnrollment | null> {
    const repo = this.dataSource.getRepository(AutomationEnrollment);
    const windowKey = Math.floor(
      dayNumber(brandDay(now, this.config.brandTimezone)) / automation.dedupeDays,
    );
    await repo
      .createQueryBuilder()
      .insert()
      .values({
        automationId: automation.id,
        memberId,
        grp,
        windowKey,
        enrolledAt: now,
        convertedAt: null,
        error: null,
      })
      .orIgnore()
      .execute();
    // Ours only if the row under the window carries this moment (a concurrent delivery's row carries its own).
    const enrollment = await repo.findOneBy({ automationId: automation.id, memberId, windowKey });
    if (!enrollment || enrollment.enrolledAt.getTime() !== now.getTime()) return null;
    return enrollment;
  }

  /** The treatment group's actions: coupon, points, messages; a domain refusal is kept on the enrolment. */
  private async act(
    automation: Automation,
    memberId: number,
    enrollmentId: number,
    variables: Variables,
  ): Promise<void> {
    try {
      await this.uow.run(async (tx) => {
        const vars: Variables = { ...variables };
        if (automation.actions.couponTemplateId) {
          const { template } = await this.coupons.issue(
            tx,
            memberId,
            automation.actions.couponTemplateId,
            'issued',
            `automation:${enrollmentId}`,
          );
          vars.couponName = template.name;
        }
        if (automation.actions.points > 0) {
          await this.points.credit(tx, {
            memberId,
            type: 'reward',
            points: automation.actions.points,
            key: `automation:${enrollmentId}`,
            sourceType: 'automation',
            sourceRef: String(automation.id),
            reason: automation.name,
          });
        }
        if (automation.actions.messageTemplateIds.length > 0) {
          await this.messaging.enqueue(tx, {
            memberId,
            templateIds: automation.actions.messageTemplateIds,
            dedupeKey: `automation:${enrollmentId}`,
            automationId: automation.id,
            variables: vars,
          });
        }
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.dataSource
        .getRepository(AutomationEnrollment)
        .update({ id: enrollmentId }, { error: err.message.slice(0, 120) });
    }
  }

  /** A purchase or check-in: open enrolments of this member whose window covers it are converted (both groups). */
  async convert(memberId: number, kind: 'purchase' | 'checkin', at: Date): Promise<number> {
    return this.convertMany(kind, [{ memberId, at }]);
  }

  /**
   * `convert` for many actions at once (a consumer's batch), in their order: one read of the open enrolments of all
   * their members (usually none), then one conditional update per conversion, as one call each would do.
   */
  async convertMany(
    kind: 'purchase' | 'checkin',
    actions: { memberId: number; at: Date }[],
  ): Promise<number> {
    if (actions.length === 0) return 0;
    const earliest = Math.min(...actions.map((a) => a.at.getTime()));
    const open = await this.dataSource.getRepository(AutomationEnrollment).findBy({
      memberId: In([...new Set(actions.map((a) => a.memberId))]),
      convertedAt: IsNull(),
      enrolledAt: MoreThan(new Date(earliest - 90 * 86_400_000)),
    });
    if (open.length === 0) return 0;
    const automations = new Map(
      (
        await this.dataSource
          .getRepository(Automation)
          .findBy({ id: In([...new Set(open.map((e) => e.automationId))]) })
      ).map((a) => [a.id, a]),
    );
    let converted = 0;
    const done = new Set<number>();
    for (const { memberId, at } of actions) {
      for (const e of open) {
        const a = automations.get(e.automationId);
        if (
          e.memberId !== memberId ||
          done.has(e.id) ||
          !a ||
          a.conversion.kind !== kind ||
          at < e.enrolledAt ||
          at.getTime() - e.enrolledAt.getTime() > a.conversion.days * 86_400_000
        )
          continue;
        // One call per action would read this enrolment as open only until its first conversion.
        done.add(e.id);
        const result = await this.dataSource
          .getRepository(AutomationEnrollment)
          .update({ id: e.id, convertedAt: IsNull() }, { convertedAt: at });
        converted += result.affected ?? 0;
      }
    }
    return converted;
  }

  /**
   * One message to every member of some stages and segments, queued set-based; a repeated request queues nothing
   * new.
   */
  async broadcast(
    actor: Actor,
    input: {
      templateId: number;
      fallbackTemplateIds: number[];
      stages: string[];
      segments: string[];
      requestId: string;
    },
  ): Promise<number> {
    for (const id of [input.templateId, ...input.fallbackTemplateIds])
      if (!(await this.messaging.template(id)))
        throw new DomainError('NOT_FOUND', `消息模板 ${id} 不存在`);
    const audience = this.lifecycle.audienceQuery(input);
    const { requestId: _key, ...request } = input;
    return this.uow.run(async (tx) => {
      await claimRequestKey(tx.em, 'message.broadcast', input.requestId, request);
      const queued = await this.messaging.enqueueAudience(tx, {
        templateIds: [input.templateId, ...input.fallbackTemplateIds],
        dedupePrefix: `broadcast:${input.requestId}:`,
        audience: audience.sql,
        params: audience.params,
      });
      await this.audit.record(tx, actor, {
        action: 'message.broadcast',
        entityType: 'message_template',
        entityId: input.templateId,
        after: { stages: input.stages, segments: input.segments, queued },
      });
      return queued;
    });
  }

  /**
   * The daily triggers: birthdays, members who joined N days ago without buying, check-in streaks that broke
   * yesterday.
   */
  async daily(now: Date): Promise<number> {
    const scanned = (t: AutomationTrigger) =>
      ['birthday', 'joined_no_purchase', 'streak_broken'].includes(t.type) ||
      ((t.type === 'points_expiring' || t.type === 'coupon_expiring') && t.days !== null);
    const automations = (await this.active.get()).filter((a) => scanned(a.trigger));
    const today = brandDay(now, this.config.brandTimezone);
    let enrolled = 0;
    for (const automation of automations) {
      const audience = await this.dailyAudience(automation.trigger, today);
      for (const { memberId, variables } of audience)
        if (await this.enroll(automation, memberId, variables, now)) enrolled++;
    }
    return enrolled;
  }

  /** The members a daily trigger selects today, with the variables their messages may use. */
  private async dailyAudience(
    t: AutomationTrigger,
    today: string,
  ): Promise<{ memberId: number; variables: Variables }[]> {
    switch (t.type) {
      case 'birthday':
        return (await this.lifecycle.birthdays(today)).map((memberId) => ({
          memberId,
          variables: {},
        }));
      case 'joined_no_purchase':
        return (await this.lifecycle.joinedWithoutPurchase(today, t.days)).map((memberId) => ({
          memberId,
          variables: {},
        }));
      case 'streak_broken':
        return (await this.checkins.streaksBrokenBefore(today, t.minStreak)).map((s) => ({
          memberId: s.memberId,
          variables: { streak: s.streak },
        }));
      case 'points_expiring': {
        if (t.days === null) return [];
        const expiringOn = addDays(today, t.days);
        return (await this.pointsReports.expiringOn(expiringOn)).map((p) => ({
          memberId: p.memberId,
          variables: { expiringPoints: p.points, expiringOn },
        }));
      }
      case 'coupon_expiring': {
        if (t.days === null) return [];
        const validTo = addDays(today, t.days);
        return (await this.coupons.expiringOn(validTo)).map((c) => ({
          memberId: c.memberId,
          variables: { couponName: c.templateName, couponValidTo: validTo },
        }));
      }
      default:
        return [];
    }
  }
}
