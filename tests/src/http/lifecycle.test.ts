import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, brandDay, routes, startOfBrandDay, type ApiClient } from '@huoyue/shared';
import {
  brandNoonDaysAgo,
  expectError,
  joinedMember,
  recomputeAt,
  staffLogin,
  uniquePhone,
} from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const L = routes.lifecycle;
const P = routes.points;
const M = routes.members;

let seq = 0;
const orderNo = () => `LC${process.pid}-${Date.now().toString(36)}-${++seq}`;

/** Shared helpers over one server: members who bought on given brand-local days before today. */
function world(getServer: () => TestServer, getOwner: () => ApiClient) {
  const tz = () => getServer().config.brandTimezone;
  const today = () => brandDay(new Date(), tz());
  /** Brand-local noon of the day `n` days before today, so no test straddles midnight. */
  const daysAgo = (n: number) => brandNoonDaysAgo(tz(), n);
  const order = (memberId: number, ago: number, amount = 1_000) =>
    getOwner().call(P.createOrder, {
      body: { orderNo: orderNo(), member: { id: memberId }, amount, paidAt: daysAgo(ago) },
    });
  const buyer = async (agos: number[], amount = 1_000) => {
    const m = await joinedMember(getServer());
    for (const ago of agos) await order(m.member.id, ago, amount);
    return m;
  };
  const detail = (id: number) => getOwner().call(M.adminDetail, { params: { id } });
  // A recompute that writes as of a day to come runs in process (the API refuses it: issue 18).
  const recompute = (body: { asOf?: string; dryRun?: boolean } = {}) =>
    body.asOf && body.asOf > today() && !body.dryRun
      ? recomputeAt(getServer(), body.asOf)
      : getOwner().call(L.recompute, { body });
  const events = async (name: string, memberId: number) =>
    (
      (await getServer().dataSource.query(
        'SELECT payload FROM domain_event WHERE name = ? ORDER BY id',
        [name],
      )) as { payload: string }[]
    )
      .map((r) => JSON.parse(r.payload) as Record<string, unknown>)
      .filter((p) => p.memberId === memberId);
  return { today, daysAgo, order, buyer, detail, recompute, events };
}

