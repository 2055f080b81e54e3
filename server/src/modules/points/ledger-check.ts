import type { DataSource } from 'typeorm';

export interface LedgerDiscrepancy {
  memberId: number;
  what: 'balance_vs_entries' | 'growth_vs_entries' | 'balance_vs_lots' | 'pending_vs_lots';
  expected: number;
  actual: number;
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * Verifies the ledger over the whole database, set-based: every account's balance and growth equal the sums of
 * its entries, its balance equals what is left in its available lots, and its
 * pending equals its pending lots. `npm run check:ledger` runs it.
 */
export async function checkLedger(
  dataSource: DataSource,
): Promise<{ accounts: number; entries: number; discrepancies: LedgerDiscrepancy[] }> {
  const discrepancies: LedgerDiscrepancy[] = [
    ...(await accountsVsEntries(dataSource)),
    ...(await entriesWithoutAccount(dataSource)),
    ...(await accountsVsLots(dataSource)),
  ];
  const [counts] = (await dataSource.query(
    'SELECT (SELECT COUNT(*) FROM points_account) AS accounts, (SELECT COUNT(*) FROM points_entry) AS entries',
  )) as { accounts: number; entries: number }[];
  return { accounts: n(counts?.accounts), entries: n(counts?.entries), discrepancies };
}

/** Accounts whose balance or growth differs from the sums of their entries. */
async function accountsVsEntries(dataSource: DataSource): Promise<LedgerDiscrepancy[]> {
  const discrepancies: LedgerDiscrepancy[] = [];
  const sums: {
    member_id: number;
    balance: number;
    growth: number;
    e_points: number | null;
    e_growth: number | null;
  }[] = await dataSource.query(
    `SELECT a.member_id, a.balance, a.growth, e.points AS e_points, e.growth AS e_growth
       FROM points_account a
       LEFT JOIN (SELECT member_id, SUM(points) AS points, SUM(growth) AS growth
                    FROM points_entry GROUP BY member_id) e ON e.member_id = a.member_id
      WHERE a.balance <> COALESCE(e.points, 0) OR a.growth <> COALESCE(e.growth, 0)`,
  );
  for (const r of sums) {
    if (n(r.balance) !== n(r.e_points))
      discrepancies.push({
        memberId: n(r.member_id),
        what: 'balance_vs_entries',
        expected: n(r.e_points),
        actual: n(r.balance),
      });
    if (n(r.growth) !== n(r.e_growth))
      discrepancies.push({
        memberId: n(r.member_id),
        what: 'growth_vs_entries',
        expected: n(r.e_growth),
        actual: n(r.growth),
      });
  }
  return discrepancies;
}

/** Members with entries but no account row: their whole sum is missing from a balance. */
async function entriesWithoutAccount(dataSource: DataSource): Promise<LedgerDiscrepancy[]> {
  const orphans: { member_id: number; points: number }[] = await dataSource.query(
    `SELECT e.member_id, SUM(e.points) AS points
       FROM points_entry e LEFT JOIN points_account a ON a.member_id = e.member_id
      WHERE a.member_id IS NULL GROUP BY e.member_id`,
  );
  return orphans.map((r) => ({
    memberId: n(r.member_id),
    what: 'balance_vs_entries',
    expected: n(r.points),
    actual: 0,
  }));
}

/** Accounts whose balance or pending differs from what is left in their available or pending lots. */
async function accountsVsLots(dataSource: DataSource): Promise<LedgerDiscrepancy[]> {
  const discrepancies: LedgerDiscrepancy[] = [];
  const lots: {
    member_id: number;
    balance: number;
    pending: number;
    available: number | null;
    pending_lots: number | null;
  }[] = await dataSource.query(
    `SELECT a.member_id, a.balance, a.pending, l.available, l.pending_lots
       FROM points_account a
       LEFT JOIN (SELECT member_id,
                         SUM(CASE WHEN status = 'available' THEN remaining ELSE 0 END) AS available,
                         SUM(CASE WHEN status = 'pending' THEN remaining ELSE 0 END) AS pending_lots
                    FROM points_lot GROUP BY member_id) l ON l.member_id = a.member_id
      WHERE a.balance <> COALESCE(l.available, 0) OR a.pending <> COALESCE(l.pending_lots, 0)`,
  );
  for (const r of lots) {
    if (n(r.balance) !== n(r.available))
      discrepancies.push({
        memberId: n(r.member_id),
        what: 'balance_vs_lots',
        expected: n(r.available),
        actual: n(r.balance),
      });
    if (n(r.pending) !== n(r.pending_lots))
      discrepancies.push({
        memberId: n(r.member_id),
        what: 'pending_vs_lots',
        expected: n(r.pending_lots),
        actual: n(r.pending),
      });
  }
  return discrepancies;
}
