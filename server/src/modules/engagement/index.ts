/** The engagement log's public surface: what other modules and the composition root may import. */
import { EngagementEvent } from './engagement-event.entity.js';

export const ENGAGEMENT_ENTITIES = [EngagementEvent];
export { EngagementService } from './engagement.service.js';
