/** The badges module's public surface: what other modules and the composition root may import. */
import { Badge, MemberBadge, MemberStat, MemberStatEvent } from './badge.entity.js';

export const BADGES_ENTITIES = [Badge, MemberBadge, MemberStat, MemberStatEvent];
export { BadgesService } from './badges.service.js';
export { BadgePreview } from './badge-preview.js';
