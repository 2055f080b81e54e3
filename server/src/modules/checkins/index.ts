/** The check-ins module's public surface: what other modules and the composition root may import. */
import { Checkin, CheckinLimit, CheckinMember } from './checkin.entity.js';

export const CHECKINS_ENTITIES = [Checkin, CheckinMember, CheckinLimit];
export { CheckinsService } from './checkins.service.js';
