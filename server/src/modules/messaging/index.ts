/** The messaging module's public surface: what other modules and the composition root may import. */
import {
  Message,
  MessagePreference,
  MessageTemplate,
  OaFollower,
  SubscriptionQuota,
} from './messaging.entities.js';

export const MESSAGING_ENTITIES = [
  MessageTemplate,
  SubscriptionQuota,
  MessagePreference,
  OaFollower,
  Message,
];
export type { Variables } from './render.js';
export { MessagingService } from './messaging.service.js';
export { MessageDispatcher } from './dispatcher.js';
