import type { EntitySchema, MixedList } from 'typeorm';
import { DomainEventDelivery, DomainEventRow } from '../events/domain-event.entity.js';
import { RequestKey } from '../idempotency/request-key.entity.js';
import { JobLease } from '../jobs/job-lease.entity.js';
import { LimitWindow } from '../limits/limit-window.entity.js';
import { Setting } from '../settings/setting.entity.js';
import { WechatAccessToken } from '../wechat/access-token.entity.js';

/** A module's entity classes, as its index.ts exports them for the data source. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
export type EntityList = MixedList<Function | string | EntitySchema>;

/** The platform's own tables; each module exports its list, and the composition root (src/database.ts) joins them. */
export const INFRA_ENTITIES = [
  DomainEventRow,
  DomainEventDelivery,
  WechatAccessToken,
  JobLease,
  Setting,
  RequestKey,
  LimitWindow,
];
