/** The points module's public surface: what other modules and the composition root may import. */
import { PointsAccount } from './entities/points-account.entity.js';
import { PointsEntry } from './entities/points-entry.entity.js';
import { PointsLot } from './entities/points-lot.entity.js';
import {
  PointsSimulation,
  PointsSimulationTierSpan,
  PointsSimulationWindow,
} from './simulator/points-simulation.entity.js';

export const POINTS_ENTITIES = [
  PointsAccount,
  PointsEntry,
  PointsLot,
  PointsSimulation,
  PointsSimulationTierSpan,
  PointsSimulationWindow,
];
export { PointsService } from './points.service.js';
export { PointsReports } from './points-reports.js';
export { type GroupSpend, type LockedSpenders, PointsSpends } from './points-spends.js';
