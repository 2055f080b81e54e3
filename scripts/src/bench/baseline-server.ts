/**
 * The baseline for the bench scripts: bare Fastify routes doing the same SQL with the same driver as the real
 * endpoints, and nothing else (no auth, no validation, no framework, no ledger). Run as its own process.
 *   GET /me/:id      one indexed SELECT (bench:api)
 *   POST /login      one indexed SELECT by openid (bench:api)
 *   POST /order      one INSERT of an order row into a scratch table with a unique order number (bench:points)
 *   POST /spend      one conditional UPDATE of a single hot balance (bench:points)
 */
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import mysql from 'mysql2/promise';

const url = process.env.DATABASE_URL!;
const port = Number(process.env.PORT ?? 0);
const app = Fastify({ logger: false });

type Row = Record<string, unknown> | undefined;
let byId: (id: number) => Promise<Row>;
let byOpenid: (openid: string) => Promise<Row>;
let insertOrder: (o: { orderNo: string; memberId: number; amount: number; paidAt: string }) => Promise<void>;
let spend: () => Promise<number>;
const SQL_ID = 'SELECT id, nickname, card_no, stage, tier_code, joined_at FROM member WHERE id = ?';
const SQL_OPENID = 'SELECT id, nickname, card_no, stage, tier_code, joined_at FROM member WHERE openid = ?';
const SQL_ORDER = 'INSERT INTO bench_order (order_no, member_id, amount, paid_at) VALUES (?, ?, ?, ?)';
const SQL_SPEND = 'UPDATE bench_account SET balance = balance - 1 WHERE id = 1 AND balance >= 1';

if (url.startsWith('sqlite:')) {
  const db = new Database(url.slice('sqlite:'.length));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS bench_order (id INTEGER PRIMARY KEY AUTOINCREMENT, order_no VARCHAR(64) NOT NULL UNIQUE, member_id INT NOT NULL, amount INT NOT NULL, paid_at DATETIME NOT NULL)');
  db.exec('CREATE TABLE IF NOT EXISTS bench_account (id INT PRIMARY KEY, balance INT NOT NULL CHECK (balance >= 0))');
  db.exec('INSERT OR REPLACE INTO bench_account (id, balance) VALUES (1, 1000000000)');
  const a = db.prepare(SQL_ID);
  const b = db.prepare(SQL_OPENID);
  const c = db.prepare(SQL_ORDER);
  const d = db.prepare(SQL_SPEND);
  byId = async (id) => a.get(id) as Row;
  byOpenid = async (openid) => b.get(openid) as Row;
  insertOrder = async (o) => void c.run(o.orderNo, o.memberId, o.amount, o.paidAt);
  spend = async () => d.run().changes;
} else {
  const pool = mysql.createPool({ uri: url, connectionLimit: 20 });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_order (id INT AUTO_INCREMENT PRIMARY KEY, order_no VARCHAR(64) NOT NULL UNIQUE, member_id INT NOT NULL, amount INT NOT NULL, paid_at DATETIME(3) NOT NULL) ENGINE=InnoDB');
  await pool.query('CREATE TABLE IF NOT EXISTS bench_account (id INT PRIMARY KEY, balance INT NOT NULL, CHECK (balance >= 0)) ENGINE=InnoDB');
  await pool.query('REPLACE INTO bench_account (id, balance) VALUES (1, 1000000000)');
  byId = async (id) => ((await pool.execute(SQL_ID, [id]))[0] as Row[])[0];
  byOpenid = async (openid) => ((await pool.execute(SQL_OPENID, [openid]))[0] as Row[])[0];
  insertOrder = async (o) => void (await pool.execute(SQL_ORDER, [o.orderNo, o.memberId, o.amount, new Date(o.paidAt)]));
  spend = async () => ((await pool.execute(SQL_SPEND))[0] as { affectedRows: number }).affectedRows;
}

app.get('/me/:id', async (req) => byId(Number((req.params as { id: string }).id)));
app.post('/login', async (req) => byOpenid(String((req.body as { openid: string }).openid)));
app.post('/order', async (req, reply) => {
  const b = req.body as { orderNo: string; member: { id: number }; amount: number; paidAt: string };
  await insertOrder({ orderNo: b.orderNo, memberId: b.member.id, amount: b.amount, paidAt: b.paidAt });
  return reply.status(201).send({ orderNo: b.orderNo });
});
app.post('/spend', async (_req, reply) => ((await spend()) === 1 ? { ok: true } : reply.status(422).send({ ok: false })));
const address = await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`READY ${address}\n`);
