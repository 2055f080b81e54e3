import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { createOrderBody, orderView, refundBody, refundView } from '@huoyue/shared';
import { beyondClockSkew } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { Actor } from '../../infra/auth/token.service.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { findOneForUpdate } from '../../infra/database/locks.js';
import { bulkInsert, placeholders, sqlInstant } from '../../infra/database/bulk.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { canonicalHash } from '../../infra/idempotency/request-keys.js';
import { CouponsService } from '../coupons/index.js';
import { EngagementService } from '../engagement/index.js';
import { MembersService } from '../members/index.js';
import type { Member } from '../members/index.js';
import { TierService } from '../members/index.js';
import { PointsService } from '../points/index.js';
import { AuditService } from '../staff/index.js';
import { Order } from './entities/order.entity.js';
import { groupable, OrderGroups } from './order-groups.js';
import { OrderRefund } from './entities/order-refund.entity.js';

type CreateOrder = z.output<typeof createOrderBody>;
type OrderView = z.output<typeof orderView>;
type RefundView = z.output<typeof refundView>;
type RefundInput = z.output<typeof refundBody>;
/** What a refund took back from the member's points and growth (the points ledger's answer). */
type RefundReversal = Awaited<ReturnType<PointsService['reverseOrder']>>;

export interface ImportedOrder {
  orderNo: string;
  memberId: number;
  amount: number;
  paidAt: Date;
  storeCode: string | null;
}

