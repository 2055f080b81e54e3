import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { createOrderBody } from '@huoyue/shared';
import type { Actor } from '../../infra/auth/token.service.js';
import { placeholders } from '../../infra/database/bulk.js';
import { GroupCommit, type Settled } from '../../infra/database/group-commit.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { EngagementService } from '../engagement/index.js';
import { TierService } from '../members/index.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import { PointsService } from '../points/index.js';
import { AuditService } from '../staff/index.js';
import { Order } from './entities/order.entity.js';

type CreateOrder = z.output<typeof createOrderBody>;

export interface OrderRequest {
  input: CreateOrder;
  actor: Actor;
  bodyHash: string;
}

/** A group's answer to one order: the order it wrote, or 'single' — this one takes the single write path. */
export type OrderAnswer = Order | 'single';

/** Whether a group can write this order: a member named by id, no coupons to consume with it. */
export function groupable(input: CreateOrder): boolean {
  return 'id' in input.member && !input.couponCodes?.length;
}

/**
 * Orders that arrive together (a till syncing, a burst from an integration) are written together (GroupCommit):
 * one transaction per group reads which order numbers are known and the members' profiles, plans what each order
 * earns (`PointsService.planOrderEarn`: the same rules, tier multiplier and member-day bonus as one at a time), and
 * writes the credits (`creditMany`), the order rows, the purchases, the `order.paid` events and the audit records
 * with multi-row statements. What a group does not handle goes the single way (OrdersService): an order number
 * already known (answered from the stored order), a member not open for orders (its refusal, or a merged record
 * followed to its survivor), points held pending during a protection period, and every order of a group whose
 * transaction failed as a whole (a number sent twice at once fails the group on its unique key).
 */
@Injectable()
export class OrderGroups {
  private readonly groups = new GroupCommit<OrderRequest, OrderAnswer>(
    (requests) => this.writeGroup(requests),
    async () => 'single',
    { maxBatch: 100, inFlight: 2 },
  );

  constructor(
    private readonly uow: UnitOfWork,
    private readonly members: MemberDirectory,
    private readonly tiers: TierService,
    private readonly points: PointsService,
    private readonly engagement: EngagementService,
    private readonly audit: AuditService,
  ) {}

  submit(request: OrderRequest): Promise<OrderAnswer> {
    return this.groups.submit(request);
  }

  private writeGroup(requests: OrderRequest[]): Promise<Settled<OrderAnswer>[]> {
    return this.uow.run(async (tx) => {
      const answers: Settled<OrderAnswer>[] = requests.map(() => ({ ok: true, value: 'single' }));
      const planned = await this.plan(tx, requests);
      if (planned.length === 0) return answers;
      await this.points.creditMany(
        tx,
        planned.flatMap((p) => (p.credit ? [{ ...p.credit, fresh: true }] : [])),
      );
      await this.insertOrders(tx, planned);
      await this.complete(tx, planned);
      for (const p of planned) answers[p.index] = { ok: true, value: p.order };
      return answers;
    });
  }

  /** The orders this group writes (new numbers, open members, earning now or nothing), each with its plan. */
  private async plan(tx: Tx, requests: OrderRequest[]) {
    const numbers = requests.map((r) => r.input.orderNo);
    const known = new Set(
      (
        (await tx.em.query(
          `SELECT order_no FROM orders WHERE order_no IN (${placeholders(numbers.length)})`,
          numbers,
        )) as { order_no: string }[]
      ).map((r) => r.order_no),
    );
    const memberIds = requests.map((r) => ('id' in r.input.member ? r.input.member.id : 0));
    const profiles = await this.members.profiles(memberIds, tx);
    const planned = [];
    for (const [index, r] of requests.entries()) {
      const profile = profiles.get(memberIds[index]!);
      if (known.has(r.input.orderNo) || !profile || profile.status !== 'member') continue;
      known.add(r.input.orderNo); // the same number twice in one group: the second is a retry
      const tier = await this.tiers.byCode(profile.tierCode);
      const paidAt = new Date(r.input.paidAt);
      const { result, credit } = await this.points.planOrderEarn(
        {
          memberId: memberIds[index]!,
          orderNo: r.input.orderNo,
          amount: r.input.amount,
          paidAt,
          tierMultiplier: tier?.benefits?.pointsMultiplier ?? 1,
        },
        !profile.blocked,
      );
      if (result.status === 'pending') continue;
      const order = tx.em.create(Order, {
        orderNo: r.input.orderNo,
        memberId: memberIds[index]!,
        amount: r.input.amount,
        refundedAmount: 0,
        paidAt,
        storeCode: r.input.storeCode ?? null,
        channel: r.actor.kind === 'integration' ? 'integration' : 'api',
        bodyHash: r.bodyHash,
        points: result.points,
        growth: result.growth,
        pointsStatus: result.status,
        pointsAvailableAt: result.availableAt,
        pointsReversed: 0,
        growthReversed: 0,
        breakdown: result.breakdown,
        details:
          r.input.items || r.input.couponCodes
            ? { items: r.input.items, couponCodes: r.input.couponCodes }
            : null,
        importId: null,
        // Stamped here, to the millisecond (SQLite's column default keeps whole seconds): the rule simulator
        // finds the tier an order earned at by when it was processed (docs/points-simulator.md).
        createdAt: new Date(),
      });
      planned.push({ index, request: r, order, credit });
    }
    return planned;
  }

  /** The order rows, one multi-row INSERT (the unique order number still decides against other instances). */
  private async insertOrders(tx: Tx, planned: { order: Order }[]): Promise<void> {
    await tx.em
      .createQueryBuilder()
      .insert()
      .into(Order)
      .values(planned.map((p) => p.order))
      .updateEntity(false)
      .execute();
  }

  /** The purchases, `order.paid` and the audit records: one INSERT each for the group. */
  private async complete(tx: Tx, planned: { request: OrderRequest; order: Order }[]) {
    await this.engagement.recordMany(
      tx,
      planned.map(({ order }) => ({
        memberId: order.memberId,
        type: 'purchase',
        occurredAt: order.paidAt,
        sourceRef: `order:${order.orderNo}`,
        properties: { amount: order.amount, storeCode: order.storeCode },
      })),
    );
    await tx.publishMany(
      'order.paid',
      planned.map(({ order }) => ({
        memberId: order.memberId,
        orderNo: order.orderNo,
        amount: order.amount,
        paidAt: order.paidAt.toISOString(),
        storeCode: order.storeCode,
      })),
    );
    // One audit statement per actor (a group mixes staff accounts and integrations only rarely).
    const byActor = new Map<string, { actor: Actor; orders: { order: Order }[] }>();
    for (const p of planned) {
      const a = p.request.actor;
      const key =
        a.kind === 'staff' ? `staff:${a.staffId}:${a.username}` : `key:${a.keyId}:${a.name}`;
      const entry = byActor.get(key) ?? { actor: a, orders: [] };
      entry.orders.push(p);
      byActor.set(key, entry);
    }
    for (const { actor, orders } of byActor.values())
      await this.audit.recordMany(
        tx,
        actor,
        orders.map(({ order }) => ({
          action: 'order.create',
          entityType: 'order',
          entityId: order.orderNo,
          after: { memberId: order.memberId, amount: order.amount, points: order.points },
        })),
      );
  }
}
