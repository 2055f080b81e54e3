import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import {
  affectedRows,
  insertReturningIds,
  placeholders,
  sqlInstant,
} from '../../infra/database/bulk.js';
import {
  dialectOf,
  flavourOf,
  forUpdate,
  hasInsertReturning,
  onDuplicateKey,
} from '../../infra/database/dialect.js';
import { GroupCommit, type Settled } from '../../infra/database/group-commit.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { claimedRequestKeys, claimRequestKeys } from '../../infra/idempotency/request-keys.js';
import { SoldOutMarks } from '../../infra/stock/sold-out-marks.js';
import { CouponsService, CouponTemplatesService } from '../coupons/index.js';
import { EngagementService } from '../engagement/index.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import { type LockedSpenders, PointsSpends } from '../points/index.js';
import { MallItem, MallRedemption } from './mall.entity.js';
import { type MemberDayGate, NO_MEMBER_DAYS } from './member-day-gate.js';
import {
  assertRedeemable,
  insufficientPoints,
  limitReached,
  OUT_OF_STOCK_MESSAGE,
  type RedeemInput,
  statusOnRedeem,
} from './redeem-rules.js';
import { type RedemptionView, toRedemptionView } from './redemption-view.js';
import { VouchersService } from './vouchers.service.js';

export interface RedeemRequest {
  memberId: number;
  itemId: number;
  input: RedeemInput;
  /** `${memberId}:${requestId}`: unique per redemption. */
  requestKey: string;
  /** The item's sold-out generation when the request arrived (a refusal marks it sold out only if unchanged). */
  generation: number;
}

/** A group's answer to one request: its redemption, or 'single' — this one takes the single write path. */
export type GroupAnswer = RedemptionView | 'single';

/** A request that passed the checks that need no lock, with what it would write. */
interface Candidate extends RedeemRequest {
  index: number;
  item: MallItem;
}

/** What the group's locked rows hold while it decides: counts per member and item, balances, stock. */
interface Locked {
  counts: Map<string, number>;
  /** The accounts and lots as locked (what the spends are written on). */
  spenders: LockedSpenders;
  /** Balances as the group's decisions take from them. */
  balances: Map<number, number>;
  stock: Map<number, number>;
}

const countKey = (memberId: number, itemId: number) => `${memberId}:${itemId}`;

/**
 * Redemptions that arrive together are written together (GroupCommit), the way daily check-ins are: one
 * transaction per group locks what the group decides on — the members' per-item counts, their points accounts,
 * then the items' stock, in that order (the single path's order, so the two never deadlock) — decides every request
 * in arrival order in memory (limit, then points, then stock: the single path's refusals), and writes the accepted
 * ones with multi-row statements: request ids, counts, redemption rows, spends, vouchers, the outbox, the
 * engagement log, one stock decrement per item. What a group does not handle goes the single way: a request id
 * seen before (a retry, answered from its first result), points + cash (a payment is created per redemption), and
 * every request of a group whose transaction failed as a whole.
 */
@Injectable()
export class RedemptionGroups {
  private memberDay: MemberDayGate = NO_MEMBER_DAYS;
  /**
   * Two lanes by item, one group in flight in each: the groups of a rush on one item follow each other on its row
   * lock anyway (one lane, groups as large as the rush), and a rush spread over many items uses both lanes, whose
   * groups lock different items.
   */
  private readonly lanes = [0, 1].map(
    () =>
      new GroupCommit<RedeemRequest, GroupAnswer>(
        (requests) => this.writeGroup(requests),
        async () => 'single',
        { maxBatch: 100, inFlight: 1 },
      ),
  );

  constructor(
    private readonly uow: UnitOfWork,
    private readonly members: MemberDirectory,
    private readonly spends: PointsSpends,
    private readonly engagement: EngagementService,
    private readonly vouchers: VouchersService,
    private readonly coupons: CouponsService,
    private readonly templates: CouponTemplatesService,
    private readonly soldOut: SoldOutMarks,
  ) {}

  setMemberDayGate(gate: MemberDayGate): void {
    this.memberDay = gate;
  }

  submit(request: RedeemRequest): Promise<GroupAnswer> {
    return this.lanes[request.itemId % this.lanes.length]!.submit(request);
  }

