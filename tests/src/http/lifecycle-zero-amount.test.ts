import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { addDays, brandDay, routes, type ApiClient } from '@huoyue/shared';
import { brandNoonDaysAgo, joinedMember, staffLogin, recomputeAt } from '../support/flows.js';
import { ADMIN } from '../support/test-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const L = routes.lifecycle;
const P = routes.points;
const M = routes.members;

let seq = 0;
const orderNo = () => `Z${process.pid}-${Date.now().toString(36)}-${++seq}`;

describe('lifecycle: a zero-amount order is a purchase, a fully refunded one is not', () => {
  let server: TestServer;
  let owner: ApiClient;
  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  const today = () => brandDay(new Date(), server.config.brandTimezone);
  /** Brand-local noon `n` days ago. */
  const daysAgo = (n: number) => brandNoonDaysAgo(server.config.brandTimezone, n);
  const order = async (memberId: number, ago: number, amount: number) => {
    const no = orderNo();
    await owner.call(P.createOrder, {
      body: { orderNo: no, member: { id: memberId }, amount, paidAt: daysAgo(ago) },
    });
    return no;
  };
  const detail = (id: number) => owner.call(M.adminDetail, { params: { id } });

  it('counts a free coffee (amount 0) for recency and frequency, with no spend', async () => {
    const payer = await joinedMember(server);
    await order(payer.member.id, 40, 5_000);
    await order(payer.member.id, 10, 5_000);
    const m = await joinedMember(server);
    await order(m.member.id, 40, 0);
    await order(m.member.id, 10, 0);
    let d = await detail(m.member.id);
    assert.equal(d.stage, 'active', 'a member who only comes with free coupons is active');
    assert.equal(d.purchaseDays, 2);
    assert.equal(d.lastPurchaseDate, addDays(today(), -10));
    // The nightly recompute agrees, and scores the member (lowest M: no spend).
    await owner.call(L.recompute, { body: {} });
    d = await detail(m.member.id);
    assert.equal(d.stage, 'active');
    assert.ok(d.rfm, 'a zero-amount buyer has an RFM score');
    const paid = (await detail(payer.member.id)).rfm!;
    assert.equal(d.rfm.f, paid.f, 'the same visits: the same frequency');
    assert.ok(d.rfm.m < paid.m, `no spend, a lower M (${d.rfm.m} < ${paid.m})`);
  });

  it('lets a member who visits only with free coupons age by those visits, not drift to silent', async () => {
    const m = await joinedMember(server);
    await order(m.member.id, 150, 5_000);
    assert.equal((await detail(m.member.id)).stage, 'silent');
    await order(m.member.id, 5, 0);
    const d = await detail(m.member.id);
    assert.equal(d.stage, 'active');
    assert.equal(d.stageHistory[0]?.cause, 'purchase');
  });

  it('does not count a fully refunded order; a partly refunded one still counts', async () => {
    const full = await joinedMember(server);
    const fullNo = await order(full.member.id, 3, 2_000);
    await owner.call(P.refund, {
      params: { orderNo: fullNo },
      body: { refundNo: `${fullNo}-R`, amount: 2_000 },
    });
    let d = await detail(full.member.id);
    assert.equal(d.purchaseDays, 0);
    assert.equal(d.stage, 'new');

    const part = await joinedMember(server);
    const partNo = await order(part.member.id, 3, 2_000);
    await owner.call(P.refund, {
      params: { orderNo: partNo },
      body: { refundNo: `${partNo}-R`, amount: 1_500 },
    });
    d = await detail(part.member.id);
    assert.equal(d.purchaseDays, 1);
    assert.equal(d.stage, 'active');
  });

  it('CDNOW as order history: no customer drops out of the churn model when some only ever bought free', async () => {
    // The sample as (x, t_x, T) in weeks (fixtures/LICENSE-lifetimes.txt), laid out as orders ending today; the
    // customers whose id is a multiple of 290 (8 of 2,357) only ever had zero-amount orders.
    const fixture = join(
      dirname(fileURLToPath(import.meta.url)),
      '../../fixtures/cdnow_customers_summary.csv',
    );
    const customers = readFileSync(fixture, 'utf8').trim().split('\n').slice(1);
    const rows = ['member_ref,order_no,paid_at,amount'];
    let free = 0;
    for (const line of customers) {
      const [id, x, tx, T] = line.split(',').map(Number) as [number, number, number, number];
      const first = addDays(today(), -Math.round(T * 7));
      const span = Math.round(tx * 7);
      const amount = id % 290 === 0 ? 0 : 2_500;
      if (amount === 0) free++;
      const days = [
        first,
        ...Array.from({ length: x }, (_, k) => addDays(first, Math.round((span * (k + 1)) / x))),
      ];
      days.forEach((day, k) => rows.push(`CDNOW-${id},CDNOW-${id}-${k},${day},${amount}`));
    }
    assert.equal(free, 8);
    const token = (await server.client().call(routes.staff.login, { body: ADMIN })).token;
    const res = await fetch(`${server.apiUrl}/admin/imports/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: rows.join('\n'),
    });
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: number };
    for (let i = 0; ; i++) {
      const view = await owner.call(P.getImport, { params: { id } });
      if (view.status === 'done') break;
      assert.notEqual(view.status, 'failed', view.error ?? '');
      assert.ok(i < 1200, 'the import finishes');
      await new Promise((r) => setTimeout(r, 100));
    }
    const fitted = await owner.call(L.fitModel, { body: {} });
    // Every CDNOW customer, plus the members of the tests above who bought.
    const others = (await server.dataSource.query(
      "SELECT COUNT(*) AS n FROM member_lifecycle ml JOIN member m ON m.id = ml.member_id WHERE (m.external_ref IS NULL OR m.external_ref NOT LIKE 'CDNOW-%') AND ml.purchase_days > 0",
    )) as { n: number }[];
    assert.equal(fitted.bgnbd.members, 2_357 + Number(others[0]!.n));
  });

  it('counts zero-amount orders on the history path too (any date other than today)', async () => {
    const m = await joinedMember(server);
    await order(m.member.id, 20, 0);
    const asOf = addDays(today(), 1);
    const dry = await owner.call(L.recompute, { body: { asOf, dryRun: true } });
    assert.equal(dry.source, 'history');
    // Tomorrow the member's one zero-amount purchase is 21 days old: active, not a new member who never bought.
    await recomputeAt(server, asOf); // a day to come: in process (the API refuses it unless dryRun)
    const d = await detail(m.member.id);
    assert.equal(d.stage, 'active');
  });
});
