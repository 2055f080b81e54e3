import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import {
  addMonths,
  brandDay,
  startOfBrandDay,
  type myTiers,
  type tierView,
  type updateTierBody,
} from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { UnitOfWork, type Tx } from '../../infra/events/unit-of-work.js';
import { SwrCache } from '../../infra/settings/swr-cache.js';
import { findOneForUpdate } from '../../infra/database/locks.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { PointsService } from '../points/index.js';
import { AuditService } from '../staff/index.js';
import { Member } from './entities/member.entity.js';
import { TierHistory } from './entities/tier-history.entity.js';
import { Tier, type TierBenefits } from './entities/tier.entity.js';
import { DEFAULT_TIERS } from './default-tiers.js';

type TierView = z.output<typeof tierView>;
type MyTiers = z.output<typeof myTiers>;

const DEFAULT_BENEFITS: TierBenefits = {
  pointsMultiplier: 1,
  birthdayCoupon: null,
  freeShipping: false,
  exclusiveItems: false,
  perks: [],
};

/**
 * The tier ladder and each member's place on it. A member moves up as soon as growth passes a higher threshold
 * (a new period starts); at the end of a period the tier is kept when the growth earned in it reaches the tier's
 * retention bar, else it drops (one level, or to what the period's growth earns), and growth is reset to the new
 * tier's threshold so the member climbs again from there. Every change is in `tier_history` and emits
 * `member.tier_changed`.
 */
@Injectable()
export class TierService {
  private readonly cache = new SwrCache(
    () => this.dataSource.getRepository(Tier).find({ order: { rank: 'ASC' } }),
    30_000,
  );
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly points: PointsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Read on every card view and changed rarely: kept in memory for a short while. */
  ladder(): Promise<Tier[]> {
    return this.cache.get();
  }

  async byCode(code: string | null): Promise<Tier | undefined> {
    if (!code) return undefined;
    return (await this.ladder()).find((t) => t.code === code);
  }

  async entryTier(): Promise<Tier | undefined> {
    return (await this.ladder())[0];
  }

  /** A brand with no ladder yet gets the default one, so every member has an entry tier. */
  async ensureLadder(): Promise<void> {
    const tiers = this.dataSource.getRepository(Tier);
    if ((await tiers.count()) === 0) await tiers.insert(DEFAULT_TIERS);
    await this.reload();
  }

  /** Reloads the ladder now (after staff changed it; outside any transaction). */
  async reload(): Promise<void> {
    await this.cache.refresh();
  }

  toView(t: Tier): TierView {
    return {
      code: t.code,
      name: t.name,
      rank: t.rank,
      growthThreshold: t.growthThreshold,
      retentionGrowth: t.retentionGrowth,
      validityMonths: t.validityMonths,
      benefits: { ...DEFAULT_BENEFITS, ...(t.benefits ?? {}) },
    };
  }

  /**
   * Changes a tier (audited). In `tx` when given (a change made together with others, e.g. a simulated rule set
   * applied at once): the ladder cache reloads after that transaction commits.
   */
  async update(
    actor: StaffPrincipal,
    code: string,
    input: z.output<typeof updateTierBody>,
    outer?: Tx,
  ): Promise<TierView> {
    if (outer) {
      const saved = await this.updateIn(outer, actor, code, input);
      outer.afterCommit(() => void this.reload().catch(() => undefined));
      return saved;
    }
    const saved = await this.uow.run((tx) => this.updateIn(tx, actor, code, input));
    await this.reload();
    return saved;
  }