  private writeGroup(requests: RedeemRequest[]): Promise<Settled<GroupAnswer>[]> {
    return this.uow.run(async (tx) => {
      const answers: Settled<GroupAnswer>[] = requests.map(() => ({ ok: true, value: 'single' }));
      const now = new Date();
      const candidates = await this.admit(tx, requests, now, (i, error) => {
        answers[i] = { ok: false, error };
      });
      const locked = await this.lock(tx, candidates);
      const accepted: Candidate[] = [];
      for (const c of candidates) {
        const refusal = this.decide(c, locked, tx);
        if (refusal) answers[c.index] = { ok: false, error: refusal };
        else accepted.push(c);
      }
      const views = await this.write(tx, accepted, locked, now);
      accepted.forEach((c, k) => (answers[c.index] = { ok: true, value: views[k]! }));
      return answers;
    });
  }

  /** The requests this group decides: new request ids, no cash due, redeemable by their member now. */
  private async admit(
    tx: Tx,
    requests: RedeemRequest[],
    now: Date,
    refuse: (index: number, error: unknown) => void,
  ): Promise<Candidate[]> {
    const items = new Map(
      (await tx.em.findBy(MallItem, { id: In([...new Set(requests.map((r) => r.itemId))]) })).map(
        (i) => [i.id, i],
      ),
    );
    const keys = requests.map((r) => r.requestKey);
    const seen = await claimedRequestKeys(tx.em, 'mall.redeem', keys);
    const profiles = await this.members.profiles(
      requests.map((r) => r.memberId),
      tx,
    );
    const checks = { templates: this.templates, memberDay: this.memberDay, tx };
    const candidates: Candidate[] = [];
    for (const [index, r] of requests.entries()) {
      const item = items.get(r.itemId);
      if (seen.has(r.requestKey) || (item && item.cashPrice > 0)) continue; // the single path
      seen.add(r.requestKey); // the same id twice in one group: the second is a retry
      try {
        await assertRedeemable(item, r.memberId, profiles.get(r.memberId), r.input, now, checks);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        refuse(index, err);
        continue;
      }
      candidates.push({ ...r, index, item: item! });
    }
    return candidates;
  }

  /** Locks the counts, the accounts, then the items (the single path's order); answers what they hold. */
  private async lock(tx: Tx, candidates: Candidate[]): Promise<Locked> {
    if (candidates.length === 0)
      return {
        counts: new Map(),
        spenders: { accounts: new Map(), lots: [] },
        balances: new Map(),
        stock: new Map(),
      };
    const kind = dialectOf(tx.em);
    const pairs = [...new Map(candidates.map((c) => [countKey(c.memberId, c.itemId), c])).values()]
      .map((c) => [c.memberId, c.itemId] as const)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const counted = await this.lockCounts(tx, pairs);
    const memberIds = [...new Set(pairs.map(([m]) => m))];
    const itemIds = [...new Set(pairs.map(([, i]) => i))].sort((a, b) => a - b);
    const spenders = await this.spends.lock(tx, memberIds);
    const stocked = (await tx.em.query(
      `SELECT id, stock FROM mall_item WHERE id IN (${placeholders(itemIds.length)}) ORDER BY id${forUpdate(kind)}`,
      itemIds,
    )) as { id: number | string; stock: number | string }[];
    return {
      counts: counted,
      spenders,
      balances: new Map([...spenders.accounts].map(([m, a]) => [m, a.balance])),
      stock: new Map(stocked.map((r) => [Number(r.id), Number(r.stock)])),
    };
  }

