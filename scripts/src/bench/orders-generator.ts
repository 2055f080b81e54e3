/**
 * The large-brand generator the lifecycle and simulator benches share: BENCH_MEMBERS members joined over the last
 * two years and about ten orders each (15 % none, a heavy tail of regulars; some stop early), written straight
 * into MariaDB with set-based INSERT … SELECT, plus app opens for a tenth of them.
 *
 * `channel`: 'import' for history the lifecycle engine reads; 'api' for orders that earned points the way the
 * order path does at today's default rules (1 point per whole yuan, no tier yet), so the rule simulator replays
 * them.
 */
import type mysql from 'mysql2/promise';

const SLICE = 50_000;

export async function generateMembersAndOrders(
  db: mysql.Connection,
  members: number,
  options: { channel: 'import' | 'api' } = { channel: 'import' },
): Promise<number> {
  await db.query('SET SESSION max_recursive_iterations = 2000000');
  await db.query('CREATE TABLE bench_seq (n INT PRIMARY KEY)');
  await db.query(
    `INSERT INTO bench_seq WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${Math.max(members, 100)}) SELECT n FROM s`,
  );
  await db.query(
    `INSERT INTO member (card_no, nickname, stage, status, source, first_seen_at, joined_at)
     SELECT CONCAT('9', LPAD(n, 11, '0')), CONCAT('会员', n), 'new', 'member', 'offline',
       UTC_TIMESTAMP(3) - INTERVAL ((n * 7919) % 760) DAY - INTERVAL (n % 600) MINUTE, UTC_TIMESTAMP(3) - INTERVAL ((n * 7919) % 760) DAY - INTERVAL (n % 600) MINUTE
     FROM bench_seq WHERE n <= ?`,
    [members],
  );
  const count = `CASE WHEN h < 15 THEN 0 WHEN h < 50 THEN 1 + h % 3 WHEN h < 85 THEN 5 + h % 10 ELSE 25 + h % 30 END`;
  const earned = options.channel === 'api';
  let orders = 0;
  const [[{ lo, hi }]] = (await db.query(
    'SELECT MIN(id) AS lo, MAX(id) AS hi FROM member',
  )) as unknown as [[{ lo: number; hi: number }]];
  for (let from = lo; from <= hi; from += SLICE) {
    const [result] = (await db.query(
      `INSERT INTO orders (order_no, member_id, amount, paid_at, channel${earned ? ', points, growth, points_status, created_at' : ''})
       SELECT o.order_no, o.member_id, o.amount, o.paid_at, ?${earned ? ", o.amount DIV 100, o.amount DIV 100, 'credited', o.paid_at" : ''}
       FROM (
         SELECT CONCAT('G', m.id, '-', s.n) AS order_no, m.id AS member_id, 1000 + ((m.id * 37 + s.n * 101) % 50000) AS amount,
           LEAST(UTC_TIMESTAMP(3), m.joined_at + INTERVAL ((s.n * 104729 + m.id * 31) % GREATEST(1, FLOOR(DATEDIFF(UTC_TIMESTAMP(), m.joined_at) * (m.id % 4 + 1) / 4))) DAY + INTERVAL ((s.n * 3571) % 36000) SECOND) AS paid_at
         FROM (SELECT id, joined_at, (id * 7919) % 100 AS h FROM member WHERE id BETWEEN ? AND ?) m JOIN bench_seq s ON s.n <= ${count}
       ) o`,
      [options.channel, from, from + SLICE - 1],
    )) as unknown as [{ affectedRows: number }];
    orders += result.affectedRows;
    process.stdout.write(`\r  generated ${orders.toLocaleString('en-US')} orders`);
  }
  process.stdout.write('\n');
  await db.query(
    `INSERT INTO engagement_event (member_id, type, occurred_at, day)
     SELECT id, 'app_open', UTC_TIMESTAMP(3) - INTERVAL (id % 40) DAY, DATE(UTC_TIMESTAMP() + INTERVAL 8 HOUR - INTERVAL (id % 40) DAY) FROM member WHERE id % 10 = 0`,
  );
  await db.query('DROP TABLE bench_seq');
  await db.query('ANALYZE TABLE orders, member, engagement_event');
  return orders;
}
