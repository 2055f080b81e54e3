import { monthNumberSql, type Dialect } from '../../../infra/database/dialect.js';

/**
 * The statements of the points liability: plain SELECTs over the ledger (`points_entry`, immutable) and its lots
 * (`points_lot`), set-based, one pass each. Month numbers are year × 12 + month − 1, brand-local by a fixed offset.
 */

/** Flow kinds as the attribution query numbers them. */
export const FLOW_KIND = { 1: 'redeemed', 2: 'expired', 3: 'reversed' } as const;

/**
 * Which issue cohort each point that left a balance came from, by flow month and kind.
 *
 * The ledger does not record which lot a spend took, so outflows are attributed FIFO in the order spends take lots
 * (expiry first, never-expiring last, then lot id — PointsLedgerRepository.takeFromLots): per member, the lots laid
 * end to end in that order and the outflows (negative entries, in the order they were written) in theirs are two
 * partitions of one cumulative-points axis. The union of both sets of end points splits the axis into segments;
 * each segment belongs to the first lot and the first outflow ending at or after it (a running count of ends,
 * read backwards, groups the segments; MAX() over a group carries its lot's and outflow's labels). Segments are
 * summed by (issue month, flow month, kind). Exact whenever lots are created in the order they are taken (the
 * default expiry rule); an approximation otherwise (docs/points-liability.md).
 */
export function attributionSql(kind: Dialect, offset: number): string {
  const issueMonth = monthNumberSql(kind, 'l.available_at', offset);
  const flowMonth = monthNumberSql(kind, 'e.created_at', offset);
  const frame = 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW';
  return `WITH lots AS (
      SELECT l.member_id, ${issueMonth} AS im,
             SUM(l.amount) OVER (PARTITION BY l.member_id
               ORDER BY CASE WHEN l.expires_at IS NULL THEN 1 ELSE 0 END, l.expires_at, l.id ${frame}) AS pos
        FROM points_lot l
       WHERE l.status = 'available' AND l.amount > 0 AND l.available_at < ?
    ), outs AS (
      SELECT e.member_id, ${flowMonth} AS fm,
             CASE WHEN e.type = 'spend' THEN 1 WHEN e.type = 'expire' THEN 2 ELSE 3 END AS k,
             SUM(-e.points) OVER (PARTITION BY e.member_id ORDER BY e.id ${frame}) AS pos
        FROM points_entry e
       WHERE e.points < 0 AND e.created_at < ?
    ), ends AS (
      SELECT member_id, pos, 1 AS is_lot, im, -1 AS fm, 0 AS k FROM lots
      UNION ALL
      SELECT member_id, pos, 0 AS is_lot, -1 AS im, fm, k FROM outs
    ), grouped AS (
      SELECT member_id, im, fm, k,
             pos - COALESCE(LAG(pos) OVER (PARTITION BY member_id ORDER BY pos, is_lot), 0) AS len,
             SUM(is_lot) OVER (PARTITION BY member_id ORDER BY pos DESC, is_lot DESC ${frame}) AS lg,
             SUM(1 - is_lot) OVER (PARTITION BY member_id ORDER BY pos DESC, is_lot ${frame}) AS og
        FROM ends
    ), segments AS (
      SELECT len,
             MAX(im) OVER (PARTITION BY member_id, lg) AS im,
             MAX(fm) OVER (PARTITION BY member_id, og) AS fm,
             MAX(k) OVER (PARTITION BY member_id, og) AS k
        FROM grouped
    )
    SELECT im, fm, k, SUM(len) AS points
      FROM segments
     WHERE len > 0 AND im >= 0 AND fm >= 0
     GROUP BY im, fm, k`;
}

/** Points issued per cohort: lots that became spendable before the cut, by brand-local month. */
export function cohortIssueSql(kind: Dialect, offset: number): string {
  const m = monthNumberSql(kind, 'available_at', offset);
  return `SELECT ${m} AS im, SUM(amount) AS points FROM points_lot
           WHERE status = 'available' AND amount > 0 AND available_at < ? GROUP BY ${m}`;
}

/** The ledger's net change per brand-local month before the cut, and per type of outflow (the liability over time). */
export function monthlyNetSql(kind: Dialect, offset: number): string {
  const m = monthNumberSql(kind, 'created_at', offset);
  return `SELECT ${m} AS month, SUM(points) AS points,
                 SUM(CASE WHEN type = 'expire' THEN -points ELSE 0 END) AS expired
            FROM points_entry WHERE created_at < ? GROUP BY ${m}`;
}

/**
 * Open lots now, by the brand-local month of their last usable day (null = never) and the member's current tier, pending apart. The tier
 * is the members module's column (an allowed read: module-boundaries.allow.json).
 */
export function openLotsSql(kind: Dialect, offset: number): string {
  // Expiry instants are exclusive ends (midnight after the last usable day): a minute earlier is that day's month.
  const m = monthNumberSql(kind, 'l.expires_at', offset - 1);
  return `SELECT ${m} AS em, mb.tier_code AS tier, l.status AS status, SUM(l.remaining) AS points
            FROM points_lot l LEFT JOIN member mb ON mb.id = l.member_id
           WHERE l.remaining > 0 AND l.status IN ('available', 'pending')
           GROUP BY ${m}, mb.tier_code, l.status`;
}
