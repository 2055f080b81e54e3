/** The member days module's public surface: what other modules and the composition root may import. */
import { MemberDay, MemberDayOccurrence, MemberDayParticipation } from './member-day.entities.js';

export const MEMBER_DAYS_ENTITIES = [MemberDay, MemberDayOccurrence, MemberDayParticipation];
export { MemberDaysService } from './member-days.service.js';
export { fallsOn, windowOf } from './schedule.js';
