import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { z } from 'zod';
import type { mallItemInput, mallItemView, redemptionView } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { CouponsService } from '../coupons/coupons.service.js';
import { EngagementService } from '../engagement/engagement.service.js';
import { MemberDirectory } from '../points/member-directory.js';
import { PointsService } from '../points/points.service.js';
import { AuditService } from '../staff/audit.service.js';
import { MallItem, MallMemberCount, MallRedemption } from './mall.entity.js';
import { PaymentGateway } from './payment.gateway.js';

type ItemView = z.output<typeof mallItemView>;
type RedemptionView = z.output<typeof redemptionView>;

/** Unpaid points + cash redemptions are cancelled (and everything restored) after this long. */
export const PAY_WITHIN_MS = 15 * 60_000;

/** Whether a member day is on now for this member (the member-day issue plugs in here). */
export type MemberDayCheck = (memberId: number, at: Date) => Promise<boolean>;

/**
 * The points mall. A redemption takes the per-member count, the stock and the points with conditional UPDATEs in
 * one transaction with the redemption row: all of it commits, or none (409 OUT_OF_STOCK / LIMIT_REACHED, 422
 * INSUFFICIENT_POINTS, 403 NOT_ELIGIBLE). Cancelling gives all three back.
 */
@Injectable()
export class MallService {
  private memberDay: MemberDayCheck = async () => false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly points: PointsService,
    private readonly coupons: CouponsService,
    private readonly members: MemberDirectory,
    private readonly engagement: EngagementService,
    private readonly audit: AuditService,
    private readonly payments: PaymentGateway,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  setMemberDayCheck(check: MemberDayCheck): void {
    this.memberDay = check;
  }

  itemView(i: MallItem): ItemView {
    return {
      id: i.id,
      name: i.name,
      kind: i.kind,
      couponTemplateId: i.couponTemplateId,
      pointsPrice: i.pointsPrice,
      cashPrice: i.cashPrice,
      stock: i.stock,
      perMemberLimit: i.perMemberLimit,
      availableFrom: i.availableFrom?.toISOString() ?? null,
      availableTo: i.availableTo?.toISOString() ?? null,
      tiers: i.tiers,
      memberDayOnly: i.memberDayOnly,
      imageUrl: i.imageUrl,
      description: i.description,
      active: i.active,
    };
  }

  async createItem(
    actor: StaffPrincipal,
    input: z.output<typeof mallItemInput>,
  ): Promise<ItemView> {
    return this.uow.run(async (tx) => {
      const item = tx.em.create(MallItem, {
        ...input,
        availableFrom: input.availableFrom ? new Date(input.availableFrom) : null,
        availableTo: input.availableTo ? new Date(input.availableTo) : null,
      });
      await tx.em.insert(MallItem, item);
      await this.audit.record(tx.em, actor, {
        action: 'mall_item.create',
        entityType: 'mall_item',
        entityId: item.id,
        after: this.itemView(item),
      });
      return this.itemView(item);
    });
  }

