import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  addDays,
  brandDay,
  type EarnBreakdown,
  type LedgerType,
  type PointsRules,
  pointsRules,
} from '@huoyue/shared';
import type { z } from 'zod';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { claimRequestKey } from '../../infra/idempotency/request-keys.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { sqlInstant } from '../../infra/database/bulk.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { AuditService } from '../staff/index.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import { SettingsService } from '../../infra/settings/settings.service.js';
import { PointsAccount } from './entities/points-account.entity.js';
import { PointsEntry } from './entities/points-entry.entity.js';
import { PointsLot } from './entities/points-lot.entity.js';
import { creditSetBased, lotOf, needsOneByOne, uncheckedRewards } from './credit-many.js';
import {
  type AccountAfter,
  type EntrySource,
  PointsLedgerRepository,
} from './points-ledger.repository.js';
import {
  checkAdjustLimit,
  computeOrderPoints,
  DEFAULT_POINTS_RULES,
  type EarnBonusProvider,
  type OrderEarnInput,
  type OrderEarnResult,
  POINTS_RULES_KEY,
} from './points-rules.js';
import { endOfNextYear, zonedMidnightUtc } from './points-time.js';

export interface Balances {
  balance: number;
  growth: number;
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
  /** The caller already checked that the member may earn (skips the look-up a reward makes). */
  eligible?: boolean;
}

export interface DebitInput extends EntrySource {
  type: Extract<LedgerType, 'spend' | 'adjust' | 'refund' | 'clawback'>;
  points: number;
  /** Growth taken back with it (never below zero). */
  growth?: number;
  /** The caller's own unique row already guarantees this cause is new (skips the idempotency look-up). */
  fresh?: boolean;
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
    private readonly ledger: PointsLedgerRepository,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  rules(tx?: Tx): Promise<PointsRules> {
    return this.settings.get(POINTS_RULES_KEY, pointsRules, DEFAULT_POINTS_RULES, tx);
  }

  setRules(tx: Tx, value: z.input<typeof pointsRules>): Promise<PointsRules> {
    return this.settings.set(tx, POINTS_RULES_KEY, pointsRules, value);
  }

