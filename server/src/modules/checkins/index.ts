/** The check-ins module's public surface: what other modules and the composition root may import. */
import { Checkin, CheckinMember } from './checkin.entity.js';

export const CHECKINS_ENTITIES = [Checkin, CheckinMember];
export { CheckinsService } from './checkins.service.js';
