/** The points mall's public surface: what other modules and the composition root may import. */
import { MallItem, MallMemberCount, MallRedemption } from './mall.entity.js';

export const MALL_ENTITIES = [MallItem, MallRedemption, MallMemberCount];
export { MallService } from './mall.service.js';