describe('lifecycle stages: thresholds, transitions, as-of dates', () => {
  let server: TestServer;
  let owner: ApiClient;
  const w = world(
    () => server,
    () => owner,
  );

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  it('joins as new, with the transition recorded and announced', async () => {
    const m = await joinedMember(server);
    const d = await w.detail(m.member.id);
    assert.equal(d.stage, 'new');
    assert.deepEqual(
      d.stageHistory.map((h) => [h.from, h.to, h.cause]),
      [['potential', 'new', 'join']],
    );
    assert.deepEqual(
      (await w.events('member.stage_changed', m.member.id)).map((e) => e.to),
      ['new'],
    );
    assert.equal(d.rfm, null);
    assert.equal(d.pAlive, null, 'no purchase, no P(alive)');
  });

  it('decides by days since the last purchase at the boundary days, and a purchase makes a member active at once', async () => {
    const cases: [number, string][] = [
      [0, 'active'],
      [90, 'active'],
      [91, 'silent'],
      [180, 'silent'],
      [181, 'dormant'],
      [365, 'dormant'],
      [366, 'lost'],
    ];
    const ids: number[] = [];
    for (const [ago] of cases) ids.push((await w.buyer([ago + 20, ago])).member.id);
    for (const [i, [ago, stage]] of cases.entries())
      assert.equal((await w.detail(ids[i]!)).stage, stage, `${ago} days since the last purchase`);
    // The nightly pass agrees with the event-driven decision: nothing moves.
    const again = await w.recompute();
    assert.equal(again.source, 'aggregates');
    for (const [i, [, stage]] of cases.entries())
      assert.equal((await w.detail(ids[i]!)).stage, stage);

    const lost = ids[ids.length - 1]!;
    await w.order(lost, 0);
    const d = await w.detail(lost);
    assert.equal(d.stage, 'active');
    assert.equal(d.stageHistory[0]!.from, 'lost');
    assert.equal(d.stageHistory[0]!.cause, 'purchase');
    assert.equal(d.lastPurchaseDate, w.today());
    assert.equal(d.purchaseDays, 3);
  });

  it('ages by the calendar: tomorrow the 90-day member is silent; a dry run writes nothing', async () => {
    const m = await w.buyer([90]);
    const tomorrow = addDays(w.today(), 1);
    const before = await owner.call(L.summary);
    const dry = await w.recompute({ asOf: tomorrow, dryRun: true });
    assert.equal(dry.dryRun, true);
    assert.equal(dry.source, 'history');
    assert.equal(dry.transitions, 0);
    assert.ok(dry.stages.silent > before.stages.silent, 'the what-if moves members to silent');
    assert.equal((await w.detail(m.member.id)).stage, 'active', 'a dry run changes no member');

    const applied = await w.recompute({ asOf: tomorrow });
    assert.ok(applied.transitions >= 1);
    const d = await w.detail(m.member.id);
    assert.equal(d.stage, 'silent');
    assert.deepEqual(
      [
        d.stageHistory[0]!.from,
        d.stageHistory[0]!.to,
        d.stageHistory[0]!.day,
        d.stageHistory[0]!.cause,
      ],
      ['active', 'silent', tomorrow, 'recompute'],
    );
    const announced = await w.events('member.stage_changed', m.member.id);
    assert.deepEqual(announced.at(-1), {
      memberId: m.member.id,
      from: 'active',
      to: 'silent',
      day: tomorrow,
      cause: 'recompute',
      at: startOfBrandDay(tomorrow, server.config.brandTimezone).toISOString(),
    });
    await w.recompute(); // back to today
    assert.equal((await w.detail(m.member.id)).stage, 'active');
  });

  it('keeps a joined member without a purchase new through day 30, silent from day 31', async () => {
    const m = await joinedMember(server);
    await w.recompute({ asOf: addDays(w.today(), 30) });
    assert.equal((await w.detail(m.member.id)).stage, 'new');
    await w.recompute({ asOf: addDays(w.today(), 31) });
    assert.equal((await w.detail(m.member.id)).stage, 'silent');
    await w.recompute({ asOf: addDays(w.today(), 181) });
    assert.equal((await w.detail(m.member.id)).stage, 'dormant');
    await w.recompute();
    assert.equal((await w.detail(m.member.id)).stage, 'new');
  });

  it('as of a past date ignores everything after it', async () => {
    // An offline customer (first known from a store order 200 days ago), who bought again 10 days ago.
    const phone = uniquePhone();
    const first = await owner.call(P.createOrder, {
      body: { orderNo: orderNo(), member: { phone }, amount: 3_000, paidAt: w.daysAgo(200) },
    });
    await w.order(first.memberId, 10);
    const m = { member: { id: first.memberId } };
    const asOf = addDays(w.today(), -100);
    const result = await w.recompute({ asOf });
    assert.equal(result.source, 'history');
    const d = await w.detail(m.member.id);
    assert.equal(
      d.stage,
      'silent',
      'as of 100 days ago the last purchase was 100 days old: the one 10 days ago does not exist yet',
    );
    // A member who joined after the as-of date was not a member then.
    const later = await joinedMember(server);
    await w.recompute({ asOf });
    assert.equal((await w.detail(later.member.id)).stage, 'potential');
    await w.recompute();
    assert.equal((await w.detail(m.member.id)).stage, 'active');
    assert.equal((await w.detail(later.member.id)).stage, 'new');
  });

  it('a refund of the only purchase takes the member back', async () => {
    const m = await w.buyer([]);
    const o = await w.order(m.member.id, 0, 5_000);
    assert.equal((await w.detail(m.member.id)).stage, 'active');
    await owner.call(P.refund, {
      params: { orderNo: o.orderNo },
      body: { refundNo: `${o.orderNo}-R`, amount: 5_000 },
    });
    const d = await w.detail(m.member.id);
    assert.equal(d.stage, 'new');
    assert.equal(d.purchaseDays, 0);
  });

  it('an order import refreshes its members; a WeChat join merging an offline buyer keeps the buyer active', async () => {
    const m = await joinedMember(server);
    const token = (
      await server
        .client()
        .call(routes.staff.login, { body: { username: 'owner', password: 'owner-password-1' } })
    ).token;
    const csv = [
      'member_ref,order_no,paid_at,amount',
      `${m.phone},${orderNo()},${addDays(w.today(), -3)},15800`,
      `${m.phone},${orderNo()},${addDays(w.today(), -2)},9900`,
    ].join('\n');
    const res = await fetch(`${server.apiUrl}/admin/imports/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: csv,
    });
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: number };
    for (
      let i = 0;
      i < 200 && (await owner.call(P.getImport, { params: { id } })).status !== 'done';
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    let d = await w.detail(m.member.id);
    assert.equal(d.stage, 'active');
    assert.equal(d.purchaseDays, 2);
    assert.equal(d.stageHistory[0]!.cause, 'import');

    // A batch that moves many members at once (written set-based): every move recorded and announced.
    const phones = Array.from({ length: 15 }, () => uniquePhone());
    const many = [
      'member_ref,order_no,paid_at,amount',
      ...phones.map((p) => `${p},${orderNo()},${addDays(w.today(), -1)},5000`),
    ].join('\n');
    const bulk = await fetch(`${server.apiUrl}/admin/imports/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: many,
    });
    const { id: bulkId } = (await bulk.json()) as { id: number };
    for (
      let i = 0;
      i < 200 && (await owner.call(P.getImport, { params: { id: bulkId } })).status !== 'done';
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    const imported = (await server.dataSource.query(
      `SELECT id FROM member WHERE phone IN (${phones.map(() => '?').join(', ')})`,
      phones,
    )) as { id: number }[];
    assert.equal(imported.length, 15);
    for (const { id } of imported) {
      const d = await w.detail(Number(id));
      assert.deepEqual(
        [d.stage, d.purchaseDays, d.stageHistory[0]?.to, d.stageHistory[0]?.cause],
        ['active', 1, 'active', 'import'],
      );
      assert.deepEqual(
        (await w.events('member.stage_changed', Number(id))).map((e) => [e.to, e.cause]),
        [['active', 'import']],
      );
    }

    const phone = uniquePhone();
    const offline = await owner.call(P.createOrder, {
      body: { orderNo: orderNo(), member: { phone }, amount: 8_800, paidAt: w.daysAgo(5) },
    });
    const joined = await joinedMember(server, '线下老顾客', phone);
    assert.equal(joined.member.id, offline.memberId, 'the offline record survives the merge');
    d = await w.detail(offline.memberId);
    assert.equal(d.stage, 'active');
    assert.equal(d.purchaseDays, 1);
  });

  it('is safe while orders keep arriving: a purchase during the recompute is not overwritten', async () => {
    const members = [];
    for (let i = 0; i < 12; i++) members.push((await w.buyer([200])).member.id);
    // Make the recompute want to move them (a what-if far ahead writes lost), while purchases arrive today.
    const farAhead = addDays(w.today(), 400);
    const [result] = await Promise.all([
      w.recompute({ asOf: farAhead }),
      ...members.map((id) => w.order(id, 0)),
    ]);
    assert.ok(result.members > 0);
    await w.recompute(); // today: everyone who bought today is active, whatever the order of the two above
    for (const id of members) assert.equal((await w.detail(id)).stage, 'active');
    for (const id of members) {
      const d = await w.detail(id);
      assert.equal(d.lastPurchaseDate, w.today());
    }
  });

  it('runs one recompute at a time: two at once both finish, and the second finds nothing left to move', async () => {
    for (let i = 0; i < 3; i++) await w.buyer([100]);
    await w.recompute({ asOf: addDays(w.today(), -80) }); // makes them active as of then
    const [a, b] = await Promise.all([w.recompute(), w.recompute()]);
    assert.ok(a.transitions + b.transitions >= 3);
    assert.ok(
      a.transitions === 0 || b.transitions === 0,
      `one of them moved everything (${a.transitions}, ${b.transitions})`,
    );
  });

  it('settings: validated, owner only, and they move the thresholds', async () => {
    const defaults = await owner.call(L.getSettings);
    assert.equal(defaults.activeDays, 90);
    await expectError(
      owner.call(L.putSettings, { body: { ...defaults, activeDays: 200 } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(L.putSettings, { body: { ...defaults, newDays: 0 } }),
      400,
      'VALIDATION_FAILED',
    );
    const operator = await owner.call(routes.staff.create, {
      body: {
        username: `op${process.pid}`,
        password: 'operator-pass-1',
        role: 'operator',
        displayName: '运营',
      },
    });
    assert.ok(operator);
    const op = await staffLogin(server, `op${process.pid}`, 'operator-pass-1');
    await expectError(op.call(L.putSettings, { body: defaults }), 403, 'FORBIDDEN');

    const m = await w.buyer([70]);
    assert.equal((await w.detail(m.member.id)).stage, 'active');
    await owner.call(L.putSettings, { body: { ...defaults, activeDays: 60 } });
    await w.recompute();
    assert.equal((await w.detail(m.member.id)).stage, 'silent');
    await owner.call(L.putSettings, { body: defaults });
    await w.recompute();
    assert.equal((await w.detail(m.member.id)).stage, 'active');
  });

  it('refuses bad input with the documented error shape', async () => {
    await expectError(
      owner.call(L.recompute, { body: { asOf: '2026-02-30' } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(L.recompute, { body: { asOf: w.today(), extra: 1 } as never }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(L.export, { query: { stage: 'active', segment: 'champions' } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      owner.call(L.export, { query: { stage: 'sleepy' as never } }),
      400,
      'VALIDATION_FAILED',
    );
    const member = await joinedMember(server);
    await expectError(member.api.call(L.summary), 401, 'UNAUTHENTICATED');
  });
});
