/**
 * A points ledger for the generated orders, written set-based straight into points_lot / points_entry /
 * points_account (slices of members): an earn entry and a lot per order (expiring at the end of the next brand
 * year, UTC+8), a quarter of the lots spent, a quarter half spent, expired lots emptied, one spend and one expire
 * entry per member for them. balance_after is the entry's own points (the benches read sums, not running balances).
 */
import type mysql from 'mysql2/promise';

const SLICE = 50_000;
const EXPIRES = `TIMESTAMP(CONCAT(YEAR(o.paid_at + INTERVAL 8 HOUR) + 2, '-01-01')) - INTERVAL 8 HOUR`;

export async function writeLedger(db: mysql.Connection): Promise<number> {
  const [[{ lo, hi }]] = (await db.query(
    'SELECT MIN(id) AS lo, MAX(id) AS hi FROM member',
  )) as unknown as [[{ lo: number; hi: number }]];
  let lots = 0;
  for (let from = lo; from <= hi; from += SLICE) {
    const range = [from, from + SLICE - 1];
    const [result] = (await db.query(
      `INSERT INTO points_lot (member_id, amount, remaining, growth, status, expires_at, available_at, source_type,
         source_ref, idempotency_key, created_at)
       SELECT o.member_id, o.points,
         CASE WHEN ${EXPIRES} <= UTC_TIMESTAMP(3) OR o.id % 4 = 0 THEN 0 WHEN o.id % 4 = 1 THEN o.points DIV 2
           ELSE o.points END,
         o.growth, 'available', ${EXPIRES}, o.paid_at, 'order', o.order_no, CONCAT('order:', o.order_no), o.paid_at
       FROM orders o WHERE o.member_id BETWEEN ? AND ? AND o.points > 0`,
      range,
    )) as unknown as [{ affectedRows: number }];
    lots += result.affectedRows;
    await db.query(
      `INSERT INTO points_entry (member_id, type, points, growth, balance_after, growth_after, idempotency_key,
         source_type, source_ref, expires_at, created_at)
       SELECT o.member_id, 'earn', o.points, o.growth, o.points, o.growth, CONCAT('order:', o.order_no), 'order',
         o.order_no, ${EXPIRES}, o.paid_at
       FROM orders o WHERE o.member_id BETWEEN ? AND ? AND o.points > 0`,
      range,
    );
    await writeSpendsAndAccounts(db, range);
    process.stdout.write(`\r  ledger: ${lots.toLocaleString('en-US')} lots`);
  }
  process.stdout.write('\n');
  await db.query('ANALYZE TABLE points_lot, points_entry, points_account');
  return lots;
}

async function writeSpendsAndAccounts(db: mysql.Connection, range: number[]): Promise<void> {
  // What left the lots: spent (before expiry) and expired (what was left of the expired ones).
  await db.query(
    `INSERT INTO points_entry (member_id, type, points, growth, balance_after, growth_after, idempotency_key,
       source_type, source_ref, expires_at, created_at)
     SELECT l.member_id, 'spend', -SUM(CASE WHEN o.id % 4 = 0 THEN l.amount WHEN o.id % 4 = 1 THEN l.amount - l.amount DIV 2 ELSE 0 END),
       0, 0, 0, CONCAT('bench-spend:', l.member_id), 'mall', NULL, NULL,
       UTC_TIMESTAMP(3) - INTERVAL (l.member_id % 90) DAY
     FROM points_lot l JOIN orders o ON o.order_no = l.source_ref
     WHERE l.member_id BETWEEN ? AND ? AND o.id % 4 IN (0, 1)
     GROUP BY l.member_id`,
    range,
  );
  await db.query(
    `INSERT INTO points_entry (member_id, type, points, growth, balance_after, growth_after, idempotency_key,
       source_type, source_ref, expires_at, created_at)
     SELECT l.member_id, 'expire', -SUM(CASE WHEN o.id % 4 = 1 THEN l.amount DIV 2 WHEN o.id % 4 = 0 THEN 0 ELSE l.amount END),
       0, 0, 0, CONCAT('bench-expire:', l.member_id), 'expiry', NULL, NULL, MAX(l.expires_at)
     FROM points_lot l JOIN orders o ON o.order_no = l.source_ref
     WHERE l.member_id BETWEEN ? AND ? AND l.expires_at <= UTC_TIMESTAMP(3)
     GROUP BY l.member_id`,
    range,
  );
  await db.query(
    `INSERT INTO points_account (member_id, balance, growth, pending, owed, version)
     SELECT member_id, SUM(remaining), SUM(growth), 0, 0, 0 FROM points_lot
     WHERE member_id BETWEEN ? AND ? GROUP BY member_id`,
    range,
  );
}
