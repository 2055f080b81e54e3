import { campaignRoutes } from './campaigns.contract.js';
import { couponRoutes } from './coupons.contract.js';
import { deskRoutes } from './desk.contract.js';
import { engagementRoutes } from './engagement.contract.js';
import { lifecycleRoutes } from './lifecycle.contract.js';
import { mallRoutes } from './mall.contract.js';
import { memberDayRoutes } from './member-days.contract.js';
import { messagingRoutes } from './messaging.contract.js';
import { memberRoutes } from './members.contract.js';
import { membershipRoutes } from './membership.contract.js';
import { pointsLiabilityRoutes } from './points-liability.contract.js';
import { pointsSimulatorRoutes } from './points-simulator.contract.js';
import { pointsRoutes } from './points.contract.js';
import { staffRoutes } from './staff.contract.js';
import { systemRoutes } from './system.contract.js';

export * from './campaigns.contract.js';
export * from './common.js';
export * from './coupons.contract.js';
export * from './desk.contract.js';
export * from './engagement.contract.js';
export * from './lifecycle.contract.js';
export * from './mall.contract.js';
export * from './member-days.contract.js';
export * from './messaging.contract.js';
export * from './members.contract.js';
export * from './membership.contract.js';
export * from './points-liability.contract.js';
export * from './points-simulator.contract.js';
export * from './points.contract.js';
export * from './staff.contract.js';
export * from './system.contract.js';

/** Every route of the API, by domain. The server's OpenAPI document and route check are built from this. */
export const routes = {
  system: systemRoutes,
  members: memberRoutes,
  membership: membershipRoutes,
  points: pointsRoutes,
  liability: pointsLiabilityRoutes,
  simulator: pointsSimulatorRoutes,
  engagement: engagementRoutes,
  coupons: couponRoutes,
  mall: mallRoutes,
  lifecycle: lifecycleRoutes,
  messaging: messagingRoutes,
  campaigns: campaignRoutes,
  memberDays: memberDayRoutes,
  staff: staffRoutes,
  desk: deskRoutes,
} as const;
