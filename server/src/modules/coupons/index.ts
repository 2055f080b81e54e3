/** The coupons module's public surface: what other modules and the composition root may import. */
import { Coupon, CouponMemberCount, CouponTemplate } from './coupon.entity.js';
import { RiskRefusal } from './risk-refusal.entity.js';

export const COUPONS_ENTITIES = [CouponTemplate, Coupon, CouponMemberCount, RiskRefusal];
export { RiskService } from './risk.service.js';
export { CouponsService, newCouponCode } from './coupons.service.js';
export { usedMessage } from './coupon-views.js';
export {
  CouponTemplatesService,
  mallRefusal,
  type TemplateSummary,
} from './coupon-templates.service.js';
export { CouponWalletService } from './coupon-wallet.service.js';
