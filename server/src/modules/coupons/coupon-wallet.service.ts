import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { couponFaceLabel, type deskCoupon, maskNickname, maskPhone } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { sqlInstant } from '../../infra/database/bulk.js';
import { findOneForUpdate } from '../../infra/database/locks.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { EngagementService } from '../engagement/index.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import {
  AuditService,
  type DeskStore,
  deskStore,
  StoresService,
  storeNames,
} from '../staff/index.js';
import { Coupon, CouponTemplate } from './coupon.entity.js';
import {
  type CouponView,
  storeName,
  toCouponView,
  whyNotUsable,
  withTemplates,
} from './coupon-views.js';

type DeskCoupon = z.output<typeof deskCoupon>;

/** A coupon limited to some stores, scanned at another: the reason, naming where it may be used. */
export function storeRefusal(template: CouponTemplate, store: DeskStore): DomainError | null {
  const only = template.storeCodes ?? [];
  if (only.length === 0 || only.includes(store.code)) return null;
  return new DomainError(
    'COUPON_NOT_USABLE',
    `该券仅限 ${only.map((c) => storeName(store.names, c)).join('、')} 使用，不能在 ${store.name} 核销`,
    { stores: only },
  );
}

/** Verifications can be undone this long after they happened (a clerk scanned the wrong coupon). */
export const UNDO_WINDOW_MS = 10 * 60_000;

