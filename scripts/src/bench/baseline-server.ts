/**
 * The baseline for bench:api: a bare Fastify route doing the same indexed SELECT with the same driver as the
 * real endpoint, and nothing else (no auth, no validation, no framework). Run as its own process.
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
const SQL_ID = 'SELECT id, nickname, card_no, stage, tier_code, joined_at FROM member WHERE id = ?';
const SQL_OPENID = 'SELECT id, nickname, card_no, stage, tier_code, joined_at FROM member WHERE openid = ?';

if (url.startsWith('sqlite:')) {
  const db = new Database(url.slice('sqlite:'.length), { readonly: true });
  const a = db.prepare(SQL_ID);
  const b = db.prepare(SQL_OPENID);
  byId = async (id) => a.get(id) as Row;
  byOpenid = async (openid) => b.get(openid) as Row;
} else {
  const pool = mysql.createPool({ uri: url, connectionLimit: 20 });
  byId = async (id) => ((await pool.execute(SQL_ID, [id]))[0] as Row[])[0];
  byOpenid = async (openid) => ((await pool.execute(SQL_OPENID, [openid]))[0] as Row[])[0];
}

app.get('/me/:id', async (req) => byId(Number((req.params as { id: string }).id)));
app.post('/login', async (req) => byOpenid(String((req.body as { openid: string }).openid)));
const address = await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`READY ${address}\n`);