  async updateItem(
    actor: StaffPrincipal,
    id: number,
    input: {
      stockDelta?: number;
      availableFrom?: string | null;
      availableTo?: string | null;
    } & Partial<
      Pick<
        MallItem,
        | 'name'
        | 'pointsPrice'
        | 'cashPrice'
        | 'perMemberLimit'
        | 'tiers'
        | 'memberDayOnly'
        | 'imageUrl'
        | 'description'
        | 'active'
      >
    >,
  ): Promise<ItemView> {
    return this.uow.run(async (tx) => {
      const item = await tx.em.findOneBy(MallItem, { id });
      if (!item) throw new DomainError('NOT_FOUND', '商品不存在');
      const before = this.itemView(item);
      const { stockDelta, availableFrom, availableTo, ...rest } = input;
      if (stockDelta) {
        // A delta, conditional on not going below zero: staff restocking never overwrites concurrent redemptions.
        const moved = await tx.em.queryRunner!.query(
          'UPDATE mall_item SET stock = stock + ? WHERE id = ? AND stock + ? >= 0',
          [stockDelta, id, stockDelta],
          true,
        );
        if ((moved.affected ?? 0) !== 1)
          throw new DomainError('BUSINESS_RULE', `库存不足以减少 ${-stockDelta} 件`);
      }
      const changes: Partial<MallItem> = { ...rest };
      if (availableFrom !== undefined)
        changes.availableFrom = availableFrom ? new Date(availableFrom) : null;
      if (availableTo !== undefined)
        changes.availableTo = availableTo ? new Date(availableTo) : null;
      if (Object.keys(changes).length > 0) await tx.em.update(MallItem, { id }, changes);
      const after = this.itemView((await tx.em.findOneBy(MallItem, { id }))!);
      await this.audit.record(tx.em, actor, {
        action: 'mall_item.update',
        entityType: 'mall_item',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  async allItems(): Promise<ItemView[]> {
    return (await this.dataSource.getRepository(MallItem).find({ order: { id: 'DESC' } })).map(
      (i) => this.itemView(i),
    );
  }

  /** Items on sale now: active, inside their window. Tier and member-day limits are shown, and checked on redeem. */
  async onSale(now = new Date()): Promise<ItemView[]> {
    const items = await this.dataSource
      .getRepository(MallItem)
      .find({ where: { active: true }, order: { id: 'DESC' } });
    return items
      .filter(
        (i) =>
          (!i.availableFrom || i.availableFrom <= now) && (!i.availableTo || i.availableTo > now),
      )
      .map((i) => this.itemView(i));
  }

  async item(id: number): Promise<ItemView> {
    const item = await this.dataSource.getRepository(MallItem).findOneBy({ id, active: true });
    if (!item) throw new DomainError('NOT_FOUND', '商品不存在或已下架');
    return this.itemView(item);
  }

  async redeem(
    memberId: number,
    itemId: number,
    input: {
      quantity: number;
      address?: { name: string; phone: string; address: string };
      requestId: string;
    },
  ): Promise<RedemptionView> {
    const requestKey = `${memberId}:${input.requestId}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.uow.run(async (tx) => {
          const again = await tx.em.findOneBy(MallRedemption, { requestKey });
          if (again)
            return this.view(again, (await tx.em.findOneBy(MallItem, { id: again.itemId }))!);
          const now = new Date();
          const item = await tx.em.findOneBy(MallItem, { id: itemId });
          if (!item || !item.active) throw new DomainError('NOT_FOUND', '商品不存在或已下架');
          if (
            (item.availableFrom && item.availableFrom > now) ||
            (item.availableTo && item.availableTo <= now)
          )
            throw new DomainError('NOT_ELIGIBLE', '该商品不在兑换时间内');
          if (item.kind === 'physical' && !input.address)
            throw new DomainError('VALIDATION_FAILED', '实物商品请填写收货地址');
          const profile = await this.members.profile(tx.em, memberId);
          if (!profile || profile.status !== 'member')
            throw new DomainError('NOT_A_MEMBER', '开通会员后才能兑换');
          if (profile.blocked)
            throw new DomainError('RISK_REJECTED', '当前账号存在风险，暂时无法兑换');
          if (item.tiers.length > 0 && !item.tiers.includes(profile.tierCode ?? ''))
            throw new DomainError('NOT_ELIGIBLE', '该商品仅限指定等级会员兑换');
          if (item.memberDayOnly && !(await this.memberDay(memberId, now)))
            throw new DomainError('NOT_ELIGIBLE', '该商品仅在会员日开放兑换');
          // Per-member limit: one upsert takes the row lock, then the count decides (the whole transaction rolls back).
          await tx.em.query(
            this.config.database.kind === 'mysql'
              ? 'INSERT INTO mall_member_count (member_id, item_id, n) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE n = n + VALUES(n)'
              : 'INSERT INTO mall_member_count (member_id, item_id, n) VALUES (?, ?, ?) ON CONFLICT (member_id, item_id) DO UPDATE SET n = n + excluded.n',
            [memberId, itemId, input.quantity],
          );
          if (
            (await tx.em.findOneByOrFail(MallMemberCount, { memberId, itemId })).n >
            item.perMemberLimit
          ) {
            throw new DomainError('LIMIT_REACHED', `每人限兑 ${item.perMemberLimit} 件`);
          }
          const stocked = await tx.em.queryRunner!.query(
            'UPDATE mall_item SET stock = stock - ? WHERE id = ? AND stock >= ?',
            [input.quantity, itemId, input.quantity],
            true,
          );
          if ((stocked.affected ?? 0) !== 1)
            throw new DomainError('OUT_OF_STOCK', '来晚了，商品已兑完');
          const pointsSpent = item.pointsPrice * input.quantity;
          const cashDue = item.cashPrice * input.quantity;
          const redemption = tx.em.create(MallRedemption, {
            memberId,
            itemId,
            requestKey,
            quantity: input.quantity,
            pointsSpent,
            cashDue,
            status:
              cashDue > 0
                ? 'pending_payment'
                : item.kind === 'physical'
                  ? 'pending_shipment'
                  : 'completed',
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
              sourceType: 'mall',
              sourceRef: String(redemption.id),
              reason: `兑换「${item.name}」×${input.quantity}`,
            });
          }
          let params: Record<string, string> | null = null;
          if (cashDue > 0) {
            const payment = await this.payments.create({
              reference: `MALL${redemption.id}`,
              amountFen: cashDue,
              description: item.name,
            });
            await tx.em.update(
              MallRedemption,
              { id: redemption.id },
              { paymentRef: payment.paymentRef },
            );
            redemption.paymentRef = payment.paymentRef;
            params = payment.params;
          } else {
            await this.fulfil(tx, redemption, item);
          }
          await this.engagement.record(tx.em, {
            memberId,
            type: 'redemption',
            occurredAt: now,
            sourceRef: `mall:${redemption.id}`,
            properties: { itemId, quantity: input.quantity, pointsSpent },
          });
          return { ...this.view(redemption, item), paymentParams: params };
        });
      } catch (err) {
        // A retried tap with the same request id racing the first: the next attempt answers the first's result.
        if (attempt < 2 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  /** After the member paid in WeChat: the server asks the provider, never trusting the client alone. */
  async confirmPayment(memberId: number, redemptionId: number): Promise<RedemptionView> {
    const redemption = await this.dataSource
      .getRepository(MallRedemption)
      .findOneBy({ id: redemptionId, memberId });
    if (!redemption) throw new DomainError('NOT_FOUND', '兑换记录不存在');
    if (redemption.status !== 'pending_payment')
      return this.view(
        redemption,
        (await this.dataSource.getRepository(MallItem).findOneBy({ id: redemption.itemId }))!,
      );
    if ((await this.payments.status(redemption.paymentRef!)) !== 'paid')
      throw new DomainError('BUSINESS_RULE', '尚未收到付款，请完成支付后重试');
    return this.uow.run(async (tx) => {
      const item = (await tx.em.findOneBy(MallItem, { id: redemption.itemId }))!;
      const moved = await tx.em.update(
        MallRedemption,
        { id: redemptionId, status: 'pending_payment' },
        { status: item.kind === 'physical' ? 'pending_shipment' : 'completed', payBefore: null },
      );
      const current = (await tx.em.findOneBy(MallRedemption, { id: redemptionId }))!;
      if ((moved.affected ?? 0) === 1) await this.fulfil(tx, current, item);
      return this.view(current, item);
    });
  }

  /** All members' redemptions, by status (staff fulfilment). */
  async list(
    status: MallRedemption['status'] | undefined,
    limit: number,
    cursor?: string,
  ): Promise<{
    items: (RedemptionView & { memberId: number; address: MallRedemption['address'] })[];
    nextCursor: string | null;
  }> {
    const qb = this.dataSource.getRepository(MallRedemption).createQueryBuilder('r');
    if (status) qb.where('r.status = :status', { status });
    if (cursor) qb.andWhere('r.id < :before', { before: Number(cursor) || 0 });
    const rows = await qb
      .orderBy('r.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const items = await this.dataSource
      .getRepository(MallItem)
      .findBy({ id: In([...new Set(rows.map((r) => r.itemId))].concat(0)) });
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        ...this.view(
          r,
          items.find((i) => i.id === r.itemId)!,
        ),
        memberId: r.memberId,
        address: r.address,
      })),
      nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
    };
  }

  async mine(
    memberId: number,
    limit: number,
    cursor?: string,
  ): Promise<{ items: RedemptionView[]; nextCursor: string | null }> {
    const qb = this.dataSource
      .getRepository(MallRedemption)
      .createQueryBuilder('r')
      .where('r.member_id = :memberId', { memberId });
    if (cursor) qb.andWhere('r.id < :before', { before: Number(cursor) || 0 });
    const rows = await qb
      .orderBy('r.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const items = await this.dataSource
      .getRepository(MallItem)
      .findBy({ id: In([...new Set(rows.map((r) => r.itemId))].concat(0)) });
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) =>
        this.view(
          r,
          items.find((i) => i.id === r.itemId)!,
        ),
      ),
      nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
    };
  }

  async ship(actor: StaffPrincipal, id: number, trackingNo: string): Promise<RedemptionView> {
    return this.uow.run(async (tx) => {
      const moved = await tx.em.update(
        MallRedemption,
        { id, status: 'pending_shipment' },
        { status: 'shipped', trackingNo },
      );
      const redemption = await tx.em.findOneBy(MallRedemption, { id });
      if (!redemption) throw new DomainError('NOT_FOUND', '兑换记录不存在');
      if ((moved.affected ?? 0) !== 1)
        throw new DomainError('CONFLICT', '只有待发货的兑换可以发货');
      await this.audit.record(tx.em, actor, {
        action: 'mall_redemption.ship',
        entityType: 'mall_redemption',
        entityId: id,
        after: { trackingNo },
      });
      await tx.publish('mall.shipped', {
        memberId: redemption.memberId,
        redemptionId: id,
        trackingNo,
        at: new Date().toISOString(),
      });
      return this.view(redemption, (await tx.em.findOneBy(MallItem, { id: redemption.itemId }))!);
    });
  }

  async deliver(actor: StaffPrincipal, id: number): Promise<RedemptionView> {
    return this.uow.run(async (tx) => {
      const moved = await tx.em.update(
        MallRedemption,
        { id, status: 'shipped' },
        { status: 'delivered' },
      );
      const redemption = await tx.em.findOneBy(MallRedemption, { id });
      if (!redemption) throw new DomainError('NOT_FOUND', '兑换记录不存在');
      if ((moved.affected ?? 0) !== 1)
        throw new DomainError('CONFLICT', '只有已发货的兑换可以确认送达');
      await this.audit.record(tx.em, actor, {
        action: 'mall_redemption.deliver',
        entityType: 'mall_redemption',
        entityId: id,
      });
      return this.view(redemption, (await tx.em.findOneBy(MallItem, { id: redemption.itemId }))!);
    });
  }

  /**
   * Staff cancel (not yet shipped) or refund (goods returned after shipping or delivery): stock, the member's count
   * and the points come back. Coupons a redemption issued stay with the member (revoking them is a staff decision).
   */
  async cancel(actor: StaffPrincipal | null, id: number, reason: string): Promise<RedemptionView> {
    return this.uow.run(async (tx) => {
      const redemption = await tx.em.findOneBy(MallRedemption, { id });
      if (!redemption) throw new DomainError('NOT_FOUND', '兑换记录不存在');
      const moved = await tx.em
        .createQueryBuilder()
        .update(MallRedemption)
        .set({ status: 'cancelled' })
        .where("id = :id AND status <> 'cancelled'", { id })
        .execute();
      if ((moved.affected ?? 0) !== 1) throw new DomainError('CONFLICT', '该兑换已取消');
      await this.restore(tx, redemption, reason);
      if (actor)
        await this.audit.record(tx.em, actor, {
          action: 'mall_redemption.cancel',
          entityType: 'mall_redemption',
          entityId: id,
          after: { reason },
        });
      return this.view(
        { ...redemption, status: 'cancelled' },
        (await tx.em.findOneBy(MallItem, { id: redemption.itemId }))!,
      );
    });
  }

  /** Unpaid points + cash redemptions past their deadline are cancelled and everything restored. */
  async expireUnpaid(asOf: Date): Promise<number> {
    const due = await this.dataSource
      .getRepository(MallRedemption)
      .createQueryBuilder('r')
      .where("r.status = 'pending_payment' AND r.pay_before <= :asOf", { asOf })
      .limit(1000)
      .getMany();
    let cancelled = 0;
    for (const r of due) {
      // A payment that arrived at the last moment wins over the timeout.
      if (r.paymentRef && (await this.payments.status(r.paymentRef)) === 'paid') continue;
      await this.uow.run(async (tx) => {
        const moved = await tx.em.update(
          MallRedemption,
          { id: r.id, status: 'pending_payment' },
          { status: 'cancelled' },
        );
        if ((moved.affected ?? 0) !== 1) return;
        await this.restore(tx, r, '超时未支付');
        cancelled++;
      });
    }
    return cancelled;
  }

  private async restore(tx: Tx, r: MallRedemption, reason: string): Promise<void> {
    await tx.em.query('UPDATE mall_item SET stock = stock + ? WHERE id = ?', [
      r.quantity,
      r.itemId,
    ]);
    await tx.em.query(
      'UPDATE mall_member_count SET n = n - ? WHERE member_id = ? AND item_id = ? AND n >= ?',
      [r.quantity, r.memberId, r.itemId, r.quantity],
    );
    if (r.pointsSpent > 0) {
      await this.points.credit(tx, {
        memberId: r.memberId,
        type: 'refund',
        points: r.pointsSpent,
        key: `mall-refund:${r.id}`,
        sourceType: 'mall',
        sourceRef: String(r.id),
        reason: `兑换取消：${reason}`,
      });
    }
    await tx.publish('mall.cancelled', {
      memberId: r.memberId,
      redemptionId: r.id,
      pointsReturned: r.pointsSpent,
      reason,
      at: new Date().toISOString(),
    });
  }

  /** What a completed redemption delivers: coupons are issued now; goods wait for shipping. */
  private async fulfil(tx: Tx, r: MallRedemption, item: MallItem): Promise<void> {
    if (item.kind === 'coupon' && item.couponTemplateId) {
      for (let i = 0; i < r.quantity; i++)
        await this.coupons.issue(
          tx,
          r.memberId,
          item.couponTemplateId,
          'mall',
          `mall:${r.id}:${i}`,
        );
    }
    await tx.publish('mall.redeemed', {
      memberId: r.memberId,
      redemptionId: r.id,
      itemId: item.id,
      quantity: r.quantity,
      pointsSpent: r.pointsSpent,
      at: new Date().toISOString(),
    });
  }

  private view(r: MallRedemption, item: MallItem): RedemptionView {
    return {
      redemptionId: r.id,
      itemId: r.itemId,
      itemName: item.name,
      quantity: r.quantity,
      pointsSpent: r.pointsSpent,
      cashDue: r.cashDue,
      status: r.status,
      payBefore: r.payBefore?.toISOString() ?? null,
      paymentParams: null,
      trackingNo: r.trackingNo,
      createdAt: (r.createdAt ?? new Date()).toISOString(),
    };
  }
}
