import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { z } from 'zod';
import { type deskVoucher, maskNickname, maskPhone, type voucherView } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { sqlInstant } from '../../infra/database/bulk.js';
import { findOneForUpdate } from '../../infra/database/locks.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { newCouponCode, usedMessage } from '../coupons/index.js';
import { EngagementService } from '../engagement/index.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import {
  AuditService,
  type DeskStore,
  deskStore,
  StoresService,
  storeNames,
} from '../staff/index.js';
import { MallItem, type MallRedemption, MallVoucher } from './mall.entity.js';

export type VoucherView = z.output<typeof voucherView>;
type DeskVoucher = z.output<typeof deskVoucher>;

/**
 * What virtual items deliver: a voucher per unit with a code and QR in 我的兑换, verified once at the desk (one
 * conditional UPDATE from available to used: two clerks at once get one success and one 409 with when and where),
 * only at the item's stores when it names some, and voided when the redemption is cancelled.
 */
@Injectable()
export class VouchersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly engagement: EngagementService,
    private readonly audit: AuditService,
    private readonly stores: StoresService,
    private readonly members: MemberDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One voucher per unit, in the redemption's transaction; answers their views (no read-back). */
  async issue(
    tx: Tx,
    redemption: MallRedemption,
    item: MallItem,
    now: Date,
  ): Promise<VoucherView[]> {
    return (await this.issueMany(tx, [{ redemption, item }], now))[0]!;
  }

  /** The vouchers of many redemptions in one multi-row insert; answers each redemption's views, in order. */
  async issueMany(
    tx: Tx,
    issues: { redemption: MallRedemption; item: MallItem }[],
    now: Date,
  ): Promise<VoucherView[][]> {
    const perRedemption = issues.map(({ redemption, item }) => {
      const validTo = new Date(now.getTime() + item.voucherDays * 86_400_000);
      return Array.from({ length: redemption.quantity }, () =>
        tx.em.create(MallVoucher, {
          code: newCouponCode(),
          redemptionId: redemption.id,
          memberId: redemption.memberId,
          itemId: item.id,
          status: 'available',
          validTo,
          usedAt: null,
          usedStoreCode: null,
          usedByStaff: null,
        }),
      );
    });
    const vouchers = perRedemption.flat();
    // One multi-row insert; updateEntity(false): nothing generated is needed back (MySQL would re-read it).
    if (vouchers.length > 0)
      await tx.em
        .createQueryBuilder()
        .insert()
        .into(MallVoucher)
        .values(vouchers)
        .updateEntity(false)
        .execute();
    return perRedemption.map((list) => list.map((v) => toVoucherView(v, new Map())));
  }

  /**
   * Voids a cancelled redemption's vouchers; refused (409) when one was already used in store, since the member had
   * what they paid for.
   */
  async voidFor(tx: Tx, redemptionId: number, names: ReadonlyMap<string, string>): Promise<void> {
    const used = await tx.em.findOneBy(MallVoucher, { redemptionId, status: 'used' });
    if (used) {
      const where = used.usedStoreCode
        ? (names.get(used.usedStoreCode) ?? used.usedStoreCode)
        : null;
      throw new DomainError(
        'CONFLICT',
        `${usedMessage('兑换券', used.usedAt, where, this.config.brandTimezone)}，不能取消`,
      );
    }
    await tx.em.update(MallVoucher, { redemptionId, status: 'available' }, { status: 'void' });
  }

  /**
   * The vouchers of these redemptions, by redemption. Inside a transaction (`tx` given) store names are not looked
   * up (that would need a second connection): vouchers just issued there are unused anyway.
   */
  async forRedemptions(redemptionIds: number[], tx?: Tx): Promise<Map<number, VoucherView[]>> {
    const rows = await (tx?.em ?? this.dataSource.manager).find(MallVoucher, {
      where: { redemptionId: In(redemptionIds.concat(0)) },
      order: { id: 'ASC' },
    });
    const names =
      !tx && rows.some((v) => v.usedStoreCode)
        ? await storeNames(this.stores)
        : new Map<string, string>();
    const out = new Map<number, VoucherView[]>();
    for (const v of rows) {
      const list = out.get(v.redemptionId) ?? [];
      list.push(toVoucherView(v, names));
      out.set(v.redemptionId, list);
    }
    return out;
  }

  /** What the clerk sees before verifying (null when no voucher has this code). */
  async lookup(rawCode: string, store: DeskStore): Promise<DeskVoucher | null> {
    const voucher = await this.dataSource
      .getRepository(MallVoucher)
      .findOneBy({ code: rawCode.trim().toUpperCase() });
    if (!voucher) return null;
    const item = await this.dataSource.getRepository(MallItem).findOneBy({ id: voucher.itemId });
    const holder = (await this.members.contacts([voucher.memberId])).get(voucher.memberId);
    const refusal = this.refusal(voucher, item, store, new Date());
    const view = toVoucherView(voucher, store.names);
    return {
      kind: 'voucher',
      code: voucher.code,
      itemName: item?.name ?? '已删除的商品',
      validTo: view.validTo,
      status: view.status,
      usedAt: view.usedAt,
      usedStoreName: view.usedStoreName,
      storeNames: (item?.storeCodes ?? []).map((c) => store.names.get(c) ?? c),
      holder: {
        nickname: maskNickname(holder?.nickname),
        phoneMasked: maskPhone(holder?.phone),
        cardNo: holder?.cardNo ?? null,
      },
      usable: refusal === null,
      reason: refusal?.message ?? null,
    };
  }

  /** Verification in store, exactly once. */
  async redeem(
    staff: StaffPrincipal,
    input: { code: string; storeCode?: string },
  ): Promise<VoucherView & { itemName: string }> {
    const store = await deskStore(this.stores, staff, input.storeCode);
    const code = input.code.trim().toUpperCase();
    return this.uow.run(async (tx) => {
      const now = new Date();
      const found = await tx.em.findOneBy(MallVoucher, { code });
      if (!found) throw new DomainError('NOT_FOUND', '券码不存在，请核对后重试');
      const item = await tx.em.findOneBy(MallItem, { id: found.itemId });
      const wrongStore = storeRefusal(item, store);
      if (wrongStore) throw wrongStore;
      const kind = this.config.database.kind;
      const result = await tx.em.queryRunner!.query(
        `UPDATE mall_voucher SET status = 'used', used_at = ?, used_store_code = ?, used_by_staff = ?
         WHERE code = ? AND status = 'available' AND valid_to > ?`,
        [sqlInstant(kind, now), store.code, staff.staffId, code, sqlInstant(kind, now)],
        true,
      );
      // A locking read sees the latest committed row, not this transaction's snapshot from before the UPDATE
      // waited: the winner's "used", when and where.
      const voucher = (await findOneForUpdate(tx.em, MallVoucher, { code }))!;
      if ((result.affected ?? 0) !== 1) throw this.notUsable(voucher, store, now);
      await this.engagement.record(tx, {
        memberId: voucher.memberId,
        // A voucher is a kind of 券 to the member: logged as a coupon use, told apart by its source.
        type: 'coupon_use',
        occurredAt: now,
        sourceRef: `voucher:${code}`,
        properties: { storeCode: store.code, itemId: voucher.itemId, voucher: true },
      });
      await this.audit.record(tx, staff, {
        action: 'mall_voucher.redeem',
        entityType: 'mall_voucher',
        entityId: voucher.id,
        after: {
          storeCode: store.code,
          itemId: voucher.itemId,
          redemptionId: voucher.redemptionId,
        },
      });
      return { ...toVoucherView(voucher, store.names), itemName: item?.name ?? '' };
    });
  }

  private refusal(
    v: MallVoucher,
    item: MallItem | null,
    store: DeskStore,
    now: Date,
  ): DomainError | null {
    if (v.status === 'available' && v.validTo > now) return storeRefusal(item, store);
    return this.notUsable(v, store, now);
  }

  /** Why a voucher's conditional UPDATE touched nothing: used (when and where), voided, or expired. */
  private notUsable(v: MallVoucher, store: DeskStore, now: Date): DomainError {
    if (v.status === 'used') {
      const where = v.usedStoreCode ? (store.names.get(v.usedStoreCode) ?? v.usedStoreCode) : null;
      return new DomainError(
        'VOUCHER_USED',
        usedMessage('该兑换券', v.usedAt, where, this.config.brandTimezone),
        { usedAt: v.usedAt?.toISOString() ?? null, storeCode: v.usedStoreCode, storeName: where },
      );
    }
    if (v.status === 'void')
      return new DomainError('COUPON_NOT_USABLE', '该兑换券所属的兑换已取消，券已作废');
    if (v.validTo <= now) return new DomainError('COUPON_NOT_USABLE', '该兑换券已过期');
    return new DomainError('CONFLICT', '该兑换券状态已变化，请重试');
  }
}

function storeRefusal(item: MallItem | null, store: DeskStore): DomainError | null {
  const only = item?.storeCodes ?? [];
  if (only.length === 0 || only.includes(store.code)) return null;
  return new DomainError(
    'COUPON_NOT_USABLE',
    `该兑换券仅限 ${only.map((c) => store.names.get(c) ?? c).join('、')} 使用，不能在 ${store.name} 核销`,
    { stores: only },
  );
}

export function toVoucherView(v: MallVoucher, names: ReadonlyMap<string, string>): VoucherView {
  const expired = v.status === 'available' && v.validTo <= new Date();
  return {
    code: v.code,
    status: expired ? 'expired' : v.status,
    validTo: v.validTo.toISOString(),
    usedAt: v.usedAt?.toISOString() ?? null,
    usedStoreName: v.usedStoreCode ? (names.get(v.usedStoreCode) ?? v.usedStoreCode) : null,
  };
}
