import { type EntityManager, In } from 'typeorm';
import type { z } from 'zod';
import type { couponTemplateView, couponView } from '@huoyue/shared';
import { monthDayTimeLabel } from '@huoyue/shared';
import { DomainError } from '../../infra/http/domain-error.js';
import { Coupon, CouponTemplate } from './coupon.entity.js';

export type TemplateView = z.output<typeof couponTemplateView>;
export type CouponView = z.output<typeof couponView>;

/** A coupon template as staff and the claim center see it. */
export function toTemplateView(t: CouponTemplate): TemplateView {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind,
    value: t.value,
    threshold: t.threshold,
    cap: t.cap,
    giftName: t.giftName,
    description: t.description,
    validity:
      t.validityKind === 'fixed'
        ? { kind: 'fixed', from: t.validFrom!.toISOString(), to: t.validTo!.toISOString() }
        : { kind: 'days', days: t.validDays! },
    totalQuantity: t.totalQuantity,
    issued: t.issued,
    perMemberLimit: t.perMemberLimit,
    audience: { tiers: t.audienceTiers, stages: t.audienceStages },
    channels: t.channels,
    stores: t.storeCodes ?? [],
    active: t.active,
  };
}

/** Store codes → names, for 适用门店 and "verified at"; a code no longer on the list shows as itself. */
export type StoreNames = ReadonlyMap<string, string>;
export const storeName = (names: StoreNames, code: string) => names.get(code) ?? code;

/** A coupon as its member sees it; an available coupon past its end shows as expired before the job marks it. */
export function toCouponView(
  c: Coupon,
  t: CouponTemplate,
  stores: StoreNames = new Map(),
): CouponView {
  return {
    id: c.id,
    code: c.code,
    templateId: t.id,
    name: t.name,
    kind: t.kind,
    value: t.value,
    threshold: t.threshold,
    cap: t.cap,
    giftName: t.giftName,
    description: t.description,
    storeNames: (t.storeCodes ?? []).map((code) => storeName(stores, code)),
    status: c.status === 'available' && c.validTo <= new Date() ? 'expired' : c.status,
    validFrom: c.validFrom.toISOString(),
    validTo: c.validTo.toISOString(),
    claimedAt: c.claimedAt.toISOString(),
    usedAt: c.usedAt?.toISOString() ?? null,
    usedStoreCode: c.usedStoreCode,
  };
}

/** Coupons with their templates, as views. */
export async function withTemplates(
  em: EntityManager,
  coupons: Coupon[],
  stores: StoreNames = new Map(),
): Promise<CouponView[]> {
  const templates = await em.find(CouponTemplate, {
    where: { id: In([...new Set(coupons.map((c) => c.templateId))].concat(0)) },
  });
  return coupons.map((c) =>
    toCouponView(
      c,
      templates.find((t) => t.id === c.templateId)!,
      stores,
    ),
  );
}

/** "该券已于 12月6日 10:32 在 徐汇店 核销": when and where, so the clerk can answer the customer. */
export function usedMessage(
  what: string,
  usedAt: Date | null,
  store: string | null,
  timeZone: string,
): string {
  if (!usedAt) return `${what}已被核销`;
  const where = store ? ` 在 ${store}` : '';
  return `${what}已于 ${monthDayTimeLabel(usedAt, timeZone)}${where} 核销`;
}

/** Why a coupon could not be used (its conditional UPDATE touched nothing), as the error to answer with. */
export function whyNotUsable(
  coupon: Coupon,
  now: Date,
  used: { storeName: string | null; timeZone: string } = {
    storeName: null,
    timeZone: 'Asia/Shanghai',
  },
): DomainError {
  if (coupon.status === 'used')
    return new DomainError(
      'COUPON_USED',
      usedMessage('该券', coupon.usedAt, used.storeName, used.timeZone),
      {
        usedAt: coupon.usedAt?.toISOString() ?? null,
        storeCode: coupon.usedStoreCode,
        storeName: used.storeName,
      },
    );
  if (coupon.status === 'revoked') return new DomainError('COUPON_NOT_USABLE', '该券已作废');
  if (coupon.status === 'expired' || coupon.validTo <= now)
    return new DomainError('COUPON_NOT_USABLE', '该券已过期');
  if (coupon.validFrom > now) return new DomainError('COUPON_NOT_USABLE', '该券尚未到使用时间');
  return new DomainError('CONFLICT', '该券状态已变化，请重试');
}
