import { type EntityManager, In } from 'typeorm';
import type { z } from 'zod';
import type { couponTemplateView, couponView } from '@huoyue/shared';
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
    validity:
      t.validityKind === 'fixed'
        ? { kind: 'fixed', from: t.validFrom!.toISOString(), to: t.validTo!.toISOString() }
        : { kind: 'days', days: t.validDays! },
    totalQuantity: t.totalQuantity,
    issued: t.issued,
    perMemberLimit: t.perMemberLimit,
    audience: { tiers: t.audienceTiers, stages: t.audienceStages },
    channels: t.channels,
    active: t.active,
  };
}

/** A coupon as its member sees it; an available coupon past its end shows as expired before the job marks it. */
export function toCouponView(c: Coupon, t: CouponTemplate): CouponView {
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
    status: c.status === 'available' && c.validTo <= new Date() ? 'expired' : c.status,
    validFrom: c.validFrom.toISOString(),
    validTo: c.validTo.toISOString(),
    claimedAt: c.claimedAt.toISOString(),
    usedAt: c.usedAt?.toISOString() ?? null,
    usedStoreCode: c.usedStoreCode,
  };
}

/** Coupons with their templates, as views. */
export async function withTemplates(em: EntityManager, coupons: Coupon[]): Promise<CouponView[]> {
  const templates = await em.find(CouponTemplate, {
    where: { id: In([...new Set(coupons.map((c) => c.templateId))].concat(0)) },
  });
  return coupons.map((c) =>
    toCouponView(
      c,
      templates.find((t) => t.id === c.templateId)!,
    ),
  );
}

/** Why a coupon could not be used (its conditional UPDATE touched nothing), as the error to answer with. */
export function whyNotUsable(coupon: Coupon, now: Date): DomainError {
  if (coupon.status === 'used') return new DomainError('COUPON_USED', '该券已被核销');
  if (coupon.status === 'revoked') return new DomainError('COUPON_NOT_USABLE', '该券已作废');
  if (coupon.status === 'expired' || coupon.validTo <= now)
    return new DomainError('COUPON_NOT_USABLE', '该券已过期');
  if (coupon.validFrom > now) return new DomainError('COUPON_NOT_USABLE', '该券尚未到使用时间');
  return new DomainError('CONFLICT', '该券状态已变化，请重试');
}
