/**
 * The baseline for the bench scripts: bare Fastify routes doing the same SQL with the same driver as the real
 * endpoints, and nothing else (no auth, no validation, no framework, no ledger). Run as its own process.
 *   GET /me/:id      one indexed SELECT (bench:api)
 *   POST /login      one indexed SELECT by openid (bench:api)
 *   POST /order      one INSERT of an order row into a scratch table with a unique order number (bench:points)
 *   POST /spend      one conditional UPDATE of a single hot balance (bench:points)
 *   POST /checkin/:id one INSERT into a scratch table unique on (member, day) (bench:checkins)
 *   GET /top         the top 100 rows of a leaderboard snapshot (bench:checkins)
 *   POST /stock/:id  one conditional stock decrement of a scratch item (bench:mall)
 *   POST /rush/:member a three-statement transaction: read the member, take one from a hot item's stock, insert an
 *                    order row (bench:rush)
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import mysql from 'mysql2/promise';

const url = process.env.DATABASE_URL!;
const port = Number(process.env.PORT ?? 0);
const app = Fastify({ logger: false });

type Row = Record<string, unknown> | undefined;
let byId: (id: number) => Promise<Row>;
let byOpenid: (openid: string) => Promise<Row>;
let insertOrder: (o: {
  orderNo: string;
  memberId: number;
  amount: number;
  paidAt: string;
}) => Promise<void>;
let spend: () => Promise<number>;
let checkin: (memberId: number, day: string) => Promise<void>;
let top: () => Promise<unknown[]>;
let takeStock: (id: number) => Promise<number>;
let rush: (memberId: number) => Promise<void>;
const SQL_RUSH_STOCK = 'UPDATE bench_item SET stock = stock - 1 WHERE id = 1 AND stock >= 1';
const SQL_ID = 'SELECT id, nickname, card_no, stage, tier_code, joined_at FROM member WHERE id = ?';
const SQL_OPENID =
  'SELECT id, nickname, card_no, stage, tier_code, joined_at FROM member WHERE openid = ?';
const SQL_ORDER =
  'INSERT INTO bench_order (order_no, member_id, amount, paid_at) VALUES (?, ?, ?, ?)';
const SQL_SPEND = 'UPDATE bench_account SET balance = balance - 1 WHERE id = 1 AND balance >= 1';
const SQL_CHECKIN = 'INSERT INTO bench_checkin (member_id, day, checked_at) VALUES (?, ?, ?)';
const SQL_TOP =
  "SELECT member_id, `rank`, score FROM leaderboard_entry WHERE board = 'points' AND period = ? ORDER BY `rank` LIMIT 100";

if (url.startsWith('sqlite:')) {
  const db = new Database(url.slice('sqlite:'.length));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(
    'CREATE TABLE IF NOT EXISTS bench_order (id INTEGER PRIMARY KEY AUTOINCREMENT, order_no VARCHAR(64) NOT NULL UNIQUE, member_id INT NOT NULL, amount INT NOT NULL, paid_at DATETIME NOT NULL)',
  );
  db.exec(
    'CREATE TABLE IF NOT EXISTS bench_account (id INT PRIMARY KEY, balance INT NOT NULL CHECK (balance >= 0))',
  );
  db.exec('INSERT OR REPLACE INTO bench_account (id, balance) VALUES (1, 1000000000)');
  db.exec(
    'CREATE TABLE IF NOT EXISTS bench_checkin (id INTEGER PRIMARY KEY AUTOINCREMENT, member_id INT NOT NULL, day DATE NOT NULL, checked_at DATETIME NOT NULL, UNIQUE (member_id, day))',
  );
  const ci = db.prepare(SQL_CHECKIN);
  const tp = db.prepare(SQL_TOP.replace(/`/g, '"'));
  checkin = async (memberId, day) => void ci.run(memberId, day, new Date().toISOString());
  db.exec(
    'CREATE TABLE IF NOT EXISTS bench_item (id INT PRIMARY KEY, stock INT NOT NULL CHECK (stock >= 0))',
  );
  for (let i = 1; i <= 100; i++)
    db.prepare('INSERT OR REPLACE INTO bench_item (id, stock) VALUES (?, 100000000)').run(i);
  const st = db.prepare('UPDATE bench_item SET stock = stock - 1 WHERE id = ? AND stock >= 1');
  takeStock = async (id) => st.run(id).changes;
  top = async () => tp.all(new Date().toISOString().slice(0, 7));
  const a = db.prepare(SQL_ID);
  const b = db.prepare(SQL_OPENID);
  const c = db.prepare(SQL_ORDER);
  const d = db.prepare(SQL_SPEND);
  byId = async (id) => a.get(id) as Row;
  byOpenid = async (openid) => b.get(openid) as Row;
  insertOrder = async (o) => void c.run(o.orderNo, o.memberId, o.amount, o.paidAt);
  spend = async () => d.run().changes;
  const rs = db.prepare(SQL_RUSH_STOCK);
  const rushTx = db.transaction((memberId: number) => {
    a.get(memberId);
    rs.run();
    c.run(randomUUID(), memberId, 1, new Date().toISOString());
  });
  rush = async (memberId) => void rushTx(memberId);
} else {
  const pool = mysql.createPool({ uri: url, connectionLimit: 20 });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_order (id INT AUTO_INCREMENT PRIMARY KEY, order_no VARCHAR(64) NOT NULL UNIQUE, member_id INT NOT NULL, amount INT NOT NULL, paid_at DATETIME(3) NOT NULL) ENGINE=InnoDB',
  );
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_account (id INT PRIMARY KEY, balance INT NOT NULL, CHECK (balance >= 0)) ENGINE=InnoDB',
  );
  await pool.query('REPLACE INTO bench_account (id, balance) VALUES (1, 1000000000)');
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_checkin (id INT AUTO_INCREMENT PRIMARY KEY, member_id INT NOT NULL, day DATE NOT NULL, checked_at DATETIME(3) NOT NULL, UNIQUE KEY uq (member_id, day)) ENGINE=InnoDB',
  );
  checkin = async (memberId, day) =>
    void (await pool.execute(SQL_CHECKIN, [memberId, day, new Date()]));
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_item (id INT PRIMARY KEY, stock INT NOT NULL, CHECK (stock >= 0)) ENGINE=InnoDB',
  );
  for (let i = 1; i <= 100; i++)
    await pool.query('REPLACE INTO bench_item (id, stock) VALUES (?, 100000000)', [i]);
  takeStock = async (id) =>
    (
      (
        await pool.execute('UPDATE bench_item SET stock = stock - 1 WHERE id = ? AND stock >= 1', [
          id,
        ])
      )[0] as { affectedRows: number }
    ).affectedRows;
  top = async () =>
    (await pool.execute(SQL_TOP, [new Date().toISOString().slice(0, 7)]))[0] as unknown[];
  byId = async (id) => ((await pool.execute(SQL_ID, [id]))[0] as Row[])[0];
  byOpenid = async (openid) => ((await pool.execute(SQL_OPENID, [openid]))[0] as Row[])[0];
  insertOrder = async (o) =>
    void (await pool.execute(SQL_ORDER, [o.orderNo, o.memberId, o.amount, new Date(o.paidAt)]));
  spend = async () => ((await pool.execute(SQL_SPEND))[0] as { affectedRows: number }).affectedRows;
  rush = async (memberId) => {
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      await conn.execute(SQL_ID, [memberId]);
      await conn.execute(SQL_RUSH_STOCK);
      await conn.execute(SQL_ORDER, [randomUUID(), memberId, 1, new Date()]);
      await conn.commit();
    } catch (err) {
      await conn.rollback();
      throw err;
    } finally {
      conn.release();
    }
  };
}

app.get('/me/:id', async (req) => byId(Number((req.params as { id: string }).id)));
app.post('/login', async (req) => byOpenid(String((req.body as { openid: string }).openid)));
app.post('/order', async (req, reply) => {
  const b = req.body as { orderNo: string; member: { id: number }; amount: number; paidAt: string };
  await insertOrder({
    orderNo: b.orderNo,
    memberId: b.member.id,
    amount: b.amount,
    paidAt: b.paidAt,
  });
  return reply.status(201).send({ orderNo: b.orderNo });
});
app.post('/checkin/:id', async (req, reply) => {
  await checkin(Number((req.params as { id: string }).id), new Date().toISOString().slice(0, 10));
  return reply.status(201).send({ ok: true });
});
app.post('/stock/:id', async (req, reply) =>
  (await takeStock(Number((req.params as { id: string }).id))) === 1
    ? reply.status(201).send({ ok: true })
    : reply.status(409).send({ ok: false }),
);
app.post('/rush/:member', async (req, reply) => {
  await rush(Number((req.params as { member: string }).member));
  return reply.status(201).send({ ok: true });
});
app.get('/top', async () => ({ top: await top() }));
app.post('/spend', async (_req, reply) =>
  (await spend()) === 1 ? { ok: true } : reply.status(422).send({ ok: false }),
);
const address = await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`READY ${address}\n`);