  /** Staff add or take points by hand, with a reason; audited; a retried request (same requestId) applies once. */
  async adjust(
    staff: StaffPrincipal,
    memberId: number,
    input: { points: number; reason: string; requestId: string; confirmOverLimit?: boolean },
  ): Promise<PointsEntry> {
    const key = `adjust:${input.requestId}`;
    const overLimit = checkAdjustLimit(staff, input, (await this.rules()).adjustLimit);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.uow.run(async (tx) => {
          const { points, reason } = input;
          await claimRequestKey(tx.em, 'points.adjust', key, { memberId, points, reason });
          const existing = await tx.em.findOneBy(PointsEntry, { idempotencyKey: key });
          if (existing) {
            if (
              existing.memberId !== memberId ||
              Math.abs(existing.points) !== Math.abs(input.points)
            )
              throw new DomainError('CONFLICT', '该请求编号已用于另一次调整');
            return existing;
          }
          if (!(await this.members.canHoldPoints(memberId, tx)))
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
          await this.audit.record(tx, staff, {
            action: 'points.adjust',
            entityType: 'member',
            entityId: memberId,
            after: {
              points: input.points,
              reason: input.reason,
              balanceAfter: entry.balanceAfter,
              ...(overLimit ? { overLimit: true } : {}),
            },
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

  account(memberId: number, tx?: Tx): Promise<PointsAccount | null> {
    if (tx) return this.ledger.account(tx, memberId);
    return this.dataSource.manager.findOneBy(PointsAccount, { memberId });
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
    const canEarn = await this.members.canEarn(input.memberId, tx);
    const { result, credit } = await this.planOrderEarn(input, canEarn);
    if (result.status === 'pending') {
      await this.ledger.lockAccount(tx, input.memberId);
      await tx.em.insert(PointsLot, {
        memberId: input.memberId,
        amount: result.points,
        remaining: result.points,
        growth: result.growth,
        status: 'pending',
        expiresAt: this.expiryFor(await this.rules(), input.paidAt),
        availableAt: result.availableAt!,
        sourceType: 'order',
        sourceRef: input.orderNo,
        idempotencyKey: `order:${input.orderNo}`,
        noticeSentOn: null,
        createdAt: new Date(),
      });
      await tx.em.increment(PointsAccount, { memberId: input.memberId }, 'pending', result.points);
    }
    if (credit) await this.credit(tx, credit);
    return result;
  }

  /**
   * What an order earns, without booking it: the result, and the credit to book when it is credited at once (a
   * group of orders books theirs with `creditMany`). `canEarn`: the member is not blocked from earning.
   */
  async planOrderEarn(
    input: OrderEarnInput,
    canEarn: boolean,
  ): Promise<{ result: OrderEarnResult; credit: CreditInput | null }> {
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
    if (!canEarn) {
      const blocked = { ...breakdown, total: 0, blocked: true };
      const result = { points: 0, growth: 0, availableAt: null, breakdown: blocked };
      return { result: { ...result, status: 'none' }, credit: null };
    }
    const growth = Math.floor(
      (Math.floor(input.amount / 100) * Math.round(rules.growthPerYuan * 100)) / 100,
    );
    const points = breakdown.total;
    if (points === 0 && growth === 0)
      return {
        result: { points, growth, status: 'none', availableAt: null, breakdown },
        credit: null,
      };
    const now = new Date();
    const availableAt =
      rules.pendingDays > 0
        ? new Date(input.paidAt.getTime() + rules.pendingDays * 86_400_000)
        : now;
    if (availableAt > now)
      return {
        result: { points, growth, status: 'pending', availableAt, breakdown },
        credit: null,
      };
    const credit: CreditInput = {
      memberId: input.memberId,
      type: 'earn',
      points,
      growth,
      key: `order:${input.orderNo}`,
      sourceType: 'order',
      sourceRef: input.orderNo,
      breakdown,
      expiresAt: this.expiryFor(rules, input.paidAt),
      // Dated at the purchase (an order synced late, or history): "points issued that day" is about that day.
      at: input.paidAt < now ? input.paidAt : now,
    };
    return { result: { points, growth, status: 'credited', availableAt: null, breakdown }, credit };
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
    const [lot] = await this.ledger.lockedLots(tx, 'l.idempotency_key = :key', {
      key: `order:${input.orderNo}`,
    });
    if (lot && lot.status === 'pending') {
      await this.ledger.lockAccount(tx, input.memberId);
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
    const account = await this.ledger.lockAccount(tx, input.memberId);
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
    const existing = input.fresh ? null : await this.ledger.entryByKey(tx, input.key);
    if (existing) return existing;
    if (!Number.isInteger(input.points) || input.points < 0)
      throw new Error(`credit of ${input.points} points`);
    if (
      input.type === 'reward' &&
      !input.eligible &&
      !(await this.members.canEarn(input.memberId, tx))
    )
      throw memberBlocked();
    const growth = input.growth ?? 0;
    // The upsert answers the account's values after it: the entry needs no read of its own.
    const after = await this.ledger.credit(tx, input.memberId, input.points, growth);
    const at = input.at ?? new Date();
    const expiresAt = await this.expiresAt(input, at);
    if (input.points > 0) await this.ledger.insertLots(tx, [lotOf(input, expiresAt, at)]);
    const [entry] = await this.ledger.writeEntry(tx, {
      source: input,
      type: input.type,
      points: input.points,
      growth,
      expiresAt: input.points > 0 ? expiresAt : null,
      breakdown: input.breakdown ?? null,
      at,
      after,
    });
    if (after.owed > 0) await this.payOwed(tx, after, input.key, input.sourceRef ?? null, at);
    return entry;
  }

  /**
   * The same as `credit` for each input in order (entries, lots, balances after, events, idempotency), set-based:
   * one multi-row upsert of the accounts answering their values after, one insert of the lots, of the entries and
   * of the events; rewards not marked `eligible` are checked with one look-up. Inputs not `fresh` (their cause may
   * be booked) make it go one by one.
   */
  async creditMany(tx: Tx, inputs: CreditInput[]): Promise<PointsEntry[]> {
    if (inputs.length <= 1 || inputs.some(needsOneByOne)) {
      const out: PointsEntry[] = [];
      for (const input of inputs) out.push(await this.credit(tx, input));
      return out;
    }
    // A blocked member's reward refuses the whole batch, as `credit` would refuse it (the caller rolls back).
    const standings = await this.members.earningStandings(uncheckedRewards(inputs), tx);
    if ([...standings.values()].some((s) => s !== 'ok')) throw memberBlocked();
    const expiries = await Promise.all(inputs.map((i) => this.expiresAt(i, i.at ?? new Date())));
    return creditSetBased(this.ledger, tx, inputs, expiries, (after, input, at) =>
      this.payOwed(tx, after, input.key, input.sourceRef ?? null, at),
    );
  }

  /** When a credit's points expire: as the input says, else by the expiry rule (cached rules). */
  private async expiresAt(input: CreditInput, at: Date): Promise<Date | null> {
    return input.expiresAt === undefined ? this.expiryFor(await this.rules(), at) : input.expiresAt;
  }

  /**
   * Takes points from the balance: one statement that answers the balance after it, refused by the account's
   * CHECK when the balance is short (→ 422 INSUFFICIENT_POINTS), then the lots that expire first. Idempotent on
   * `key`.
   */
  async debit(tx: Tx, input: DebitInput): Promise<PointsEntry> {
    const existing = input.fresh ? null : await this.ledger.entryByKey(tx, input.key);
    if (existing) return existing;
    if (!Number.isInteger(input.points) || input.points < 0)
      throw new Error(`debit of ${input.points} points`);
    const after = await this.ledger.debit(tx, input.memberId, input.points);
    if (!after) {
      const balance = (await this.balanceIn(tx, input.memberId)) ?? 0;
      throw new DomainError(
        'INSUFFICIENT_POINTS',
        `积分不足：需要 ${input.points}，当前可用 ${balance}`,
        {
          needed: input.points,
          balance,
        },
      );
    }
    const growth = input.growth ? await this.ledger.takeGrowth(tx, after, input.growth) : 0;
    await this.ledger.consumeLots(tx, input.memberId, input.points);
    const [entry] = await this.ledger.writeEntry(tx, {
      source: input,
      type: input.type,
      points: -input.points,
      growth: -growth,
      expiresAt: null,
      breakdown: null,
      at: input.at ?? new Date(),
      after,
    });
    return entry;
  }

  private async balanceIn(tx: Tx, memberId: number): Promise<number | null> {
    return (await this.ledger.account(tx, memberId))?.balance ?? null;
  }

  /** Growth changes with no points (a tier reset after a downgrade). Idempotent on `key`. */
  async setGrowth(tx: Tx, input: EntrySource & { growth: number }): Promise<PointsEntry | null> {
    const existing = await this.ledger.entryByKey(tx, input.key);
    if (existing) return existing;
    const account = await this.ledger.lockAccount(tx, input.memberId);
    const delta = input.growth - account.growth;
    if (delta === 0) return null;
    await tx.em.update(PointsAccount, { memberId: input.memberId }, { growth: input.growth });
    const [entry] = await this.ledger.writeEntry(tx, {
      source: input,
      type: 'adjust',
      points: 0,
      growth: delta,
      expiresAt: null,
      breakdown: null,
      at: input.at ?? new Date(),
    });
    return entry;
  }

  /** Growth earned since a moment (tier retention looks at the current period). */
  async growthSince(memberId: number, since: Date, tx?: Tx): Promise<number> {
    const em = tx?.em ?? this.dataSource.manager;
    const rows: { total: number | string | null }[] = await em.query(
      `SELECT SUM(growth) AS total FROM points_entry
        WHERE member_id = ? AND growth > 0 AND created_at >= ? AND type IN ('earn', 'reward', 'import', 'adjust')`,
      [memberId, sqlInstant(this.config.database.kind, since)],
    );
    const refunds: { total: number | string | null }[] = await em.query(
      `SELECT SUM(growth) AS total FROM points_entry
        WHERE member_id = ? AND growth < 0 AND type = 'refund' AND created_at >= ?`,
      [memberId, sqlInstant(this.config.database.kind, since)],
    );
    return Math.max(0, Number(rows[0]?.total ?? 0) + Number(refunds[0]?.total ?? 0));
  }

  /** Folds one account into another when two member records are merged (lots and entries follow the survivor). */
  async merge(tx: Tx, fromMemberId: number, toMemberId: number): Promise<void> {
    await this.ledger.moveAll(tx, fromMemberId, toMemberId);
  }

  // ---- for the members module (account opening) and the points jobs (clawback on release) ----

  /** Creates the member's account row if it is missing (a member opening a card gets one at once). */
  ensureAccount(tx: Tx, memberId: number): Promise<void> {
    return this.ledger.ensureAccount(tx, memberId);
  }

  /** Later earnings pay what a refund left owed, first, as a clawback entry. */
  async payOwed(
    tx: Tx,
    account: AccountAfter,
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
}

const memberBlocked = () =>
  new DomainError('MEMBER_BLOCKED', '该账号暂时无法获得积分，如有疑问请联系客服');
