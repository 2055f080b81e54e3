/**
 * The data source as the server opens it: the platform's tables and every module's, gathered here at the
 * composition root (the platform imports no module). Scripts and tests open the database through this file too.
 */
import type { DataSource } from 'typeorm';
import type { AppConfig } from './config/config.js';
import { type EntityList, INFRA_ENTITIES } from './infra/database/entities.js';
import { openDataSource } from './infra/database/data-source.js';
import { BADGES_ENTITIES } from './modules/badges/index.js';
import { CAMPAIGNS_ENTITIES } from './modules/campaigns/index.js';
import { CHECKINS_ENTITIES } from './modules/checkins/index.js';
import { COUPONS_ENTITIES } from './modules/coupons/index.js';
import { ENGAGEMENT_ENTITIES } from './modules/engagement/index.js';
import { IMPORTS_ENTITIES } from './modules/imports/index.js';
import { LEADERBOARDS_ENTITIES } from './modules/leaderboards/index.js';
import { LIFECYCLE_ENTITIES } from './modules/lifecycle/index.js';
import { MALL_ENTITIES } from './modules/mall/index.js';
import { MEMBER_DAYS_ENTITIES } from './modules/memberdays/index.js';
import { MEMBERS_ENTITIES } from './modules/members/index.js';
import { MESSAGING_ENTITIES } from './modules/messaging/index.js';
import { ORDERS_ENTITIES } from './modules/orders/index.js';
import { POINTS_ENTITIES } from './modules/points/index.js';
import { STAFF_ENTITIES } from './modules/staff/index.js';

export const ALL_ENTITIES: EntityList = [
  ...INFRA_ENTITIES,
  ...ENGAGEMENT_ENTITIES,
  ...MEMBERS_ENTITIES,
  ...POINTS_ENTITIES,
  ...ORDERS_ENTITIES,
  ...STAFF_ENTITIES,
  ...IMPORTS_ENTITIES,
  ...CHECKINS_ENTITIES,
  ...BADGES_ENTITIES,
  ...LEADERBOARDS_ENTITIES,
  ...COUPONS_ENTITIES,
  ...LIFECYCLE_ENTITIES,
  ...MESSAGING_ENTITIES,
  ...MEMBER_DAYS_ENTITIES,
  ...CAMPAIGNS_ENTITIES,
  ...MALL_ENTITIES,
];

/** Opens the database with every entity and brings its schema up to date (migrations only). */
export function openDatabase(
  database: AppConfig['database'],
  poolSize?: number,
): Promise<DataSource> {
  return openDataSource(database, ALL_ENTITIES, poolSize);
}
