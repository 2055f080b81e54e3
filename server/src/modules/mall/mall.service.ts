import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { z } from 'zod';
import type { mallItemInput, routes } from '@huoyue/shared';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { GroupCommit } from '../../infra/database/group-commit.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { takeSlot } from '../../infra/database/limit-counter.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { claimRequestKey } from '../../infra/idempotency/request-keys.js';
import { KeyedLimiter, SoldOutMarks } from '../../infra/stock/sold-out-marks.js';
import { CouponTemplatesService } from '../coupons/index.js';
import { EngagementService } from '../engagement/index.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import { PointsService } from '../points/index.js';
import { MallItem, MallMemberCount, MallRedemption } from './mall.entity.js';
import { type ItemView, MallCatalogueService } from './mall-catalogue.service.js';
import { Fulfilment } from './fulfilment.js';
import { RedemptionSettlement } from './redemption-settlement.js';
import { type MemberDayGate, NO_MEMBER_DAYS } from './member-day-gate.js';
import { type VoucherView, VouchersService } from './vouchers.service.js';
import { type RedemptionView, toRedemptionView } from './redemption-view.js';
import { RedemptionGroups } from './redemption-groups.js';
import {
  assertRedeemable,
  limitReached,
  OUT_OF_STOCK_MESSAGE,
  PAY_WITHIN_MS,
  type RedeemInput,
  statusOnRedeem,
} from './redeem-rules.js';

const REDEEM_IN_FLIGHT_PER_ITEM = 8;

export { PAY_WITHIN_MS };

/**
 * The points mall. A redemption takes the per-member count, the stock and the points with conditional UPDATEs in
 * one transaction with the redemption row: all of it commits, or none (409 OUT_OF_STOCK / LIMIT_REACHED, 422
 * INSUFFICIENT_POINTS, 403 NOT_ELIGIBLE). Cancelling gives all three back (RedemptionsService). Also the
 * catalogue: items, their stock and sale windows.
 */
@Injectable()
export class MallService {
  private memberDay: MemberDayGate = NO_MEMBER_DAYS;
  /** Redemptions of one item in flight on this instance (they serialise on its row lock anyway). */
  private readonly inFlight = new KeyedLimiter(REDEEM_IN_FLIGHT_PER_ITEM);
  /**
   * Past the last sale, a refusal asks only whether this request id already redeemed (a retried tap is answered
   * with its redemption): the rest of a rush asks together, one SELECT … IN per group instead of one each.
   */
  private readonly redeemedKeys = new GroupCommit<string, boolean>(
    async (keys) => {
      const found = await this.redeemedAmong(keys);
      return keys.map((k) => ({ ok: true, value: found.has(k) }));
    },
    async (key) => (await this.redeemedAmong([key])).has(key),
    { maxBatch: 500, inFlight: 2 },
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly points: PointsService,
    private readonly members: MemberDirectory,
    private readonly engagement: EngagementService,
    private readonly settlement: RedemptionSettlement,
    private readonly fulfilment: Fulfilment,
    private readonly catalogue: MallCatalogueService,
    private readonly templates: CouponTemplatesService,
    private readonly vouchers: VouchersService,
    private readonly soldOut: SoldOutMarks,
    private readonly groups: RedemptionGroups,
  ) {}

  setMemberDayGate(gate: MemberDayGate): void {
    this.memberDay = gate;
    this.groups.setMemberDayGate(gate);
  }

  /** The catalogue's staff side is MallCatalogueService's; these stay for callers that create items (the demo). */
  createItem(actor: StaffPrincipal, input: z.output<typeof mallItemInput>): Promise<ItemView> {
    return this.catalogue.create(actor, input);
  }

  updateItem(
    actor: StaffPrincipal,
    id: number,
    input: z.output<NonNullable<typeof routes.mall.updateItem.body>>,
  ): Promise<ItemView> {
    return this.catalogue.update(actor, id, input);
  }

  allItems(): Promise<ItemView[]> {
    return this.catalogue.list();
  }

  /**
   * Items on sale now: active, inside their window, and redeemable at all (a coupon item whose coupon was switched
   * off is not listed). Tier and member-day limits are shown, and checked on redeem. For a member: a member day's
   * exclusives are marked member-day-only, and hidden from those outside its audience.
   */
  async onSale(now = new Date(), memberId?: number): Promise<ItemView[]> {
    const rows = await this.dataSource
      .getRepository(MallItem)
      .find({ where: { active: true }, order: { id: 'DESC' } });
    const open = rows.filter(
      (i) =>
        (!i.availableFrom || i.availableFrom <= now) && (!i.availableTo || i.availableTo > now),
    );
    const items = (await this.catalogue.views(open)).filter((v) => v.unavailableReason === null);
    if (memberId === undefined) return items;
    const { exclusive, notForMe } = await this.memberDay.exclusives(memberId);
    return items
      .filter((i) => !notForMe.has(i.id))
      .map((i) => ({ ...i, memberDayOnly: i.memberDayOnly || exclusive.has(i.id) }));
  }

