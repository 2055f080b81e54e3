/**
 * The points liability step of a bench (issue 22): the liability and the chain-ladder breakage, timed through the
 * API, and a generator that writes a points ledger (lots and entries) for the orders a bench generated, straight
 * into MariaDB, so the liability's statements run at a large brand's scale.
 *
 *   import { generateLedger, timeLiability } from './liability-step.js';
 *   await generateLedger(db);                       // after the orders are in (the lifecycle generator)
 *   const t = await timeLiability(api, token);      // { liabilityMs, breakageMs, totalMs, cohorts, outstanding }
 */
import type mysql from 'mysql2/promise';
import { json } from './support.js';

export interface LiabilityTiming {
  /** GET /admin/points/liability: the series, the open lots and the chain ladder (FIFO attribution included). */
  liabilityMs: number;
  /** GET /admin/points/breakage right after (the attribution is kept while the ledger does not move). */
  breakageMs: number;
  totalMs: number;
  cohorts: number;
  outstanding: number;
}

/** Calls the liability and the breakage API once each, in that order, and answers the times. */
export async function timeLiability(api: string, token: string): Promise<LiabilityTiming> {
  const t0 = performance.now();
  const liability = await json<{ outstanding: number }>(
    `${api}/admin/points/liability`,
    undefined,
    token,
  );
  const t1 = performance.now();
  const breakage = await json<{ cohorts: unknown[] }>(
    `${api}/admin/points/breakage`,
    undefined,
    token,
  );
  const t2 = performance.now();
  return {
    liabilityMs: t1 - t0,
    breakageMs: t2 - t1,
    totalMs: t2 - t0,
    cohorts: breakage.cohorts.length,
    outstanding: liability.outstanding,
  };
}

const SLICE = 50_000;

/**
 * Per order: an earn entry and its lot (1 point per yuan, expiring at the end of the next year, brand-local
 * Asia/Shanghai); every third order a spend of half its points 30 days later; lots whose expiry has passed expire
 * what the spend left. Written by member slices (the orders' member_id range), set-based. Account balances are not
 * maintained (the liability reads only entries and lots). Answers the entries written.
 */
export async function generateLedger(db: mysql.Connection): Promise<number> {
  const [[{ lo, hi }]] = (await db.query(
    'SELECT MIN(member_id) AS lo, MAX(member_id) AS hi FROM orders',
  )) as unknown as [[{ lo: number; hi: number }]];
  const earned = 'FLOOR(o.amount / 100)';
  const spent = `CASE WHEN o.id % 3 = 0 THEN FLOOR(${earned} / 2) ELSE 0 END`;
  const expiry = `TIMESTAMP(CONCAT(YEAR(o.paid_at + INTERVAL 8 HOUR) + 2, '-01-01')) - INTERVAL 8 HOUR`;
  let entries = 0;
  for (let from = lo; from <= hi; from += SLICE) {
    const range = [from, from + SLICE - 1];
    const slice = 'o.member_id BETWEEN ? AND ?';
    await db.query(
      `INSERT INTO points_lot (member_id, amount, remaining, growth, status, expires_at, available_at,
                               source_type, source_ref, idempotency_key, created_at)
       SELECT o.member_id, ${earned}, CASE WHEN ${expiry} <= UTC_TIMESTAMP(3) THEN 0 ELSE ${earned} - ${spent} END,
              0, 'available', ${expiry}, o.paid_at, 'order', o.order_no, CONCAT('order:', o.order_no), o.paid_at
         FROM orders o WHERE ${slice} AND o.amount >= 100`,
      range,
    );
    const [earn] = (await db.query(
      `INSERT INTO points_entry (member_id, type, points, growth, balance_after, growth_after, idempotency_key,
                                 source_type, source_ref, expires_at, created_at)
       SELECT o.member_id, 'earn', ${earned}, 0, 0, 0, CONCAT('order:', o.order_no), 'order', o.order_no,
              ${expiry}, o.paid_at
         FROM orders o WHERE ${slice} AND o.amount >= 100`,
      range,
    )) as unknown as [{ affectedRows: number }];
    const [spend] = (await db.query(
      `INSERT INTO points_entry (member_id, type, points, growth, balance_after, growth_after, idempotency_key,
                                 source_type, source_ref, created_at)
       SELECT o.member_id, 'spend', -${spent}, 0, 0, 0, CONCAT('bench-spend:', o.order_no), 'mall', o.order_no,
              LEAST(UTC_TIMESTAMP(3), o.paid_at + INTERVAL 30 DAY)
         FROM orders o WHERE ${slice} AND o.amount >= 200 AND o.id % 3 = 0`,
      range,
    )) as unknown as [{ affectedRows: number }];
    const [expire] = (await db.query(
      `INSERT INTO points_entry (member_id, type, points, growth, balance_after, growth_after, idempotency_key,
                                 source_type, source_ref, created_at)
       SELECT o.member_id, 'expire', -(${earned} - ${spent}), 0, 0, 0, CONCAT('bench-expire:', o.order_no),
              'expiry', o.order_no, ${expiry}
         FROM orders o WHERE ${slice} AND o.amount >= 100 AND ${expiry} <= UTC_TIMESTAMP(3)`,
      range,
    )) as unknown as [{ affectedRows: number }];
    entries += earn.affectedRows + spend.affectedRows + expire.affectedRows;
  }
  return entries;
}