  private async updateIn(
    tx: Tx,
    actor: StaffPrincipal,
    code: string,
    input: z.output<typeof updateTierBody>,
  ): Promise<TierView> {
    const tier = await tx.em.findOneBy(Tier, { code });
    if (!tier) throw new DomainError('NOT_FOUND', '等级不存在');
    const before = this.toView(tier);
    if (input.growthThreshold !== undefined) {
      const ladder = await tx.em.find(Tier, { order: { rank: 'ASC' } });
      const below = ladder.find((t) => t.rank === tier.rank - 1);
      const above = ladder.find((t) => t.rank === tier.rank + 1);
      if (tier.rank === 0 && input.growthThreshold !== 0)
        throw new DomainError('BUSINESS_RULE', '入门等级的成长值门槛必须为 0');
      if (
        (below && input.growthThreshold <= below.growthThreshold) ||
        (above && input.growthThreshold >= above.growthThreshold)
      ) {
        throw new DomainError('BUSINESS_RULE', '成长值门槛必须高于下一级、低于上一级');
      }
    }
    const next: Partial<Tier> = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.growthThreshold !== undefined ? { growthThreshold: input.growthThreshold } : {}),
      ...(input.retentionGrowth !== undefined ? { retentionGrowth: input.retentionGrowth } : {}),
      ...(input.validityMonths !== undefined ? { validityMonths: input.validityMonths } : {}),
      ...(input.benefits !== undefined
        ? {
            benefits: {
              ...DEFAULT_BENEFITS,
              ...(tier.benefits ?? {}),
              ...input.benefits,
            },
          }
        : {}),
    };
    await tx.em.update(Tier, { id: tier.id }, next);
    const after = this.toView((await tx.em.findOneBy(Tier, { id: tier.id }))!);
    await this.audit.record(tx, actor, {
      action: 'tier.update',
      entityType: 'tier',
      entityId: code,
      before,
      after,
    });
    return after;
  }

  /** Upgrades a member whose growth now passes a higher threshold. Idempotent: a second call finds nothing to do. */
  async upgradeIfDue(memberId: number, at?: Date): Promise<void> {
    const ladder = await this.ladder();
    // A read outside any transaction first: most calls find the member already at the right tier.
    const [seen, account] = await Promise.all([
      this.dataSource
        .getRepository(Member)
        .findOne({ where: { id: memberId }, select: { id: true, tierCode: true, status: true } }),
      this.points.account(memberId),
    ]);
    const reachable = [...ladder]
      .reverse()
      .find((t) => (account?.growth ?? 0) >= t.growthThreshold);
    const held = ladder.find((t) => t.code === seen?.tierCode);
    if (!seen || seen.status !== 'member' || !reachable || (held && reachable.rank <= held.rank))
      return;
    await this.uow.run(async (tx) => {
      const member = await findOneForUpdate(tx.em, Member, { id: memberId });
      if (!member || member.status !== 'member') return;
      const account = await this.points.account(memberId, tx);
      const growth = account?.growth ?? 0;
      const current = ladder.find((t) => t.code === member.tierCode);
      const target = [...ladder].reverse().find((t) => growth >= t.growthThreshold);
      if (!target || (current && target.rank <= current.rank)) return;
      // Stamped once the member row is ours, not when the call began: orders that went in while this waited earned
      // at the old tier, and the tier history says so (the rule simulator's as-of join reads it).
      await this.move(tx, member, target, 'upgrade', growth, null, at ?? new Date());
    });
  }

  /**
   * Ends tier periods that are over as of `asOf`: keeps the tier for another period when the period's growth
   * reaches the retention bar, else drops it. Safe to run again: a member whose period was renewed or dropped
   * has a new end date.
   */
  async endPeriods(asOf: Date): Promise<number> {
    const rules = await this.points.rules();
    const ladder = await this.ladder();
    const due = await this.dataSource
      .getRepository(Member)
      .createQueryBuilder('m')
      .select(['m.id'])
      .where(
        "m.status = 'member' AND m.tier_expires_at IS NOT NULL AND m.tier_expires_at <= :asOf",
        { asOf },
      )
      .limit(5000)
      .getMany();
    let changed = 0;
    for (const { id } of due) {
      await this.uow.run(async (tx) => {
        const member = await findOneForUpdate(tx.em, Member, { id });
        if (!member || !member.tierExpiresAt || member.tierExpiresAt > asOf || !member.tierSince)
          return;
        const current = ladder.find((t) => t.code === member.tierCode);
        if (!current) return;
        const periodGrowth = await this.points.growthSince(id, member.tierSince, tx);
        const account = await this.points.account(id, tx);
        const growth = account?.growth ?? 0;
        if (periodGrowth >= current.retentionGrowth) {
          // Kept: the next period starts where this one ended.
          await tx.em.update(
            Member,
            { id },
            {
              tierSince: member.tierExpiresAt,
              tierExpiresAt: this.periodEnd(current, member.tierExpiresAt),
              tierNoticeFor: null,
            },
          );
          await tx.em.insert(TierHistory, {
            memberId: id,
            fromTier: current.code,
            toTier: current.code,
            reason: 'retained',
            growth,
            periodGrowth,
            at: asOf,
          });
          changed++;
          return;
        }
        const lower =
          rules.downgrade === 'one_level'
            ? ladder.find((t) => t.rank === current.rank - 1)
            : [...ladder]
                .reverse()
                .find((t) => t.rank < current.rank && periodGrowth >= t.retentionGrowth);
        const target = lower ?? ladder[0]!;
        await this.move(
          tx,
          member,
          target,
          'downgrade',
          growth,
          periodGrowth,
          member.tierExpiresAt,
        );
        // Growth restarts at the new tier's threshold, so the member is not upgraded straight back.
        if (growth > target.growthThreshold) {
          await this.points.setGrowth(tx, {
            memberId: id,
            growth: target.growthThreshold,
            key: `tier-reset:${id}:${member.tierExpiresAt.toISOString()}`,
            sourceType: 'tier',
            sourceRef: target.code,
            reason: `等级有效期结束，成长值调整为${target.name}门槛`,
            at: asOf,
          });
        }
        changed++;
      });
    }
    return changed;
  }

  /**
   * Warns, once per period, members whose tier ends within the notice days and who have not yet earned enough to
   * keep it.
   */
  async retentionNotices(asOf: Date): Promise<number> {
    const rules = await this.points.rules();
    const until = new Date(asOf.getTime() + rules.noticeDays * 86_400_000);
    const ladder = await this.ladder();
    const due = await this.dataSource
      .getRepository(Member)
      .createQueryBuilder('m')
      .where(
        `m.status = 'member' AND m.tier_expires_at > :asOf AND m.tier_expires_at <= :until
         AND (m.tier_notice_for IS NULL OR m.tier_notice_for <> m.tier_expires_at)`,
        { asOf, until },
      )
      .limit(5000)
      .getMany();
    let sent = 0;
    for (const member of due) {
      const tier = ladder.find((t) => t.code === member.tierCode);
      if (!tier || !member.tierSince || !member.tierExpiresAt) continue;
      const periodGrowth = await this.points.growthSince(member.id, member.tierSince);
      const needed = tier.retentionGrowth - periodGrowth;
      if (needed <= 0) continue;
      await this.uow.run(async (tx) => {
        const claimed = await tx.em
          .createQueryBuilder()
          .update(Member)
          .set({ tierNoticeFor: member.tierExpiresAt })
          .where('id = :id AND (tier_notice_for IS NULL OR tier_notice_for <> :expires)', {
            id: member.id,
            expires: member.tierExpiresAt,
          })
          .execute();
        if ((claimed.affected ?? 0) === 0) return;
        await tx.publish('member.tier_at_risk', {
          memberId: member.id,
          tierCode: tier.code,
          expiresAt: member.tierExpiresAt!.toISOString(),
          growthNeeded: needed,
          at: asOf.toISOString(),
        });
        sent++;
      });
    }
    return sent;
  }

  /**
   * Places an imported member on the ladder (their tier in the old system); a new period starts now. No event:
   * history is not news.
   */
  async importTier(tx: Tx, memberId: number, code: string, at: Date): Promise<void> {
    const target = (await this.ladder()).find((t) => t.code === code);
    if (!target) throw new DomainError('BUSINESS_RULE', `等级 ${code} 不存在`);
    const member = await findOneForUpdate(tx.em, Member, { id: memberId });
    if (!member || member.tierCode === code) return;
    await tx.em.update(
      Member,
      { id: memberId },
      {
        tierCode: code,
        tierSince: at,
        tierExpiresAt: this.periodEnd(target, at),
        tierNoticeFor: null,
      },
    );
    await tx.em.insert(TierHistory, {
      memberId,
      fromTier: member.tierCode,
      toTier: code,
      reason: 'import',
      growth: 0,
      periodGrowth: null,
      at,
    });
  }

  async mine(memberId: number): Promise<MyTiers> {
    const ladder = await this.ladder();
    const member = await this.dataSource.getRepository(Member).findOneBy({ id: memberId });
    if (!member) throw new DomainError('UNAUTHENTICATED', '登录状态无效，请重新登录');
    const account = await this.points.account(memberId);
    const growth = account?.growth ?? 0;
    const current = ladder.find((t) => t.code === member.tierCode);
    const next = current ? ladder.find((t) => t.rank === current.rank + 1) : ladder[0];
    const periodGrowth = member.tierSince
      ? await this.points.growthSince(memberId, member.tierSince)
      : 0;
    return {
      ladder: ladder.map((t) => this.toView(t)),
      current: {
        code: member.tierCode,
        since: member.tierSince?.toISOString() ?? null,
        expiresAt: member.tierExpiresAt?.toISOString() ?? null,
        growth,
        growthThisPeriod: periodGrowth,
        toNext: next
          ? {
              code: next.code,
              name: next.name,
              growthNeeded: Math.max(0, next.growthThreshold - growth),
            }
          : null,
        toKeep:
          current && member.tierExpiresAt
            ? Math.max(0, current.retentionGrowth - periodGrowth)
            : null,
      },
    };
  }

  /** The instant a period that starts at `from` ends: the end of the brand-local day `validityMonths` later. */
  periodEnd(tier: Tier, from: Date): Date | null {
    if (tier.validityMonths <= 0 || tier.rank === 0) return null;
    const day = addMonths(brandDay(from, this.config.brandTimezone), tier.validityMonths);
    return startOfBrandDay(day, this.config.brandTimezone);
  }

  private async move(
    tx: Tx,
    member: Member,
    target: Tier,
    reason: 'upgrade' | 'downgrade',
    growth: number,
    periodGrowth: number | null,
    at: Date,
  ): Promise<void> {
    await tx.em.update(
      Member,
      { id: member.id },
      {
        tierCode: target.code,
        tierSince: at,
        tierExpiresAt: this.periodEnd(target, at),
        tierNoticeFor: null,
      },
    );
    await tx.em.insert(TierHistory, {
      memberId: member.id,
      fromTier: member.tierCode,
      toTier: target.code,
      reason,
      growth,
      periodGrowth,
      at,
    });
    await tx.publish('member.tier_changed', {
      memberId: member.id,
      from: member.tierCode,
      to: target.code,
      reason,
      at: at.toISOString(),
    });
  }
}