  async item(id: number, memberId?: number): Promise<ItemView> {
    const item = await this.dataSource.getRepository(MallItem).findOneBy({ id, active: true });
    if (!item) throw new DomainError('NOT_FOUND', '商品不存在或已下架');
    const view = (await this.catalogue.views([item]))[0]!;
    if (memberId === undefined) return view;
    const { exclusive } = await this.memberDay.exclusives(memberId);
    return { ...view, memberDayOnly: view.memberDayOnly || exclusive.has(id) };
  }

  /**
   * A redemption. Those that arrive together are written together (RedemptionGroups); what a group leaves to the
   * single path (a retried request id, points + cash, a group that failed as a whole) is written here one by one.
   */
  async redeem(memberId: number, itemId: number, input: RedeemInput): Promise<RedemptionView> {
    const requestKey = `${memberId}:${input.requestId}`;
    if ((await this.refuseIfSoldOut(itemId, requestKey)) === 'redeemed')
      return this.answerAgain(requestKey);
    const generation = this.soldOut.generation(itemId);
    const grouped = await this.groups.submit({ memberId, itemId, input, requestKey, generation });
    if (grouped !== 'single') return grouped;
    // A rush on one item waits here, not on its row lock: past the last sale, the waiting ones are refused for free.
    return this.inFlight.run(itemId, async () => {
      if ((await this.refuseIfSoldOut(itemId, requestKey)) === 'redeemed')
        return this.answerAgain(requestKey);
      return this.redeemNow(memberId, itemId, input, requestKey);
    });
  }

  /** A retried tap of a redemption that went through, past the last sale: its result, read without a transaction. */
  private async answerAgain(requestKey: string): Promise<RedemptionView> {
    const again = await this.dataSource
      .getRepository(MallRedemption)
      .findOneByOrFail({ requestKey });
    const item = await this.dataSource
      .getRepository(MallItem)
      .findOneByOrFail({ id: again.itemId });
    return toRedemptionView(
      again,
      item,
      (await this.vouchers.forRedemptions([again.id])).get(again.id),
    );
  }

