/** The leaderboards module's public surface: what other modules and the composition root may import. */
import { LeaderboardEntry, LeaderboardOptout } from './leaderboard.entity.js';

export const LEADERBOARDS_ENTITIES = [LeaderboardEntry, LeaderboardOptout];