  /**
   * Creates the missing count rows and takes every row's exclusive lock, existing or new (as takeSlot does); the
   * upsert answers the counts where INSERT has RETURNING (MariaDB, SQLite), MySQL 8 reads them back locked.
   */
  private async lockCounts(
    tx: Tx,
    pairs: (readonly [number, number])[],
  ): Promise<Map<string, number>> {
    const kind = dialectOf(tx.em);
    const upsert = `INSERT INTO mall_member_count (member_id, item_id, n)
      VALUES ${pairs.map(() => '(?, ?, 0)').join(', ')} ${onDuplicateKey(kind, ['member_id', 'item_id'], 'n = n')}`;
    type Row = { member_id: number | string; item_id: number | string; n: number | string };
    let rows: Row[];
    if (hasInsertReturning(flavourOf(tx.em)))
      rows = (await tx.em.query(
        `${upsert} RETURNING member_id, item_id, n`,
        pairs.flat(),
      )) as Row[];
    else {
      await tx.em.query(upsert, pairs.flat());
      const where = pairs.map(() => '(member_id = ? AND item_id = ?)').join(' OR ');
      rows = (await tx.em.query(
        `SELECT member_id, item_id, n FROM mall_member_count WHERE ${where}${forUpdate(kind)}`,
        pairs.flat(),
      )) as Row[];
    }
    return new Map(
      rows.map((r) => [countKey(Number(r.member_id), Number(r.item_id)), Number(r.n)]),
    );
  }

  /** One request against the locked rows, in arrival order: its refusal, or null (and the rows taken in memory). */
  private decide(c: Candidate, locked: Locked, tx: Tx): DomainError | null {
    const { item, input, memberId } = c;
    const key = countKey(memberId, item.id);
    const count = locked.counts.get(key) ?? 0;
    if (count + input.quantity > item.perMemberLimit) return limitReached(item);
    const points = item.pointsPrice * input.quantity;
    const balance = locked.balances.get(memberId) ?? 0;
    if (points > 0 && balance < points) return insufficientPoints(points, balance);
    const stock = locked.stock.get(item.id) ?? 0;
    if (stock < input.quantity) {
      // Not one left: marked sold out once this group commits (a larger quantity refused with some left is no mark).
      if (input.quantity === 1) tx.afterCommit(() => this.soldOut.mark(item.id, c.generation));
      return new DomainError('OUT_OF_STOCK', OUT_OF_STOCK_MESSAGE);
    }
    locked.counts.set(key, count + input.quantity);
    if (points > 0) locked.balances.set(memberId, balance - points);
    locked.stock.set(item.id, stock - input.quantity);
    return null;
  }

  /** The accepted redemptions' rows, with multi-row statements; answers their views, in order. */
  private async write(
    tx: Tx,
    accepted: Candidate[],
    locked: Locked,
    now: Date,
  ): Promise<RedemptionView[]> {
    if (accepted.length === 0) return [];
    await claimRequestKeys(
      tx.em,
      'mall.redeem',
      accepted.map((c) => {
        const { requestId: _id, ...request } = c.input;
        return { requestKey: c.requestKey, request: { itemId: c.itemId, ...request } };
      }),
    );
    await this.addCounts(tx, accepted);
    const redemptions = await this.insertRedemptions(tx, accepted, now);
    await this.spends.spend(
      tx,
      redemptions.map((r, k) => ({
        memberId: r.memberId,
        type: 'spend',
        points: r.pointsSpent,
        key: `mall:${r.id}`,
        sourceType: 'mall',
        sourceRef: String(r.id),
        reason: `兑换「${accepted[k]!.item.name}」×${r.quantity}`,
        at: now,
      })),
      locked.spenders,
    );
    const vouchers = await this.deliver(tx, accepted, redemptions, now);
    await this.takeStock(tx, accepted);
    return redemptions.map((r, k) => toRedemptionView(r, accepted[k]!.item, vouchers[k]));
  }

  /** Each (member, item)'s count grows by what the group took, in one UPDATE. */
  private async addCounts(tx: Tx, accepted: Candidate[]): Promise<void> {
    const added = new Map<string, [number, number, number]>();
    for (const c of accepted) {
      const key = countKey(c.memberId, c.itemId);
      const [, , n] = added.get(key) ?? [c.memberId, c.itemId, 0];
      added.set(key, [c.memberId, c.itemId, n + c.input.quantity]);
    }
    const rows = [...added.values()];
    const changed = await affectedRows(
      tx.em,
      `UPDATE mall_member_count
          SET n = n + CASE ${rows.map(() => 'WHEN member_id = ? AND item_id = ? THEN ?').join(' ')} ELSE 0 END
        WHERE ${rows.map(() => '(member_id = ? AND item_id = ?)').join(' OR ')}`,
      [...rows.flat(), ...rows.flatMap(([m, i]) => [m, i])],
    );
    if (changed !== rows.length) throw new Error(`counts changed ${changed} of ${rows.length}`);
  }

