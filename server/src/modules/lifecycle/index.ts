/** The lifecycle module's public surface: what other modules and the composition root may import. */
import {
  LifecycleHistoryAgg,
  LifecycleModel,
  LifecycleScratch,
  LifecycleSnapshot,
  LifecycleState,
  LifecycleTransition,
  MemberLifecycle,
} from './lifecycle.entities.js';

export const LIFECYCLE_ENTITIES = [
  MemberLifecycle,
  LifecycleState,
  LifecycleTransition,
  LifecycleSnapshot,
  LifecycleScratch,
  LifecycleHistoryAgg,
  LifecycleModel,
];
export type { MemberLifecycle } from './lifecycle.entities.js';
export { dayNumber } from './lifecycle-sql.js';
export { LifecycleService } from './lifecycle.service.js';
export { ChurnService } from './churn.service.js';
export { LifecycleRecompute } from './lifecycle-recompute.service.js';
export { LifecycleReplay } from './lifecycle-replay.js';
export { LifecycleReports } from './lifecycle-reports.service.js';
