import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  addDays,
  brandDay,
  type EarnBreakdown,
  type LedgerType,
  type PointsRules,
  pointsRules,
  startOfBrandDay,
  zoneOffsetMinutes,
} from '@huoyue/shared';
import type { z } from 'zod';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { DomainError } from '../../infra/http/domain-error.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { localDateSql, sqlInstant } from '../../infra/database/bulk.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import type { Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { AuditService } from '../staff/audit.service.js';
import { MemberDirectory } from './member-directory.js';
import { SettingsService } from '../../infra/settings/settings.service.js';
import { PointsAccount } from './entities/points-account.entity.js';
import { PointsEntry } from './entities/points-entry.entity.js';
import { PointsLot } from './entities/points-lot.entity.js';
import { endOfNextYear, lastDay, zonedMidnightUtc } from './points-time.js';

export interface Balances {
  balance: number;
  growth: number;
}

export const POINTS_RULES_KEY = 'points.rules';
export const DEFAULT_POINTS_RULES: PointsRules = {
  pointsPerYuan: 1,
  growthPerYuan: 1,
  perOrderCap: null,
  pendingDays: 0,
  expiry: { kind: 'end_of_next_year' },
  noticeDays: 14,
  downgrade: 'one_level',
};

interface EntrySource {
  memberId: number;
  /** Unique per cause: the same key moves a balance once. */
  key: string;
  sourceType: string;
  sourceRef?: string | null;
  reason?: string | null;
  staffId?: number | null;
  at?: Date;
}

export interface CreditInput extends EntrySource {
  type: Extract<LedgerType, 'earn' | 'reward' | 'adjust' | 'import' | 'refund'>;
  points: number;
  growth?: number;
  breakdown?: EarnBreakdown | null;
  /** undefined: from the expiry rule; null: never expires. */
  expiresAt?: Date | null;
  /** The caller's own unique row already guarantees this cause is new (skips the idempotency look-up). */
  fresh?: boolean;
}

export interface DebitInput extends EntrySource {
  type: Extract<LedgerType, 'spend' | 'adjust' | 'refund' | 'clawback'>;
  points: number;
  /** Growth taken back with it (never below zero). */
  growth?: number;
}

export interface OrderEarnInput {
  memberId: number;
  orderNo: string;
  amount: number;
  paidAt: Date;
  tierMultiplier: number;
}

export interface OrderEarnResult {
  points: number;
  growth: number;
  status: 'none' | 'pending' | 'credited';
  availableAt: Date | null;
  breakdown: EarnBreakdown;
}

/** A campaign that multiplies what an order earns (member days plug in here). */
export type EarnBonusProvider = (input: {
  memberId: number;
  paidAt: Date;
  amount: number;
}) => Promise<{ name: string; multiplier: number } | null>;

/** How an order's points are computed: floor(yuan × rate) × tier multiplier × bonuses, floored, then capped. */
export function computeOrderPoints(
  amount: number,
  rules: Pick<PointsRules, 'pointsPerYuan' | 'perOrderCap'>,
  tierMultiplier: number,
  bonuses: { name: string; multiplier: number }[],
): EarnBreakdown {
  // Whole yuan only: 19.99 yuan at 1 point per yuan is 19 points. Multipliers apply to the floored base, and the
  // product is floored once more, so a member never sees a fraction and is never credited a rounding up.
  const base = Math.floor((Math.floor(amount / 100) * Math.round(rules.pointsPerYuan * 100)) / 100);
  const multiplier = bonuses.reduce((m, b) => m * b.multiplier, tierMultiplier);
  const beforeCap = Math.floor(base * multiplier + 1e-9);
  const total = rules.perOrderCap === null ? beforeCap : Math.min(beforeCap, rules.perOrderCap);
  return {
    amount,
    pointsPerYuan: rules.pointsPerYuan,
    base,
    tierMultiplier,
    bonuses,
    beforeCap,
    cap: rules.perOrderCap,
    total,
    rounding: 'floor',
  };
}

/**
 * The points ledger. Every change of a balance is one immutable `points_entry` with a unique idempotency key,
 * applied to `points_account` by a conditional UPDATE in the caller's transaction (a spend that would overdraw
 * changes no row), and to the lots that explain expiry. All methods that write take the caller's `Tx`, so an order,
 * its points and its events commit together or not at all.
 */
@Injectable()
export class PointsService {
  private readonly bonusProviders: EarnBonusProvider[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: SettingsService,
    private readonly members: MemberDirectory,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  rules(em?: EntityManager): Promise<PointsRules> {
    return this.settings.get(POINTS_RULES_KEY, pointsRules, DEFAULT_POINTS_RULES, em);
  }

  setRules(em: EntityManager, value: z.input<typeof pointsRules>): Promise<PointsRules> {
    return this.settings.set(em, POINTS_RULES_KEY, pointsRules, value);
  }

  /** Staff add or take points by hand, with a reason; audited; a retried request (same requestId) applies once. */
  async adjust(
    uow: UnitOfWork,
    staff: StaffPrincipal,
    memberId: number,
    input: { points: number; reason: string; requestId: string },
  ): Promise<PointsEntry> {
    const key = `adjust:${input.requestId}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return await uow.run(async (tx) => {
          const existing = await tx.em.findOneBy(PointsEntry, { idempotencyKey: key });
          if (existing) {
            if (
              existing.memberId !== memberId ||
              Math.abs(existing.points) !== Math.abs(input.points)
            )
              throw new DomainError('CONFLICT', '该请求编号已用于另一次调整');
            return existing;
          }
          if (!(await this.members.canHoldPoints(tx.em, memberId)))
            throw new DomainError('NOT_FOUND', '会员不存在或已注销');
          const source = {
            memberId,
            key,
            sourceType: 'staff',
            sourceRef: String(staff.staffId),
            reason: input.reason,
            staffId: staff.staffId,
          };
          const entry =
            input.points > 0
              ? await this.credit(tx, { ...source, type: 'adjust', points: input.points })
              : await this.debit(tx, { ...source, type: 'adjust', points: -input.points });
          await this.audit.record(tx.em, staff, {
            action: 'points.adjust',
            entityType: 'member',
            entityId: memberId,
            after: { points: input.points, reason: input.reason, balanceAfter: entry.balanceAfter },
          });
          return entry;
        });
      } catch (err) {
        if (attempt < 2 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  addBonusProvider(provider: EarnBonusProvider): void {
    this.bonusProviders.push(provider);
  }

  async balances(memberId: number): Promise<Balances> {
    // Read on every card view: plain SQL, TypeORM's query building cost more than the query (docs/benchmarks.md).
    const rows: { balance: number; growth: number }[] = await this.dataSource.query(
      'SELECT balance, growth FROM points_account WHERE member_id = ?',
      [memberId],
    );
    return { balance: Number(rows[0]?.balance ?? 0), growth: Number(rows[0]?.growth ?? 0) };
  }

  account(memberId: number, em?: EntityManager): Promise<PointsAccount | null> {
    return (em ?? this.dataSource.manager).findOneBy(PointsAccount, { memberId });
  }

  /** When points earned at `at` expire under the current rule (null = never). */
  expiryFor(rules: PointsRules, at: Date): Date | null {
    const tz = this.config.brandTimezone;
    if (rules.expiry.kind === 'never') return null;
    if (rules.expiry.kind === 'end_of_next_year') return endOfNextYear(at, tz);
    // N days: until the end of the brand-local day N days later.
    return zonedMidnightUtc(addDays(brandDay(at, tz), rules.expiry.days + 1), tz);
  }

  /** Computes and books what an order earns: pending during the protection period, else credited at once. */
  async earnForOrder(tx: Tx, input: OrderEarnInput): Promise<OrderEarnResult> {
    // The cached rules (a few seconds old at most): an order does not need a settings read of its own.
    const rules = await this.rules();
    const bonuses = (
      await Promise.all(
        this.bonusProviders.map((p) =>
          p({ memberId: input.memberId, paidAt: input.paidAt, amount: input.amount }),
        ),
      )
    ).filter((b): b is { name: string; multiplier: number } => b !== null && b.multiplier > 0);
    const breakdown = computeOrderPoints(input.amount, rules, input.tierMultiplier, bonuses);
    // A blacklisted member's orders are recorded and earn nothing (no points, no growth).
    if (!(await this.members.canEarn(tx.em, input.memberId)))
      return {
        points: 0,
        growth: 0,
        status: 'none',
        availableAt: null,
        breakdown: { ...breakdown, total: 0, blocked: true },
      };
    const growth = Math.floor(
      (Math.floor(input.amount / 100) * Math.round(rules.growthPerYuan * 100)) / 100,
    );
    const points = breakdown.total;
    if (points === 0 && growth === 0)
      return { points, growth, status: 'none', availableAt: null, breakdown };
    const key = `order:${input.orderNo}`;
    const now = new Date();
    const availableAt =
      rules.pendingDays > 0
        ? new Date(input.paidAt.getTime() + rules.pendingDays * 86_400_000)
        : now;
    if (availableAt > now) {
      await this.lockAccount(tx.em, input.memberId);
      await tx.em.insert(PointsLot, {
        memberId: input.memberId,
        amount: points,
        remaining: points,
        growth,
        status: 'pending',
        expiresAt: this.expiryFor(rules, input.paidAt),
        availableAt,
        sourceType: 'order',
        sourceRef: input.orderNo,
        idempotencyKey: key,
        noticeSentOn: null,
        createdAt: now,
      });
      await tx.em.increment(PointsAccount, { memberId: input.memberId }, 'pending', points);
      return { points, growth, status: 'pending', availableAt, breakdown };
    }
    await this.credit(tx, {
      memberId: input.memberId,
      type: 'earn',
      points,
      growth,
      key,
      sourceType: 'order',
      sourceRef: input.orderNo,
      breakdown,
      expiresAt: this.expiryFor(rules, input.paidAt),
    });
    return { points, growth, status: 'credited', availableAt: null, breakdown };
  }

  /**
   * Takes back the points and growth of (part of) an order. Pending points are simply cancelled. Credited points
   * come out of the balance as far as it goes; what the member already spent becomes `owed`, paid from later
   * earnings (clawback). The balance never goes negative. Growth is taken back as far as it goes.
   */
  async reverseOrder(
    tx: Tx,
    input: { memberId: number; orderNo: string; refundNo: string; points: number; growth: number },
  ): Promise<{ pointsReversed: number; growthReversed: number; pointsOwed: number }> {
    if (input.points === 0 && input.growth === 0)
      return { pointsReversed: 0, growthReversed: 0, pointsOwed: 0 };
    const lot = await this.lockedLots(tx.em, 'l.idempotency_key = :key', {
      key: `order:${input.orderNo}`,
    }).then((l) => l[0]);
    if (lot && lot.status === 'pending') {
      await this.lockAccount(tx.em, input.memberId);
      const take = Math.min(input.points, lot.remaining);
      const left = lot.remaining - take;
      const growthLeft = Math.max(0, lot.growth - input.growth);
      await tx.em.update(
        PointsLot,
        { id: lot.id },
        {
          remaining: left,
          amount: left,
          growth: growthLeft,
          status: left === 0 && growthLeft === 0 ? 'cancelled' : 'pending',
        },
      );
      await tx.em.decrement(PointsAccount, { memberId: input.memberId }, 'pending', take);
      return { pointsReversed: take, growthReversed: lot.growth - growthLeft, pointsOwed: 0 };
    }
    const account = await this.lockAccount(tx.em, input.memberId);
    const take = Math.min(input.points, account.balance);
    const owed = input.points - take;
    const growthBack = Math.min(input.growth, account.growth);
    const entry = await this.debit(tx, {
      memberId: input.memberId,
      type: 'refund',
      points: take,
      growth: growthBack,
      key: `refund:${input.orderNo}:${input.refundNo}`,
      sourceType: 'refund',
      sourceRef: input.orderNo,
      reason: owed > 0 ? `退款扣回；已使用的 ${owed} 积分将从之后获得的积分中扣除` : '退款扣回',
    });
    if (owed > 0) await tx.em.increment(PointsAccount, { memberId: input.memberId }, 'owed', owed);
    return { pointsReversed: -entry.points, growthReversed: -entry.growth, pointsOwed: owed };
  }

  /** Adds points (and growth) as a new lot. Pays any amount owed first. Idempotent on `key`. */
  async credit(tx: Tx, input: CreditInput): Promise<PointsEntry> {
    // A caller whose own unique row already claimed the cause (a check-in's day) skips the look-up; the unique key
    // on the entry still refuses a second credit.
    const existing = input.fresh
      ? null
      : await tx.em.findOneBy(PointsEntry, { idempotencyKey: input.key });
    if (existing) return existing;
    if (!Number.isInteger(input.points) || input.points < 0)
      throw new Error(`credit of ${input.points} points`);
    if (input.type === 'reward' && !(await this.members.canEarn(tx.em, input.memberId)))
      throw new DomainError('MEMBER_BLOCKED', '该账号暂时无法获得积分，如有疑问请联系客服');
    const growth = input.growth ?? 0;
    // One upsert: an UPDATE of a missing row would leave a gap lock that concurrent first credits deadlock on,
    // and INSERT IGNORE on an existing row a shared lock that concurrent writers deadlock upgrading (MySQL).
    await tx.em.query(
      this.config.database.kind === 'mysql'
        ? 'INSERT INTO points_account (member_id, balance, growth, pending, owed, version) VALUES (?, ?, ?, 0, 0, 0) ON DUPLICATE KEY UPDATE balance = balance + VALUES(balance), growth = growth + VALUES(growth), version = version + 1'
        : 'INSERT INTO points_account (member_id, balance, growth, pending, owed, version) VALUES (?, ?, ?, 0, 0, 0) ON CONFLICT (member_id) DO UPDATE SET balance = balance + excluded.balance, growth = growth + excluded.growth, version = version + 1, updated_at = CURRENT_TIMESTAMP',
      [input.memberId, input.points, growth],
    );
    const at = input.at ?? new Date();
    const expiresAt =
      input.expiresAt === undefined ? this.expiryFor(await this.rules(), at) : input.expiresAt;
    if (input.points > 0) {
      await tx.em.insert(PointsLot, {
        memberId: input.memberId,
        amount: input.points,
        remaining: input.points,
        growth: 0,
        status: 'available',
        expiresAt,
        availableAt: at,
        sourceType: input.sourceType,
        sourceRef: input.sourceRef ?? null,
        idempotencyKey: `lot:${input.key}`,
        noticeSentOn: null,
        createdAt: at,
      });
    }
    const [entry, account] = await this.writeEntry(
      tx,
      input,
      input.type,
      input.points,
      growth,
      input.points > 0 ? expiresAt : null,
      input.breakdown ?? null,
      at,
    );
    if (account.owed > 0) await this.payOwed(tx, account, input.key, input.sourceRef ?? null, at);
    return entry;
  }

  /**
   * Takes points from the balance: one conditional UPDATE that changes nothing when the balance is short
   * (→ 422 INSUFFICIENT_POINTS), then the lots that expire first. Idempotent on `key`.
   */
  async debit(tx: Tx, input: DebitInput): Promise<PointsEntry> {
    const existing = await tx.em.findOneBy(PointsEntry, { idempotencyKey: input.key });
    if (existing) return existing;
    if (!Number.isInteger(input.points) || input.points < 0)
      throw new Error(`debit of ${input.points} points`);
    const result = await tx.em
      .createQueryBuilder()
      .update(PointsAccount)
      .set({ balance: () => `balance - ${input.points}`, version: () => 'version + 1' })
      .where('member_id = :id AND balance >= :points', { id: input.memberId, points: input.points })
      .execute();
    if ((result.affected ?? 0) !== 1) {
      const account = await this.account(input.memberId, tx.em);
      throw new DomainError(
        'INSUFFICIENT_POINTS',
        `积分不足：需要 ${input.points}，当前可用 ${account?.balance ?? 0}`,
        { needed: input.points, balance: account?.balance ?? 0 },
      );
    }
    let growth = 0;
    if (input.growth) {
      const account = (await this.account(input.memberId, tx.em))!;
      growth = Math.min(input.growth, account.growth);
      if (growth > 0)
        await tx.em.decrement(PointsAccount, { memberId: input.memberId }, 'growth', growth);
    }
    await this.consumeLots(tx.em, input.memberId, input.points);
    return (
      await this.writeEntry(
        tx,
        input,
        input.type,
        -input.points,
        -growth,
        null,
        null,
        input.at ?? new Date(),
      )
    )[0];
  }

  /** Growth changes with no points (a tier reset after a downgrade). Idempotent on `key`. */
  async setGrowth(tx: Tx, input: EntrySource & { growth: number }): Promise<PointsEntry | null> {
    const existing = await tx.em.findOneBy(PointsEntry, { idempotencyKey: input.key });
    if (existing) return existing;
    const account = await this.lockAccount(tx.em, input.memberId);
    const delta = input.growth - account.growth;
    if (delta === 0) return null;
    await tx.em.update(PointsAccount, { memberId: input.memberId }, { growth: input.growth });
    return (
      await this.writeEntry(tx, input, 'adjust', 0, delta, null, null, input.at ?? new Date())
    )[0];
  }

  /** Makes pending lots whose protection period ended spendable. */
  async releasePending(
    asOf: Date,
    run: (work: (tx: Tx) => Promise<void>) => Promise<void>,
  ): Promise<number> {
    const due = await this.dataSource
      .getRepository(PointsLot)
      .createQueryBuilder('l')
      .where("l.status = 'pending' AND l.available_at <= :asOf", { asOf })
      .orderBy('l.id')
      .limit(1000)
      .getMany();
    let released = 0;
    for (const lot of due) {
      await run(async (tx) => {
        await this.lockAccount(tx.em, lot.memberId);
        const flipped = await tx.em.update(
          PointsLot,
          { id: lot.id, status: 'pending' },
          { status: 'available' },
        );
        if ((flipped.affected ?? 0) !== 1) return; // released by another run, or cancelled by a refund
        const current = (await tx.em.findOneBy(PointsLot, { id: lot.id }))!;
        await tx.em.decrement(
          PointsAccount,
          { memberId: lot.memberId },
          'pending',
          current.remaining,
        );
        await tx.em
          .createQueryBuilder()
          .update(PointsAccount)
          .set({
            balance: () => `balance + ${current.remaining}`,
            growth: () => `growth + ${current.growth}`,
            version: () => 'version + 1',
          })
          .where({ memberId: lot.memberId })
          .execute();
        const [entry, account] = await this.writeEntry(
          tx,
          {
            memberId: lot.memberId,
            key: lot.idempotencyKey,
            sourceType: lot.sourceType,
            sourceRef: lot.sourceRef,
          },
          'earn',
          current.remaining,
          current.growth,
          current.expiresAt,
          null,
          asOf,
        );
        if (account.owed > 0)
          await this.payOwed(tx, account, entry.idempotencyKey, lot.sourceRef, asOf);
        released++;
      });
    }
    return released;
  }

  /** Expires what is left of lots whose date has passed, one ledger entry per lot. */
  async expireLots(
    asOf: Date,
    run: (work: (tx: Tx) => Promise<void>) => Promise<void>,
  ): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await this.dataSource
        .getRepository(PointsLot)
        .createQueryBuilder('l')
        .where("l.status = 'available' AND l.remaining > 0 AND l.expires_at <= :asOf", { asOf })
        .orderBy('l.id')
        .limit(500)
        .getMany();
      if (due.length === 0) return expired;
      for (const lot of due) {
        await run(async (tx) => {
          await this.lockAccount(tx.em, lot.memberId);
          const [current] = await this.lockedLots(tx.em, 'l.id = :id', { id: lot.id });
          if (!current || current.remaining === 0) return;
          await tx.em.update(PointsLot, { id: lot.id }, { remaining: 0 });
          await tx.em
            .createQueryBuilder()
            .update(PointsAccount)
            .set({ balance: () => `balance - ${current.remaining}`, version: () => 'version + 1' })
            .where({ memberId: lot.memberId })
            .execute();
          await this.writeEntry(
            tx,
            {
              memberId: lot.memberId,
              key: `expire:${lot.id}`,
              sourceType: 'expiry',
              sourceRef: lot.sourceRef,
              reason: '积分到期',
            },
            'expire',
            -current.remaining,
            0,
            null,
            null,
            asOf,
          );
          await tx.publish('points.expired', {
            memberId: lot.memberId,
            points: current.remaining,
            at: asOf.toISOString(),
          });
          expired++;
        });
      }
    }
  }

  /** Tells members, once per lot, that points expire within the notice period (messaging sends it). */
  /** Per member, the points whose last usable brand-local day is `day` (for "expiring in N days" journeys). */
  async expiringOn(day: string): Promise<{ memberId: number; points: number }[]> {
    const tz = this.config.brandTimezone;
    const rows = await this.dataSource
      .getRepository(PointsLot)
      .createQueryBuilder('l')
      .select('l.member_id', 'memberId')
      .addSelect('SUM(l.remaining)', 'points')
      .where(
        "l.status = 'available' AND l.remaining > 0 AND l.expires_at > :from AND l.expires_at <= :to",
        { from: startOfBrandDay(day, tz), to: startOfBrandDay(addDays(day, 1), tz) },
      )
      .groupBy('l.member_id')
      .getRawMany<{ memberId: number; points: number }>();
    return rows.map((r) => ({ memberId: Number(r.memberId), points: Number(r.points) }));
  }

  async expiryNotices(
    asOf: Date,
    run: (work: (tx: Tx) => Promise<void>) => Promise<void>,
  ): Promise<number> {
    const rules = await this.rules();
    const until = new Date(asOf.getTime() + rules.noticeDays * 86_400_000);
    const lots = await this.dataSource
      .getRepository(PointsLot)
      .createQueryBuilder('l')
      .where(
        "l.status = 'available' AND l.remaining > 0 AND l.notice_sent_on IS NULL AND l.expires_at > :asOf AND l.expires_at <= :until",
        { asOf, until },
      )
      .orderBy('l.member_id')
      .addOrderBy('l.expires_at')
      .limit(5000)
      .getMany();
    const byMemberDay = new Map<string, PointsLot[]>();
    for (const lot of lots) {
      const key = `${lot.memberId}|${lastDay(lot.expiresAt!, this.config.brandTimezone)}`;
      byMemberDay.set(key, [...(byMemberDay.get(key) ?? []), lot]);
    }
    const today = brandDay(asOf, this.config.brandTimezone);
    for (const [key, group] of byMemberDay) {
      const [memberId, expiresOn] = key.split('|') as [string, string];
      await run(async (tx) => {
        const claimed = await tx.em
          .createQueryBuilder()
          .update(PointsLot)
          .set({ noticeSentOn: today })
          .where('id IN (:...ids) AND notice_sent_on IS NULL', { ids: group.map((l) => l.id) })
          .execute();
        if ((claimed.affected ?? 0) === 0) return;
        await tx.publish('points.expiring', {
          memberId: Number(memberId),
          points: group.reduce((s, l) => s + l.remaining, 0),
          expiresOn,
          at: asOf.toISOString(),
        });
      });
    }
    return byMemberDay.size;
  }

  async ledger(
    memberId: number,
    limit: number,
    cursor?: string,
  ): Promise<{ items: PointsEntry[]; nextCursor: string | null }> {
    const before = cursor ? Number(cursor) : undefined;
    if (cursor !== undefined && (!Number.isInteger(before) || before! <= 0))
      throw new DomainError('VALIDATION_FAILED', '分页游标无效');
    const qb = this.dataSource
      .getRepository(PointsEntry)
      .createQueryBuilder('e')
      .where('e.member_id = :memberId', { memberId });
    if (before) qb.andWhere('e.id < :before', { before });
    const rows = await qb
      .orderBy('e.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null };
  }

  /** Available lots with points left, soonest expiry first. */
  openLots(memberId: number): Promise<PointsLot[]> {
    return this.dataSource
      .getRepository(PointsLot)
      .createQueryBuilder('l')
      .where("l.member_id = :memberId AND l.status = 'available' AND l.remaining > 0", { memberId })
      .orderBy('CASE WHEN l.expires_at IS NULL THEN 1 ELSE 0 END')
      .addOrderBy('l.expires_at')
      .addOrderBy('l.id')
      .getMany();
  }

  /** Growth earned since a moment (tier retention looks at the current period). */
  async growthSince(
    memberId: number,
    since: Date,
    em: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const rows: { total: number | string | null }[] = await em.query(
      "SELECT SUM(growth) AS total FROM points_entry WHERE member_id = ? AND growth > 0 AND created_at >= ? AND type IN ('earn', 'reward', 'import', 'adjust')",
      [memberId, sqlInstant(this.config.database.kind, since)],
    );
    const refunds: { total: number | string | null }[] = await em.query(
      "SELECT SUM(growth) AS total FROM points_entry WHERE member_id = ? AND growth < 0 AND type = 'refund' AND created_at >= ?",
      [memberId, sqlInstant(this.config.database.kind, since)],
    );
    return Math.max(0, Number(rows[0]?.total ?? 0) + Number(refunds[0]?.total ?? 0));
  }

  /** Points earned (orders and rewards) between two instants, best first: the points leaderboard's source. */
  async topEarners(
    from: Date,
    to: Date,
    limit: number,
  ): Promise<{ memberId: number; score: number }[]> {
    const kind = this.config.database.kind;
    const rows: { member_id: number; score: number | string }[] = await this.dataSource.query(
      `SELECT member_id, SUM(points) AS score FROM points_entry WHERE type IN ('earn', 'reward') AND created_at >= ? AND created_at < ? GROUP BY member_id ORDER BY score DESC, member_id ASC LIMIT ${Math.floor(limit)}`,
      [sqlInstant(kind, from), sqlInstant(kind, to)],
    );
    return rows.map((r) => ({ memberId: Number(r.member_id), score: Number(r.score) }));
  }

  /** Per brand-local day from `fromDay` on: points issued (earn, reward) and spent (spend). */
  async dailyTotals(fromDay: string): Promise<Map<string, { issued: number; spent: number }>> {
    const kind = this.config.database.kind;
    const day = localDateSql(
      kind,
      'created_at',
      zoneOffsetMinutes(this.config.brandTimezone, new Date()),
    );
    const rows = (await this.dataSource.query(
      `SELECT ${day} AS day, SUM(CASE WHEN type IN ('earn', 'reward') THEN points ELSE 0 END) AS issued, SUM(CASE WHEN type = 'spend' THEN ABS(points) ELSE 0 END) AS spent
       FROM points_entry WHERE created_at >= ? GROUP BY ${day}`,
      [sqlInstant(kind, startOfBrandDay(fromDay, this.config.brandTimezone))],
    )) as { day: string | Date; issued: number | string | null; spent: number | string | null }[];
    return new Map(
      rows.map((r) => [
        typeof r.day === 'string' ? r.day.slice(0, 10) : r.day.toISOString().slice(0, 10),
        { issued: Number(r.issued ?? 0), spent: Number(r.spent ?? 0) },
      ]),
    );
  }

  async earnedBetween(memberId: number, from: Date, to: Date): Promise<number> {
    const kind = this.config.database.kind;
    const [row] = (await this.dataSource.query(
      "SELECT SUM(points) AS score FROM points_entry WHERE member_id = ? AND type IN ('earn', 'reward') AND created_at >= ? AND created_at < ?",
      [memberId, sqlInstant(kind, from), sqlInstant(kind, to)],
    )) as { score: number | string | null }[];
    return Number(row?.score ?? 0);
  }

  /** Folds one account into another when two member records are merged (lots and entries follow the survivor). */
  async merge(em: EntityManager, fromMemberId: number, toMemberId: number): Promise<void> {
    const from = await em.findOneBy(PointsAccount, { memberId: fromMemberId });
    if (!from) return;
    await this.ensureAccount(em, toMemberId);
    await em
      .createQueryBuilder()
      .update(PointsAccount)
      .set({
        balance: () => `balance + ${from.balance}`,
        growth: () => `growth + ${from.growth}`,
        pending: () => `pending + ${from.pending}`,
        owed: () => `owed + ${from.owed}`,
        version: () => 'version + 1',
      })
      .where({ memberId: toMemberId })
      .execute();
    await em.update(PointsLot, { memberId: fromMemberId }, { memberId: toMemberId });
    await em.update(PointsEntry, { memberId: fromMemberId }, { memberId: toMemberId });
    await em.delete(PointsAccount, { memberId: fromMemberId });
  }

  // ---- internals ----

  async ensureAccount(em: EntityManager, memberId: number): Promise<void> {
    await em
      .createQueryBuilder()
      .insert()
      .into(PointsAccount)
      .values({ memberId, balance: 0, growth: 0, pending: 0, owed: 0 })
      .orIgnore()
      .execute();
  }

  /** Takes the account's row lock (MySQL; SQLite has one writer) and returns its current values. */
  async lockAccount(em: EntityManager, memberId: number): Promise<PointsAccount> {
    const bump = () =>
      em
        .createQueryBuilder()
        .update(PointsAccount)
        .set({ version: () => 'version + 1' })
        .where({ memberId })
        .execute();
    if (((await bump()).affected ?? 0) === 0) {
      await this.ensureAccount(em, memberId);
      await bump();
    }
    return (await em.findOneBy(PointsAccount, { memberId }))!;
  }

  private lockedLots(
    em: EntityManager,
    where: string,
    params: Record<string, unknown>,
  ): Promise<PointsLot[]> {
    const qb = em.getRepository(PointsLot).createQueryBuilder('l').where(where, params);
    if (this.config.database.kind === 'mysql') qb.setLock('pessimistic_write');
    return qb.getMany();
  }

  private async consumeLots(em: EntityManager, memberId: number, points: number): Promise<void> {
    if (points === 0) return;
    const qb = em
      .getRepository(PointsLot)
      .createQueryBuilder('l')
      .where("l.member_id = :memberId AND l.status = 'available' AND l.remaining > 0", { memberId })
      .orderBy('CASE WHEN l.expires_at IS NULL THEN 1 ELSE 0 END')
      .addOrderBy('l.expires_at')
      .addOrderBy('l.id');
    if (this.config.database.kind === 'mysql') qb.setLock('pessimistic_write');
    let left = points;
    for (const lot of await qb.getMany()) {
      const take = Math.min(left, lot.remaining);
      const r = await em
        .createQueryBuilder()
        .update(PointsLot)
        .set({ remaining: () => `remaining - ${take}` })
        .where('id = :id AND remaining >= :take', { id: lot.id, take })
        .execute();
      if ((r.affected ?? 0) !== 1) throw new Error(`lot ${lot.id} changed under a locked account`);
      left -= take;
      if (left === 0) return;
    }
    // The account said there was enough; the lots disagree. Refuse (rolls back) rather than book a wrong ledger.
    throw new Error(
      `lots of member ${memberId} hold ${points - left} points, account allowed ${points}`,
    );
  }

  /** Later earnings pay what a refund left owed, first, as a clawback entry. */
  private async payOwed(
    tx: Tx,
    account: PointsAccount,
    key: string,
    sourceRef: string | null,
    at: Date,
  ): Promise<void> {
    const pay = Math.min(account.owed, account.balance);
    if (pay <= 0) return;
    await this.debit(tx, {
      memberId: account.memberId,
      type: 'clawback',
      points: pay,
      key: `clawback:${key}`,
      sourceType: 'refund',
      sourceRef,
      reason: '扣回此前退款订单已使用的积分',
      at,
    });
    await tx.em.decrement(PointsAccount, { memberId: account.memberId }, 'owed', pay);
  }

  private async writeEntry(
    tx: Tx,
    source: EntrySource,
    type: LedgerType,
    points: number,
    growth: number,
    expiresAt: Date | null,
    breakdown: EarnBreakdown | null,
    at: Date,
  ): Promise<[PointsEntry, PointsAccount]> {
    const account = (await tx.em.findOneBy(PointsAccount, { memberId: source.memberId }))!;
    const entry = tx.em.create(PointsEntry, {
      memberId: source.memberId,
      type,
      points,
      growth,
      balanceAfter: account.balance,
      growthAfter: account.growth,
      idempotencyKey: source.key,
      sourceType: source.sourceType,
      sourceRef: source.sourceRef ?? null,
      reason: source.reason ?? null,
      expiresAt,
      breakdown,
      staffId: source.staffId ?? null,
      createdAt: at,
    });
    await tx.em.insert(PointsEntry, entry);
    await tx.publish('points.changed', {
      memberId: source.memberId,
      type,
      points,
      growth,
      balance: account.balance,
      growthTotal: account.growth,
      at: at.toISOString(),
    });
    return [entry, account];
  }
}