  private async insertRedemptions(
    tx: Tx,
    accepted: Candidate[],
    now: Date,
  ): Promise<MallRedemption[]> {
    const kind = dialectOf(tx.em);
    const redemptions = accepted.map((c) =>
      tx.em.create(MallRedemption, {
        memberId: c.memberId,
        itemId: c.itemId,
        requestKey: c.requestKey,
        quantity: c.input.quantity,
        pointsSpent: c.item.pointsPrice * c.input.quantity,
        cashDue: 0,
        status: statusOnRedeem(0, c.item),
        payBefore: null,
        paymentRef: null,
        cashRefundNo: null,
        cashRefundedAt: null,
        address: c.input.address ?? null,
        trackingNo: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    const at = sqlInstant(kind, now);
    const ids = await insertReturningIds(
      tx.em,
      kind,
      'mall_redemption',
      [
        'member_id',
        'item_id',
        'request_key',
        'quantity',
        'points_spent',
        'cash_due',
        'status',
        'address',
        'created_at',
        'updated_at',
      ],
      redemptions.map((r) => [
        r.memberId,
        r.itemId,
        r.requestKey,
        r.quantity,
        r.pointsSpent,
        0,
        r.status,
        r.address === null ? null : JSON.stringify(r.address),
        at,
        at,
      ]),
      'request_key',
    );
    redemptions.forEach((r, k) => (r.id = ids[k]!));
    return redemptions;
  }

  /** What each redemption delivers now (vouchers, coupons; goods wait for shipping) and its events. */
  private async deliver(
    tx: Tx,
    accepted: Candidate[],
    redemptions: MallRedemption[],
    now: Date,
  ): Promise<RedemptionView['vouchers'][]> {
    const virtual = redemptions.flatMap((r, k) =>
      accepted[k]!.item.kind === 'virtual' ? [{ redemption: r, item: accepted[k]!.item }] : [],
    );
    const issued = await this.vouchers.issueMany(tx, virtual, now);
    const byRedemption = new Map(virtual.map((v, k) => [v.redemption.id, issued[k]!]));
    for (const [k, r] of redemptions.entries()) {
      const templateId =
        accepted[k]!.item.kind === 'coupon' ? accepted[k]!.item.couponTemplateId : null;
      for (let i = 0; templateId && i < r.quantity; i++)
        await this.coupons.issue(tx, r.memberId, templateId, 'mall', `mall:${r.id}:${i}`);
    }
    await tx.publishMany(
      'mall.redeemed',
      redemptions.map((r) => ({
        memberId: r.memberId,
        redemptionId: r.id,
        itemId: r.itemId,
        quantity: r.quantity,
        pointsSpent: r.pointsSpent,
        at: now.toISOString(),
      })),
    );
    await this.engagement.recordMany(
      tx,
      redemptions.map((r) => ({
        memberId: r.memberId,
        type: 'redemption',
        occurredAt: now,
        sourceRef: `mall:${r.id}`,
        properties: { itemId: r.itemId, quantity: r.quantity, pointsSpent: r.pointsSpent },
      })),
    );
    return redemptions.map((r) => byRedemption.get(r.id) ?? []);
  }

  /** The stock of every item in one UPDATE (its rows are locked by this transaction since `lock`). */
  private async takeStock(tx: Tx, accepted: Candidate[]): Promise<void> {
    const taken = new Map<number, number>();
    for (const c of accepted) taken.set(c.itemId, (taken.get(c.itemId) ?? 0) + c.input.quantity);
    const ids = [...taken.keys()];
    const cases = ids.map(() => 'WHEN ? THEN ?').join(' ');
    const byId = ids.flatMap((id) => [id, taken.get(id)!]);
    const changed = await affectedRows(
      tx.em,
      `UPDATE mall_item SET stock = stock - CASE id ${cases} ELSE 0 END
        WHERE id IN (${placeholders(ids.length)}) AND stock >= CASE id ${cases} ELSE 0 END`,
      [...byId, ...ids, ...byId],
    );
    if (changed !== ids.length)
      throw new Error(`stock changed under its lock: ${changed} of ${ids.length}`);
  }
}
