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
 * (expiry first, never-expiring last, then lot id — PointsLedgerRepository.consumeLots): per member, the lots laid
 * end to end in that order and the outflows (negative entries, in the order they were written) in theirs are two
 * partitions of one cumulative-points axis. The union of both sets of end points splits the axis into segments;
 * each segment belongs to the first lot and the first outflow ending at or after it. Read backwards (position
 * descending), that is the last lot end and the last outflow end seen so far: a running MIN() of a code that
 * starts with the end position and carries the label (lot: position × 10⁵ + issue month; outflow: position × 10⁶ +
 * flow month × 10 + kind), so the labels ride along in the same single sort. Segments are summed by (issue month,
 * flow month × 10 + kind). Exact whenever lots are created in the order they are taken (the default expiry rule);
 * an approximation otherwise (docs/points-liability.md).
 */
export function attributionSql(kind: Dialect, offset: number): string {
  const issueMonth = monthNumberSql(kind, 'l.available_at', offset);
  const flowMonth = monthNumberSql(kind, 'e.created_at', offset);
  const frame = 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW';
  const back = 'PARTITION BY member_id ORDER BY pos DESC, is_lot DESC';
  // No WHERE on the lots: every lot is read once in a plain scan (a range over (status, available_at) would fetch
  // most rows one by one: minutes instead of seconds at ten million lots); the others weigh nothing on the axis.
  const counted = `CASE WHEN l.status = 'available' AND l.available_at < ? THEN l.amount ELSE 0 END`;
  return `WITH lots AS (
      SELECT l.member_id, ${issueMonth} AS im, ${counted} AS amount,
             SUM(${counted}) OVER (PARTITION BY l.member_id
               ORDER BY CASE WHEN l.expires_at IS NULL THEN 1 ELSE 0 END, l.expires_at, l.id ${frame}) AS pos
        FROM points_lot l
    ), outs AS (
      SELECT e.member_id,
             ${flowMonth} * 10 + CASE WHEN e.type = 'spend' THEN 1 WHEN e.type = 'expire' THEN 2 ELSE 3 END AS fk,
             SUM(-e.points) OVER (PARTITION BY e.member_id ORDER BY e.id ${frame}) AS pos
        FROM points_entry e
       WHERE e.points < 0 AND e.created_at < ?
    ), ends AS (
      SELECT member_id, pos, 1 AS is_lot, pos * 100000 + im AS lc, NULL AS oc FROM lots WHERE amount > 0
      UNION ALL
      SELECT member_id, pos, 0 AS is_lot, NULL AS lc, pos * 1000000 + fk AS oc FROM outs
    ), segments AS (
      SELECT pos - COALESCE(LEAD(pos) OVER (${back}), 0) AS len,
             MIN(lc) OVER (${back} ${frame}) AS lc,
             MIN(oc) OVER (${back} ${frame}) AS oc
        FROM ends
    )
    SELECT lc % 100000 AS im, oc % 1000000 AS fk, SUM(len) AS points
      FROM segments
     WHERE len > 0 AND lc IS NOT NULL AND oc IS NOT NULL
     GROUP BY lc % 100000, oc % 1000000`;
}

/** Points issued per cohort: lots that became spendable before the cut, by brand-local month (a plain scan). */
export function cohortIssueSql(kind: Dialect, offset: number): string {
  const m = monthNumberSql(kind, 'available_at', offset);
  return `SELECT ${m} AS im,
                 SUM(CASE WHEN status = 'available' AND available_at < ? THEN amount ELSE 0 END) AS points
            FROM points_lot GROUP BY ${m}`;
}

/** The ledger's net change per brand-local month before the cut, and per type of outflow (the liability over time). */
export function monthlyNetSql(kind: Dialect, offset: number): string {
  const m = monthNumberSql(kind, 'created_at', offset);
  return `SELECT ${m} AS month, SUM(points) AS points,
                 SUM(CASE WHEN type = 'expire' THEN -points ELSE 0 END) AS expired
            FROM points_entry WHERE created_at < ? GROUP BY ${m}`;
}

/**
 * Open lots now, by the brand-local month of their last usable day (null = never) and the member's current tier,
 * pending apart. The tier is the members module's column (an allowed read: module-boundaries.allow.json).
 */
export function openLotsSql(kind: Dialect, offset: number): string {
  // Expiry instants are exclusive ends (midnight after the last usable day):
  // a minute earlier is in that day's month.
  const m = monthNumberSql(kind, 'l.expires_at', offset - 1);
  return `SELECT ${m} AS em, mb.tier_code AS tier, l.status AS status, SUM(l.remaining) AS points
            FROM points_lot l LEFT JOIN member mb ON mb.id = l.member_id
           WHERE l.remaining > 0 AND l.status IN ('available', 'pending')
           GROUP BY ${m}, mb.tier_code, l.status`;
}