/** A JSON value with every object's keys in sorted order. */
/**
 * Orders in and refunds out. An order, the points it earns, its engagement event and `order.paid` commit in one
 * transaction; `order_no` and `refund_no` are unique, so retries and races apply each once.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly members: MembersService,
    private readonly tiers: TierService,
    private readonly points: PointsService,
    private readonly engagement: EngagementService,
    private readonly audit: AuditService,
    private readonly coupons: CouponsService,
    private readonly groups: OrderGroups,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async record(input: CreateOrder, actor: Actor): Promise<OrderView> {
    // The same rule as the CSV import: a till's clock may run a few minutes fast, no more.
    if (beyondClockSkew(new Date(input.paidAt)))
      throw new DomainError(
        'VALIDATION_FAILED',
        '支付时间不能晚于当前时间（允许 5 分钟时钟误差）',
        {
          issues: [{ in: 'body', path: 'paidAt', message: '支付时间在未来' }],
        },
      );
    const bodyHash = canonicalHash({ ...input, paidAt: new Date(input.paidAt).toISOString() });
    // Orders that arrive together are written together (OrderGroups); what a group leaves is written here.
    if (groupable(input)) {
      const grouped = await this.groups.submit({ input, actor, bodyHash });
      if (grouped !== 'single') return this.toView(grouped);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.uow.run(async (tx) => {
          // A new order number is the usual case: no read for it first. A number already taken fails the
          // transaction on its unique key, and the next attempt finds the order and answers it again.
          const existing =
            attempt > 0 ? await tx.em.findOneBy(Order, { orderNo: input.orderNo }) : null;
          if (existing) return this.replay(existing, bodyHash);
          const member = await this.orderingMember(tx, input);
          const paidAt = new Date(input.paidAt);
          const order = await this.earnAndInsert(tx, input, actor, member, paidAt, bodyHash);
          await this.completeOrder(tx, input, actor, member.id, paidAt, order.points);
          return this.toView(order);
        });
      } catch (err) {
        // The order number is taken (sent again, or two deliveries at once): the next try answers the order there.
        if (attempt < 2 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  /** Whom an order is for: the member referred to, or a new offline member for a phone not seen before. */
  private async orderingMember(tx: Tx, input: CreateOrder): Promise<Member> {
    let member = await this.members.resolveRef(input.member, tx);
    if (!member && 'phone' in input.member) {
      member = (
        await this.members.findOrCreateOffline(tx, {
          phone: input.member.phone,
          at: new Date(input.paidAt),
        })
      ).member;
    }
    if (!member) throw new DomainError('MEMBER_NOT_FOUND', '找不到该会员，请核对会员信息');
    if (member.status !== 'member')
      throw new DomainError('NOT_A_MEMBER', '该用户尚未开卡，订单不能累积积分');
    return member;
  }

  /** Books what the order earns and inserts the order row with it. */
  private async earnAndInsert(
    tx: Tx,
    input: CreateOrder,
    actor: Actor,
    member: Member,
    paidAt: Date,
    bodyHash: string,
  ): Promise<Order> {
    const tier = await this.tiers.byCode(member.tierCode);
    // Points first, then the order row with what it earned: one INSERT instead of an INSERT and an UPDATE.
    // A racing duplicate fails on the unique order number (or the ledger's key) and rolls all of it back.
    const earned = await this.points.earnForOrder(tx, {
      memberId: member.id,
      orderNo: input.orderNo,
      amount: input.amount,
      paidAt,
      tierMultiplier: tier?.benefits?.pointsMultiplier ?? 1,
    });
    const order = tx.em.create(Order, {
      orderNo: input.orderNo,
      memberId: member.id,
      amount: input.amount,
      refundedAmount: 0,
      paidAt,
      storeCode: input.storeCode ?? null,
      channel: actor.kind === 'integration' ? 'integration' : 'api',
      bodyHash,
      points: earned.points,
      growth: earned.growth,
      pointsStatus: earned.status,
      pointsAvailableAt: earned.availableAt,
      pointsReversed: 0,
      growthReversed: 0,
      breakdown: earned.breakdown,
      details:
        input.items || input.couponCodes
          ? { items: input.items, couponCodes: input.couponCodes }
          : null,
      importId: null,
      // Stamped here, to the millisecond (SQLite's column default keeps whole seconds): the rule simulator
      // finds the tier an order earned at by when it was processed (docs/points-simulator.md).
      createdAt: new Date(),
    });
    await tx.em.insert(Order, order);
    return order;
  }

  /** The rest of a new order's transaction: its coupons, the purchase event, `order.paid` and the audit record. */
  private async completeOrder(
    tx: Tx,
    input: CreateOrder,
    actor: Actor,
    memberId: number,
    paidAt: Date,
    points: number,
  ): Promise<void> {
    // Coupons used online are consumed with the order, or the order fails as a whole.
    if (input.couponCodes?.length)
      await this.coupons.consumeForOrder(
        tx,
        memberId,
        input.couponCodes,
        input.orderNo,
        input.amount,
        input.storeCode ?? null,
      );
    await this.engagement.record(tx, {
      memberId,
      type: 'purchase',
      occurredAt: paidAt,
      sourceRef: `order:${input.orderNo}`,
      properties: { amount: input.amount, storeCode: input.storeCode ?? null },
    });
    await tx.publish('order.paid', {
      memberId,
      orderNo: input.orderNo,
      amount: input.amount,
      paidAt: paidAt.toISOString(),
      storeCode: input.storeCode ?? null,
    });
    await this.audit.record(tx, actor, {
      action: 'order.create',
      entityType: 'order',
      entityId: input.orderNo,
      after: { memberId, amount: input.amount, points },
    });
  }

  /**
   * Bulk form of `record` for imports: one multi-row INSERT that skips order numbers already known (so a file
   * imported twice, or a row repeated, counts once), the purchases into the engagement log, and, when asked, the
   * points at the base rate. Runs in the import's batch transaction.
   */
  async importBatch(
    tx: Tx,
    rows: ImportedOrder[],
    importId: number,
    creditPoints: boolean,
  ): Promise<{ imported: number; skipped: number }> {
    if (rows.length === 0) return { imported: 0, skipped: 0 };
    const ours = await this.insertImported(tx, rows, importId, creditPoints);
    const mine = new Set(ours.map((o) => o.order_no));
    const inserted = rows.filter((r) => mine.has(r.orderNo));
    await this.engagement.recordMany(
      tx,
      inserted.map((r) => ({
        memberId: r.memberId,
        type: 'purchase' as const,
        occurredAt: r.paidAt,
        sourceRef: `order:${r.orderNo}`,
        properties: { amount: r.amount, storeCode: r.storeCode },
      })),
    );
    if (!creditPoints && inserted.length > 0) {
      // No order.paid per row here (an import is history, not a stream of sales): one event per batch instead.
      await tx.publish('orders.imported', {
        importId,
        memberIds: [...new Set(inserted.map((r) => r.memberId))],
        at: new Date().toISOString(),
      });
    }
    if (creditPoints) await this.creditImported(tx, inserted, ours);
    return { imported: inserted.length, skipped: rows.length - inserted.length };
  }

  /**
   * Inserts the rows whose order numbers are new; answers this import's rows (inserted now, or by an earlier attempt
   * of this job) with their points status.
   */
  private async insertImported(
    tx: Tx,
    rows: ImportedOrder[],
    importId: number,
    creditPoints: boolean,
  ): Promise<{ order_no: string; points_status: string }[]> {
    const kind = this.config.database.kind;
    const insertedCount = await bulkInsert(
      tx.em,
      kind,
      'orders',
      // Points, refunds and status columns take their defaults (nothing earned, nothing refunded).
      ['order_no', 'member_id', 'amount', 'paid_at', 'store_code', 'channel', 'import_id'],
      rows.map((r) => [
        r.orderNo,
        r.memberId,
        r.amount,
        sqlInstant(kind, r.paidAt),
        r.storeCode,
        'import',
        importId,
      ]),
      { ignore: true },
    );
    if (insertedCount === rows.length && !creditPoints) {
      return rows.map((r) => ({ order_no: r.orderNo, points_status: 'none' })); // the usual case: every row was new
    }
    // Which rows are this import's (inserted now, or by an earlier attempt of this job), which were known already.
    const nos = rows.map((r) => r.orderNo);
    return tx.em.query(
      `SELECT order_no, points_status FROM orders WHERE import_id = ? AND order_no IN (${placeholders(nos.length)})`,
      [importId, ...nos],
    );
  }

  /** Points at the base rate for this import's orders that have none yet, each with its `order.paid`. */
  private async creditImported(
    tx: Tx,
    inserted: ImportedOrder[],
    ours: { order_no: string; points_status: string }[],
  ): Promise<void> {
    const uncredited = new Set(
      ours.filter((o) => o.points_status === 'none').map((o) => o.order_no),
    );
    for (const r of inserted.filter((o) => uncredited.has(o.orderNo))) {
      const earned = await this.points.earnForOrder(tx, {
        memberId: r.memberId,
        orderNo: r.orderNo,
        amount: r.amount,
        paidAt: r.paidAt,
        tierMultiplier: 1,
      });
      await tx.em.update(
        Order,
        { orderNo: r.orderNo },
        {
          points: earned.points,
          growth: earned.growth,
          pointsStatus: earned.status,
          pointsAvailableAt: earned.availableAt,
          breakdown: earned.breakdown,
        },
      );
      await tx.publish('order.paid', {
        memberId: r.memberId,
        orderNo: r.orderNo,
        amount: r.amount,
        paidAt: r.paidAt.toISOString(),
        storeCode: r.storeCode,
      });
    }
  }

  async get(orderNo: string): Promise<OrderView> {
    const order = await this.dataSource.getRepository(Order).findOneBy({ orderNo });
    if (!order) throw new DomainError('NOT_FOUND', '订单不存在');
    return this.toView(order);
  }

  /**
   * Reverses the points and growth of the refunded share of an order: after refunds totalling R of an order of A,
   * floor(points × R / A) have been taken back (all of them at a full refund).
   */
  async refund(orderNo: string, input: RefundInput, actor: Actor): Promise<RefundView> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.uow.run(async (tx) => {
          const existing = await tx.em.findOneBy(OrderRefund, { refundNo: input.refundNo });
          if (existing) {
            if (existing.orderNo !== orderNo || existing.amount !== input.amount)
              throw new DomainError('REFUND_CONFLICT', '该退款单号已用于另一笔退款');
            return toRefundView(existing);
          }
          const order = await findOneForUpdate(tx.em, Order, { orderNo });
          if (!order) throw new DomainError('NOT_FOUND', '订单不存在');
          const refunded = order.refundedAmount + input.amount;
          if (refunded > order.amount) {
            throw new DomainError(
              'REFUND_EXCEEDS_ORDER',
              `退款金额超出订单可退金额（还可退 ${((order.amount - order.refundedAmount) / 100).toFixed(2)} 元）`,
              {
                refundable: order.amount - order.refundedAmount,
              },
            );
          }
          const reversed = await this.reverseRefundedShare(tx, order, orderNo, input, refunded);
          return toRefundView(await this.recordRefund(tx, actor, order, orderNo, input, reversed));
        });
      } catch (err) {
        if (attempt < 2 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  /** Takes back what the refunded share of the order earned and updates the order's refund totals. */
  private async reverseRefundedShare(
    tx: Tx,
    order: Order,
    orderNo: string,
    input: RefundInput,
    refunded: number,
  ): Promise<RefundReversal> {
    const share = (total: number) =>
      refunded === order.amount ? total : Math.floor((total * refunded) / order.amount);
    const pointsDue = share(order.points) - order.pointsReversed;
    const growthDue = share(order.growth) - order.growthReversed;
    const reversed = await this.points.reverseOrder(tx, {
      memberId: order.memberId,
      orderNo,
      refundNo: input.refundNo,
      points: pointsDue,
      growth: growthDue,
    });
    await tx.em.update(
      Order,
      { id: order.id },
      {
        refundedAmount: refunded,
        pointsReversed: order.pointsReversed + pointsDue,
        growthReversed: order.growthReversed + growthDue,
        pointsStatus:
          order.pointsStatus === 'pending' && refunded === order.amount
            ? 'cancelled'
            : order.pointsStatus,
      },
    );
    return reversed;
  }

  /** Writes the refund row, the refund event, `order.refunded` and the audit record. */
  private async recordRefund(
    tx: Tx,
    actor: Actor,
    order: Order,
    orderNo: string,
    input: RefundInput,
    reversed: RefundReversal,
  ): Promise<OrderRefund> {
    const refund = tx.em.create(OrderRefund, {
      refundNo: input.refundNo,
      orderNo,
      memberId: order.memberId,
      amount: input.amount,
      pointsReversed: reversed.pointsReversed,
      growthReversed: reversed.growthReversed,
      pointsOwed: reversed.pointsOwed,
    });
    await tx.em.insert(OrderRefund, refund);
    await this.engagement.record(tx, {
      memberId: order.memberId,
      type: 'refund',
      sourceRef: `refund:${input.refundNo}`,
      properties: { orderNo, amount: input.amount },
    });
    await tx.publish('order.refunded', {
      memberId: order.memberId,
      orderNo,
      refundNo: input.refundNo,
      amount: input.amount,
      at: new Date().toISOString(),
    });
    await this.audit.record(tx, actor, {
      action: 'order.refund',
      entityType: 'order',
      entityId: orderNo,
      after: { refundNo: input.refundNo, amount: input.amount, ...reversed },
    });
    return refund;
  }

  private replay(existing: Order, bodyHash: string): OrderView {
    if (existing.bodyHash !== bodyHash) {
      throw new DomainError('ORDER_CONFLICT', '订单号已存在且内容不同；同一订单请原样重发', {
        orderNo: existing.orderNo,
      });
    }
    return this.toView(existing);
  }

  toView(order: Order): OrderView {
    // A pending lot is released by the points job; the order shows the state the member sees.
    const status =
      order.pointsStatus === 'pending' &&
      order.pointsAvailableAt &&
      order.pointsAvailableAt <= new Date()
        ? 'credited'
        : order.pointsStatus;
    return {
      orderNo: order.orderNo,
      memberId: order.memberId,
      amount: order.amount,
      refundedAmount: order.refundedAmount,
      paidAt: order.paidAt.toISOString(),
      storeCode: order.storeCode,
      points: order.points,
      growth: order.growth,
      pointsStatus: status,
      pointsAvailableAt: order.pointsAvailableAt?.toISOString() ?? null,
      breakdown: order.breakdown ?? null,
    };
  }
}

function toRefundView(r: OrderRefund): RefundView {
  return {
    refundNo: r.refundNo,
    orderNo: r.orderNo,
    amount: r.amount,
    pointsReversed: r.pointsReversed,
    growthReversed: r.growthReversed,
    pointsOwed: r.pointsOwed,
  };
}
