/** The coupons module's public surface: what other modules and the composition root may import. */
import { Coupon, CouponMemberCount, CouponTemplate } from './coupon.entity.js';
import { RiskRefusal } from './risk-refusal.entity.js';

export const COUPONS_ENTITIES = [CouponTemplate, Coupon, CouponMemberCount, RiskRefusal];
export { RiskService } from './risk.service.js';
export { CouponsService } from './coupons.service.js';
