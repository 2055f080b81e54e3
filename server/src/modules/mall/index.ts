/** The points mall's public surface: what other modules and the composition root may import. */
import { MallItem, MallMemberCount, MallRedemption, MallVoucher } from './mall.entity.js';

export const MALL_ENTITIES = [MallItem, MallRedemption, MallMemberCount, MallVoucher];
export { MallService } from './mall.service.js';
export { VouchersService } from './vouchers.service.js';