  private async redeemNow(
    memberId: number,
    itemId: number,
    input: RedeemInput,
    requestKey: string,
  ): Promise<RedemptionView> {
    const { requestId: _key, ...request } = input;
    const generation = this.soldOut.generation(itemId);
    for (let attempt = 0; ; attempt++) {
      try {
        const done = await this.uow.run(async (tx) => {
          const claim = await claimRequestKey(tx.em, 'mall.redeem', requestKey, {
            itemId,
            ...request,
          });
          // The key commits with the redemption: only a repeat has one to answer.
          const again =
            claim === 'repeat' ? await tx.em.findOneBy(MallRedemption, { requestKey }) : null;
          if (again)
            return {
              view: toRedemptionView(
                again,
                (await tx.em.findOneBy(MallItem, { id: again.itemId }))!,
                (await this.vouchers.forRedemptions([again.id], tx)).get(again.id),
              ),
            };
          const now = new Date();
          const item = await this.redeemableItem(tx, memberId, itemId, input, now);
          await this.takeLimit(tx, memberId, item, input.quantity);
          const redemption = await this.writeRedemption(tx, memberId, item, input, requestKey, now);
          // The item's row is the one a whole rush waits on: its stock is taken last, so its lock is held for the
          // fewest statements before the commit.
          const cash = redemption.cashDue > 0;
          if (cash) this.settlement.assertTakesCash();
          if (cash) await this.takeStock(tx, item, input.quantity, generation);
          const vouchers = await this.fulfilIfFree(tx, redemption, item);
          await this.engagement.record(tx, {
            memberId,
            type: 'redemption',
            occurredAt: now,
            sourceRef: `mall:${redemption.id}`,
            properties: { itemId, quantity: input.quantity, pointsSpent: redemption.pointsSpent },
          });
          if (!cash) await this.takeStock(tx, item, input.quantity, generation);
          return {
            view: toRedemptionView(redemption, item, vouchers),
            placing: { redemption, item },
          };
        });
        // Points held and stock taken are committed; only then is WeChat Pay asked for the order (a network call
        // never holds the item's row lock). If it fails or the process dies here, the trade number is the
        // redemption's own: the member asks again (routes.mall.payment) and the jobs settle it (query, close).
        if (!done.placing || done.placing.redemption.cashDue === 0) return done.view;
        const { redemption, item } = done.placing;
        return { ...done.view, ...(await this.settlement.place(redemption, item)) };
      } catch (err) {
        // A retried tap with the same request id racing the first: the next attempt answers the first's result.
        if (attempt < 2 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  /**
   * The sold-out fast path: once the item is marked sold out, a new request is refused with the write path's own
   * answer and no transaction (one indexed read keeps a retried tap of a redemption that went through answered
   * with its result).
   */
  /** 409 OUT_OF_STOCK past the last sale, unless this request id already redeemed ('redeemed': answer it again). */
  private async refuseIfSoldOut(itemId: number, requestKey: string): Promise<'redeemed' | 'open'> {
    const stock = () =>
      this.dataSource
        .getRepository(MallItem)
        .findOne({ select: { id: true, stock: true }, where: { id: itemId } })
        .then((i) => i?.stock ?? null);
    if (!(await this.soldOut.isSoldOut(itemId, stock))) return 'open';
    if (await this.redeemedKeys.submit(requestKey)) return 'redeemed';
    throw new DomainError('OUT_OF_STOCK', OUT_OF_STOCK_MESSAGE);
  }

  private async redeemedAmong(keys: string[]): Promise<Set<string>> {
    const rows = await this.dataSource.getRepository(MallRedemption).find({
      select: { id: true, requestKey: true },
      where: { requestKey: In([...new Set(keys)]) },
    });
    return new Set(rows.map((r) => r.requestKey));
  }

  /** The item, if this member may redeem it now: on sale, in its window, their tier, a member day if need be. */
  private async redeemableItem(
    tx: Tx,
    memberId: number,
    itemId: number,
    input: RedeemInput,
    now: Date,
  ): Promise<MallItem> {
    const item = await tx.em.findOneBy(MallItem, { id: itemId });
    const profile = await this.members.profile(memberId, tx);
    const checks = { templates: this.templates, memberDay: this.memberDay, tx };
    return assertRedeemable(item, memberId, profile, input, now, checks);
  }

  /** Takes the member's per-item count, or throws (the whole transaction rolls back). */
  private async takeLimit(tx: Tx, memberId: number, item: MallItem, quantity: number) {
    const itemId = item.id;
    // Per-member limit: a counter row, locked until the redemption commits or rolls back (cancelling gives it back).
    const counter = { entity: MallMemberCount, keys: { memberId, itemId }, column: 'n' } as const;
    if (!(await takeSlot(tx.em, counter, { limit: item.perMemberLimit, n: quantity })))
      throw limitReached(item);
  }

  /** Takes the stock, or throws OUT_OF_STOCK (the whole transaction rolls back). */
  private async takeStock(tx: Tx, item: MallItem, quantity: number, generation: number) {
    const stocked = await tx.em.queryRunner!.query(
      'UPDATE mall_item SET stock = stock - ? WHERE id = ? AND stock >= ?',
      [quantity, item.id, quantity],
      true,
    );
    if ((stocked.affected ?? 0) === 1) return;
    // Not one left: marked sold out (a larger quantity refused with some left is no mark).
    if (quantity === 1) this.soldOut.mark(item.id, generation);
    throw new DomainError('OUT_OF_STOCK', OUT_OF_STOCK_MESSAGE);
  }

  /** The redemption row, and its points spent. */
  private async writeRedemption(
    tx: Tx,
    memberId: number,
    item: MallItem,
    input: RedeemInput,
    requestKey: string,
    now: Date,
  ): Promise<MallRedemption> {
    const itemId = item.id;
    const pointsSpent = item.pointsPrice * input.quantity;
    const cashDue = item.cashPrice * input.quantity;
    const redemption = tx.em.create(MallRedemption, {
      memberId,
      itemId,
      requestKey,
      quantity: input.quantity,
      pointsSpent,
      cashDue,
      status: statusOnRedeem(cashDue, item),
      payBefore: cashDue > 0 ? new Date(now.getTime() + PAY_WITHIN_MS) : null,
      paymentRef: null,
      address: input.address ?? null,
      trackingNo: null,
    });
    await tx.em.insert(MallRedemption, redemption);
    if (pointsSpent > 0) {
      await this.points.debit(tx, {
        memberId,
        type: 'spend',
        points: pointsSpent,
        key: `mall:${redemption.id}`,
        // The redemption's id was just generated: no entry can have this key yet.
        fresh: true,
        sourceType: 'mall',
        sourceRef: String(redemption.id),
        reason: `兑换「${item.name}」×${input.quantity}`,
      });
    }
    return redemption;
  }

  /** Without cash due, the redemption is complete now: what it delivers, delivered. */
  private async fulfilIfFree(
    tx: Tx,
    redemption: MallRedemption,
    item: MallItem,
  ): Promise<VoucherView[]> {
    return redemption.cashDue === 0 ? this.fulfilment.fulfil(tx, redemption, item) : [];
  }
}