/** The coupons members hold: the wallet, verification in store exactly once, and its undo. */
@Injectable()
export class CouponWalletService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly engagement: EngagementService,
    private readonly audit: AuditService,
    private readonly stores: StoresService,
    private readonly members: MemberDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async wallet(memberId: number, status: 'available' | 'used' | 'expired'): Promise<CouponView[]> {
    const now = new Date();
    const qb = this.dataSource
      .getRepository(Coupon)
      .createQueryBuilder('c')
      .where('c.member_id = :memberId', { memberId });
    if (status === 'available')
      qb.andWhere("c.status = 'available' AND c.valid_to > :now", { now });
    else if (status === 'used') qb.andWhere("c.status = 'used'");
    else
      qb.andWhere("(c.status = 'expired' OR (c.status = 'available' AND c.valid_to <= :now))", {
        now,
      });
    const coupons = await qb
      .orderBy('c.valid_to', status === 'available' ? 'ASC' : 'DESC')
      .limit(200)
      .getMany();
    return withTemplates(this.dataSource.manager, coupons, await storeNames(this.stores));
  }

  /** A clerk lists a member's coupons only while the member shows their card code at the desk. */
  async assertPresent(memberId: number, cardCode: string | undefined): Promise<void> {
    const shown = cardCode ? await this.members.byCardCode(cardCode) : null;
    if (shown !== memberId)
      throw new DomainError(
        'FORBIDDEN',
        '店员只能在会员出示会员码后查看其优惠券；核销请扫描顾客出示的券码',
      );
  }

  async mine(memberId: number, id: number): Promise<CouponView> {
    const coupon = await this.dataSource.getRepository(Coupon).findOneBy({ id, memberId });
    if (!coupon) throw new DomainError('NOT_FOUND', '优惠券不存在');
    return (
      await withTemplates(this.dataSource.manager, [coupon], await storeNames(this.stores))
    )[0]!;
  }

  /**
   * What the clerk sees before verifying: the coupon, its holder, and whether it can be used at this store now
   * (null when no coupon has this code).
   */
  async lookup(rawCode: string, store: DeskStore): Promise<DeskCoupon | null> {
    const coupon = await this.dataSource
      .getRepository(Coupon)
      .findOneBy({ code: rawCode.trim().toUpperCase() });
    if (!coupon) return null;
    const template = await this.dataSource
      .getRepository(CouponTemplate)
      .findOneByOrFail({ id: coupon.templateId });
    const holder = (await this.members.contacts([coupon.memberId])).get(coupon.memberId);
    const view = toCouponView(coupon, template, store.names);
    const refusal = this.refusal(coupon, template, store, new Date());
    return {
      kind: 'coupon',
      code: coupon.code,
      name: template.name,
      couponKind: template.kind,
      face: couponFaceLabel(template),
      threshold: template.threshold,
      validFrom: view.validFrom,
      validTo: view.validTo,
      status: view.status,
      usedAt: view.usedAt,
      usedStoreName: coupon.usedStoreCode ? storeName(store.names, coupon.usedStoreCode) : null,
      storeNames: view.storeNames,
      holder: {
        nickname: maskNickname(holder?.nickname),
        phoneMasked: maskPhone(holder?.phone),
        cardNo: holder?.cardNo ?? null,
      },
      usable: refusal === null,
      reason: refusal?.message ?? null,
    };
  }

  /**
   * Verification in store: one conditional UPDATE from available to used, so two clerks scanning the same code at
   * once get one success and one 409. A clerk verifies only at their own store; a coupon limited to some stores
   * only there.
   */
  async redeem(
    staff: StaffPrincipal,
    input: { code: string; storeCode?: string; orderNo?: string },
  ): Promise<CouponView> {
    const store = await deskStore(this.stores, staff, input.storeCode);
    const code = input.code.trim().toUpperCase();
    return this.uow.run(async (tx) => {
      const now = new Date();
      const found = await tx.em.findOneBy(Coupon, { code });
      if (!found) throw new DomainError('NOT_FOUND', '券码不存在，请核对后重试');
      const template = await tx.em.findOneByOrFail(CouponTemplate, { id: found.templateId });
      const wrongStore = storeRefusal(template, store);
      if (wrongStore) throw wrongStore;
      const kind = this.config.database.kind;
      const result = await tx.em.queryRunner!.query(
        `UPDATE coupon SET status = 'used', used_at = ?, used_store_code = ?, used_order_no = ?, used_by_staff = ?
         WHERE code = ? AND status = 'available' AND valid_from <= ? AND valid_to > ?`,
        [
          sqlInstant(kind, now),
          store.code,
          input.orderNo ?? null,
          staff.staffId,
          code,
          sqlInstant(kind, now),
          sqlInstant(kind, now),
        ],
        true,
      );
      // A locking read sees the latest committed row, not this transaction's snapshot from before the UPDATE
      // waited: the winner's "used", when and where.
      const coupon = (await findOneForUpdate(tx.em, Coupon, { code }))!;
      if ((result.affected ?? 0) !== 1) throw this.notUsable(coupon, store, now);
      await this.engagement.record(tx, {
        memberId: coupon.memberId,
        type: 'coupon_use',
        occurredAt: now,
        sourceRef: `coupon:${code}`,
        properties: { storeCode: store.code, orderNo: input.orderNo ?? null },
      });
      await tx.publish('coupon.used', {
        memberId: coupon.memberId,
        couponId: coupon.id,
        templateId: coupon.templateId,
        storeCode: store.code,
        orderNo: input.orderNo ?? null,
        at: now.toISOString(),
      });
      await this.audit.record(tx, staff, {
        action: 'coupon.redeem',
        entityType: 'coupon',
        entityId: coupon.id,
        after: { storeCode: store.code, orderNo: input.orderNo ?? null },
      });
      return toCouponView(coupon, template, store.names);
    });
  }

  private refusal(
    coupon: Coupon,
    template: CouponTemplate,
    store: DeskStore,
    now: Date,
  ): DomainError | null {
    if (coupon.status === 'available' && coupon.validFrom <= now && coupon.validTo > now)
      return storeRefusal(template, store);
    return this.notUsable(coupon, store, now);
  }

  private notUsable(coupon: Coupon, store: DeskStore, now: Date): DomainError {
    return whyNotUsable(coupon, now, {
      storeName: coupon.usedStoreCode ? storeName(store.names, coupon.usedStoreCode) : null,
      timeZone: this.config.brandTimezone,
    });
  }

  /** Undoes a verification within 10 minutes, by the same store's clerk or an operator. */
  async undo(staff: StaffPrincipal, rawCode: string): Promise<CouponView> {
    const code = rawCode.toUpperCase();
    const names = await storeNames(this.stores);
    return this.uow.run(async (tx) => {
      const now = new Date();
      const coupon = await tx.em.findOneBy(Coupon, { code });
      if (!coupon) throw new DomainError('NOT_FOUND', '券码不存在');
      if (staff.role === 'clerk' && coupon.usedStoreCode !== staff.storeCode)
        throw new DomainError('FORBIDDEN', '只能撤销本门店的核销');
      const kind = this.config.database.kind;
      const result = await tx.em.queryRunner!.query(
        `UPDATE coupon
         SET status = 'available', used_at = NULL, used_store_code = NULL, used_order_no = NULL, used_by_staff = NULL
         WHERE code = ? AND status = 'used' AND used_at > ? AND used_order_no IS NULL`,
        [code, sqlInstant(kind, new Date(now.getTime() - UNDO_WINDOW_MS))],
        true,
      );
      if ((result.affected ?? 0) !== 1)
        throw new DomainError(
          'CONFLICT',
          coupon.status !== 'used' ? '该券未被核销' : '核销超过 10 分钟或随订单使用，无法撤销',
        );
      await this.engagement.record(tx, {
        memberId: coupon.memberId,
        type: 'coupon_use',
        occurredAt: now,
        sourceRef: `coupon-undo:${code}:${now.getTime()}`,
        properties: { undone: true },
      });
      await tx.publish('coupon.use_undone', {
        memberId: coupon.memberId,
        couponId: coupon.id,
        at: now.toISOString(),
      });
      await this.audit.record(tx, staff, {
        action: 'coupon.undo',
        entityType: 'coupon',
        entityId: coupon.id,
        before: { storeCode: coupon.usedStoreCode },
      });
      return (
        await withTemplates(tx.em, [await tx.em.findOneByOrFail(Coupon, { code })], names)
      )[0]!;
    });
  }
}
