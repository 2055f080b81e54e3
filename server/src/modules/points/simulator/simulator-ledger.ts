import type { SimulationResult } from '@huoyue/shared';
import type { DataSource } from 'typeorm';
import { sqlInstant } from '../../../infra/database/dialect.js';
import type { ReplayContext } from './simulator-sql.js';

/** How the liability at the end of the window is approximated (shown with the result). */
export const LIABILITY_NOTE = (share: number) =>
  `近似值：区间内发放且在区间末仍未过期的积分（扣除退款扣回），再按区间内实际的积分使用比例 ` +
  `${(share * 100).toFixed(1)}% 扣除已使用部分；两种规则按同一比例计算。`;

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);

/**
 * What the replay takes from the real ledger: the share of the points credited in the window that members spent
 * in it (both rule sets are assumed to be spent in that share), and, when the proposal has a tier ladder, the
 * members by tier at the end of the window, actual (tier history) and simulated (growth at the end against the
 * proposed thresholds; retention and downgrades are not replayed).
 */
export async function ledgerFigures(
  db: DataSource,
  c: ReplayContext,
): Promise<{ redeemedShare: number; tiersAtEnd: SimulationResult['tiersAtEnd'] }> {
  const [row] = (await db.query(
    `SELECT SUM(CASE WHEN points > 0 THEN points ELSE 0 END) AS credited,
       SUM(CASE WHEN type = 'spend' THEN -points ELSE 0 END) AS spent
     FROM points_entry WHERE created_at >= ? AND created_at < ?`,
    [sqlInstant(c.kind, c.plan.start), sqlInstant(c.kind, c.plan.end)],
  )) as Row[];
  const credited = num(row?.credited);
  const redeemedShare = credited > 0 ? Math.min(1, Math.max(0, num(row?.spent) / credited)) : 0;
  return { redeemedShare, tiersAtEnd: c.proposal.tierLadder ? await tiersAtEnd(db, c) : null };
}

async function tiersAtEnd(
  db: DataSource,
  c: ReplayContext,
): Promise<SimulationResult['tiersAtEnd']> {
  const end = sqlInstant(c.kind, c.plan.end);
  const ladder = [...c.proposal.tierLadder!].reverse();
  const simulatedTier = `CASE ${ladder.map(() => 'WHEN g.growth >= ? THEN ?').join(' ')} ELSE NULL END`;
  const actual = (await db.query(
    `SELECT t.tier, COUNT(*) AS n FROM (
       SELECT CASE WHEN s.member_id IS NULL THEN m.tier_code ELSE s.tier_code END AS tier
       FROM member m
       LEFT JOIN points_simulation_tier_span s ON s.run_id = ? AND s.member_id = m.id
         AND (s.valid_from IS NULL OR s.valid_from <= ?) AND (s.valid_to IS NULL OR ? < s.valid_to)
       WHERE m.status = 'member' AND m.joined_at < ?
     ) t GROUP BY t.tier`,
    [c.runId, end, end, end],
  )) as Row[];
  // Growth at the end of the window: the ledger's growth dated before it, member by member, in one statement.
  const simulated = (await db.query(
    `SELECT t.tier, COUNT(*) AS n FROM (
       SELECT ${simulatedTier} AS tier FROM (
         SELECT m.id, COALESCE(SUM(e.growth), 0) AS growth FROM member m
         LEFT JOIN points_entry e ON e.member_id = m.id AND e.created_at < ?
         WHERE m.status = 'member' AND m.joined_at < ? GROUP BY m.id
       ) g
     ) t GROUP BY t.tier`,
    [...ladder.flatMap((t) => [t.growthThreshold, t.code]), end, end],
  )) as Row[];
  const codes = [...c.today.tiers.map((t) => t.code as string | null)];
  const count = (rows: Row[], code: string | null) =>
    num(rows.find((r) => (r.tier ?? null) === code)?.n);
  if (actual.some((r) => r.tier === null) || simulated.some((r) => r.tier === null))
    codes.unshift(null);
  return codes.map((code) => ({
    code,
    name: code === null ? null : (c.today.tiers.find((t) => t.code === code)?.name ?? code),
    actual: count(actual, code),
    simulated: count(simulated, code),
  }));
}
