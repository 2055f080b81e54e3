import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, ApiError, routes } from '@huoyue/shared';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { signRequest } from '@huoyue/server/dist/modules/staff/integration-keys.service.js';
import { joinedMember, staffLogin, expectError, runJobAt } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const p = routes.points;
const sys = routes.system;
const DAY = 86_400_000;

let seq = 0;
const orderNo = () => `T${process.pid}-${Date.now().toString(36)}-${++seq}`;

describe('points ledger, orders, refunds, expiry and tiers', () => {
  let server: TestServer;
  let owner: ApiClient;
  const defaultRules = {
    pointsPerYuan: 1,
    growthPerYuan: 1,
    perOrderCap: null,
    pendingDays: 0,
    expiry: { kind: 'end_of_next_year' as const },
    noticeDays: 14,
    downgrade: 'one_level' as const,
  };

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  const order = (
    memberId: number,
    amount: number,
    extra: Partial<{ paidAt: string; orderNo: string; storeCode: string }> = {},
  ) =>
    owner.call(p.createOrder, {
      body: {
        orderNo: extra.orderNo ?? orderNo(),
        member: { id: memberId },
        amount,
        paidAt: extra.paidAt ?? new Date().toISOString(),
        ...(extra.storeCode ? { storeCode: extra.storeCode } : {}),
      },
    });
  const adjust = (memberId: number, points: number) =>
    owner.call(p.adjust, {
      params: { id: memberId },
      body: { points, reason: '测试调整', requestId: randomUUID() },
    });
  const assertLedgerHolds = async () =>
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);

  it('an order earns floor(yuan) × tier multiplier, with the breakdown on the order and the ledger entry', async () => {
    const m = await joinedMember(server);
    const result = await order(m.member.id, 12_345, { storeCode: 'SH001' });
    assert.equal(result.points, 123);
    assert.equal(result.growth, 123);
    assert.equal(result.pointsStatus, 'credited');
    assert.deepEqual(
      {
        base: result.breakdown?.base,
        tierMultiplier: result.breakdown?.tierMultiplier,
        total: result.breakdown?.total,
      },
      { base: 123, tierMultiplier: 1, total: 123 },
    );
    const summary = await m.api.call(p.summary);
    assert.equal(summary.balance, 123);
    assert.equal(summary.growth, 123);
    const ledger = await m.api.call(p.ledger, { query: { limit: 10 } });
    assert.equal(ledger.items.length, 1);
    assert.equal(ledger.items[0]!.type, 'earn');
    assert.equal(ledger.items[0]!.balanceAfter, 123);
    assert.ok(ledger.items[0]!.expiresAt, 'earned points carry their expiry');
    assert.equal((ledger.items[0]!.breakdown as { total: number }).total, 123);
    assert.equal((await m.api.call(routes.members.me)).points, 123);
    await assertLedgerHolds();
  });

  it('the same order again answers the same result; a different body under its number is 409', async () => {
    const m = await joinedMember(server);
    const no = orderNo();
    const paidAt = new Date().toISOString();
    const first = await order(m.member.id, 5_000, { orderNo: no, paidAt });
    const again = await order(m.member.id, 5_000, { orderNo: no, paidAt });
    assert.deepEqual(again, first);
    await expectError(order(m.member.id, 6_000, { orderNo: no, paidAt }), 409, 'ORDER_CONFLICT');
    assert.equal((await m.api.call(p.summary)).balance, 50);
  });

  it('20 concurrent posts of one order credit it once', async () => {
    const m = await joinedMember(server);
    const no = orderNo();
    const paidAt = new Date().toISOString();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => order(m.member.id, 10_000, { orderNo: no, paidAt })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    assert.equal(
      ok.length,
      20,
      JSON.stringify(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason))),
    );
    assert.equal((await m.api.call(p.summary)).balance, 100);
    const ledger = await m.api.call(p.ledger, { query: { limit: 50 } });
    assert.equal(ledger.items.filter((e) => e.type === 'earn').length, 1);
    await assertLedgerHolds();
  });

  it('40 concurrent orders for 10 customers seen for the first time all land, each credited once', async () => {
    const phones = Array.from(
      { length: 10 },
      (_, i) =>
        `136${String(process.pid % 10000).padStart(4, '0')}${String(Date.now() % 1000).padStart(3, '0')}${i}`,
    );
    const paidAt = new Date().toISOString();
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        owner.call(p.createOrder, {
          body: { orderNo: orderNo(), member: { phone: phones[i % 10]! }, amount: 1_000, paidAt },
        }),
      ),
    );
    const failed = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
    assert.deepEqual(failed, []);
    const byMember = new Map<number, number>();
    for (const r of results)
      if (r.status === 'fulfilled')
        byMember.set(r.value.memberId, (byMember.get(r.value.memberId) ?? 0) + 1);
    assert.equal(byMember.size, 10, 'one offline member per phone');
    assert.ok([...byMember.values()].every((n) => n === 4));
    await assertLedgerHolds();
  });

  it('100 concurrent spends of one balance never take it below zero, and the ledger sums to the balance', async () => {
    const m = await joinedMember(server);
    await adjust(m.member.id, 500);
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => adjust(m.member.id, -10)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter(
      (r) => r.status === 'rejected' && (r.reason as ApiError).code === 'INSUFFICIENT_POINTS',
    ).length;
    const other = results
      .filter(
        (r) => r.status === 'rejected' && (r.reason as ApiError).code !== 'INSUFFICIENT_POINTS',
      )
      .map((r) => String((r as PromiseRejectedResult).reason));
    assert.deepEqual(other, []);
    assert.equal(ok, 50);
    assert.equal(refused, 50);
    assert.equal((await m.api.call(p.summary)).balance, 0);
    const all = await owner.call(p.memberLedger, {
      params: { id: m.member.id },
      query: { limit: 100 },
    });
    const more = all.nextCursor
      ? await owner.call(p.memberLedger, {
          params: { id: m.member.id },
          query: { limit: 100, cursor: all.nextCursor },
        })
      : { items: [] };
    const entries = [...all.items, ...more.items];
    assert.equal(entries.length, 51);
    assert.equal(
      entries.reduce((s, e) => s + e.points, 0),
      0,
    );
    assert.ok(entries.every((e) => e.balanceAfter >= 0));
    await assertLedgerHolds();
  });

  it('a staff adjustment retried with the same requestId applies once, and is audited', async () => {
    const m = await joinedMember(server);
    const body = { points: 30, reason: '补偿积分', requestId: randomUUID() };
    const [a, b] = await Promise.all([
      owner.call(p.adjust, { params: { id: m.member.id }, body }),
      owner.call(p.adjust, { params: { id: m.member.id }, body }),
    ]);
    assert.equal(a.id, b.id);
    assert.equal((await m.api.call(p.summary)).balance, 30);
    await expectError(
      owner.call(p.adjust, {
        params: { id: 99_999_999 },
        body: { ...body, requestId: randomUUID() },
      }),
      404,
      'NOT_FOUND',
    );
  });

  it('a partial refund takes back its share; a refund of points already spent leaves the rest owed, paid from later earnings', async () => {
    const m = await joinedMember(server);
    const no = orderNo();
    await order(m.member.id, 10_000, { orderNo: no });
    const partial = await owner.call(p.refund, {
      params: { orderNo: no },
      body: { refundNo: `${no}-R1`, amount: 3_000 },
    });
    assert.deepEqual(
      {
        reversed: partial.pointsReversed,
        owed: partial.pointsOwed,
        growth: partial.growthReversed,
      },
      { reversed: 30, owed: 0, growth: 30 },
    );
    assert.deepEqual(
      await owner.call(p.refund, {
        params: { orderNo: no },
        body: { refundNo: `${no}-R1`, amount: 3_000 },
      }),
      partial,
      'a retried refund applies once',
    );
    await adjust(m.member.id, -60); // the member spends what is left
    const rest = await owner.call(p.refund, {
      params: { orderNo: no },
      body: { refundNo: `${no}-R2`, amount: 7_000 },
    });
    assert.deepEqual(
      { reversed: rest.pointsReversed, owed: rest.pointsOwed },
      { reversed: 10, owed: 60 },
    );
    let summary = await m.api.call(p.summary);
    assert.deepEqual({ balance: summary.balance, owed: summary.owed }, { balance: 0, owed: 60 });
    await expectError(
      owner.call(p.refund, { params: { orderNo: no }, body: { refundNo: `${no}-R3`, amount: 1 } }),
      422,
      'REFUND_EXCEEDS_ORDER',
    );
    await order(m.member.id, 4_000); // earns 40, all of it goes to the debt
    summary = await m.api.call(p.summary);
    assert.deepEqual({ balance: summary.balance, owed: summary.owed }, { balance: 0, owed: 20 });
    await order(m.member.id, 5_000); // earns 50: 20 pays the rest, 30 stay
    summary = await m.api.call(p.summary);
    assert.deepEqual({ balance: summary.balance, owed: summary.owed }, { balance: 30, owed: 0 });
    const types = (await m.api.call(p.ledger, { query: { limit: 50 } })).items.map((e) => e.type);
    assert.equal(types.filter((t) => t === 'clawback').length, 2);
    await assertLedgerHolds();
  });

  it('points in the protection period are pending, a refund inside it cancels them, the job releases the rest', async () => {
    await owner.call(p.putRules, { body: { ...defaultRules, pendingDays: 7 } });
    try {
      const m = await joinedMember(server);
      const kept = await order(m.member.id, 8_000);
      const refunded = orderNo();
      await order(m.member.id, 2_000, { orderNo: refunded });
      assert.equal(kept.pointsStatus, 'pending');
      let summary = await m.api.call(p.summary);
      assert.deepEqual(
        { balance: summary.balance, pending: summary.pending },
        { balance: 0, pending: 100 },
      );
      await expectError(adjust(m.member.id, -1), 422, 'INSUFFICIENT_POINTS');
      const refund = await owner.call(p.refund, {
        params: { orderNo: refunded },
        body: { refundNo: `${refunded}-R`, amount: 2_000 },
      });
      assert.deepEqual(
        { reversed: refund.pointsReversed, owed: refund.pointsOwed },
        { reversed: 20, owed: 0 },
      );
      assert.equal((await m.api.call(p.summary)).pending, 80);
      const early = await runJobAt(
        server,
        'points.release_pending',
        new Date(Date.now() + 6 * DAY),
      );
      assert.equal(early.affected, 0);
      const due = await runJobAt(server, 'points.release_pending', new Date(Date.now() + 8 * DAY));
      assert.ok(due.affected >= 1);
      summary = await m.api.call(p.summary);
      assert.deepEqual(
        { balance: summary.balance, pending: summary.pending, growth: summary.growth },
        { balance: 80, pending: 0, growth: 80 },
      );
      await assertLedgerHolds();
    } finally {
      await owner.call(p.putRules, { body: defaultRules });
    }
  });

  it('spending takes the points that expire first, and expiry takes only what is left of the lots that ran out', async () => {
    await owner.call(p.putRules, { body: { ...defaultRules, expiry: { kind: 'days', days: 30 } } });
    try {
      const m = await joinedMember(server);
      await order(m.member.id, 10_000, { paidAt: new Date(Date.now() - 20 * DAY).toISOString() }); // lot A: 100, lasts 10 more days
      await order(m.member.id, 5_000); // lot B: 50, lasts 30 days
      await adjust(m.member.id, -30); // from A
      const summary = await m.api.call(p.summary);
      assert.deepEqual(
        summary.lots.map((l) => l.points),
        [70, 50],
      );
      assert.equal(summary.expiringSoon.points, 70, 'only lot A expires within 30 days');
      const notices = await owner.call(sys.runJob, {
        params: { name: 'points.expiry_notice' },
        body: {},
      });
      assert.ok(notices.affected >= 1);
      assert.equal(
        (await owner.call(sys.runJob, { params: { name: 'points.expiry_notice' }, body: {} }))
          .affected,
        0,
        'one notice per lot',
      );
      const expired = await runJobAt(server, 'points.expire', new Date(Date.now() + 12 * DAY));
      assert.ok(expired.affected >= 1);
      assert.equal((await m.api.call(p.summary)).balance, 50);
      const entry = (await m.api.call(p.ledger, { query: { limit: 1 } })).items[0]!;
      assert.deepEqual(
        { type: entry.type, points: entry.points, balanceAfter: entry.balanceAfter },
        { type: 'expire', points: -70, balanceAfter: 50 },
      );
      const again = await runJobAt(server, 'points.expire', new Date(Date.now() + 12 * DAY));
      assert.equal(again.affected, 0, 'expiry runs are idempotent');
      await assertLedgerHolds();
    } finally {
      await owner.call(p.putRules, { body: defaultRules });
    }
  });

  it('tiers: upgrade as soon as growth passes the bar; at period end kept with enough growth, else one level down with growth reset', async () => {
    await owner.call(p.updateTier, {
      params: { code: 'silver' },
      body: {
        growthThreshold: 1000,
        retentionGrowth: 500,
        validityMonths: 12,
        benefits: { pointsMultiplier: 1.5 },
      },
    });
    const stays = await joinedMember(server);
    const drops = await joinedMember(server);
    for (const m of [stays, drops]) await order(m.member.id, 120_000); // 1,200 growth
    const tiers = await drops.api.call(p.tiers);
    assert.equal(tiers.current.code, 'silver');
    assert.ok(tiers.current.expiresAt, 'a silver period has an end');
    assert.equal(tiers.current.toKeep, 500);
    assert.equal(tiers.current.toNext?.code, 'gold');
    assert.equal((await drops.api.call(routes.members.me)).tier?.code, 'silver');

    const silverOrder = await order(stays.member.id, 60_000); // earns at 1.5× and 600 growth inside the period
    assert.equal(silverOrder.points, 900);
    assert.equal(silverOrder.breakdown?.tierMultiplier, 1.5);
    assert.equal((await stays.api.call(p.tiers)).current.toKeep, 0);

    const expiresAt = new Date(tiers.current.expiresAt);
    const ended = await runJobAt(server, 'tiers.period_end', new Date(expiresAt.getTime() + DAY));
    assert.ok(ended.affected >= 2);
    const kept = await stays.api.call(p.tiers);
    assert.equal(kept.current.code, 'silver');
    assert.ok(new Date(kept.current.expiresAt!) > expiresAt, 'a new period began');
    const dropped = await drops.api.call(p.tiers);
    assert.equal(dropped.current.code, 'normal');
    assert.equal(dropped.current.growth, 0, 'growth restarts at the lower tier threshold');
    assert.equal(dropped.current.expiresAt, null);
    await assertLedgerHolds();
  });

  it('bad orders are refused with the error shape and write nothing', async () => {
    const m = await joinedMember(server);
    const bad = [
      {
        orderNo: orderNo(),
        member: { id: m.member.id },
        amount: 12.5,
        paidAt: new Date().toISOString(),
      },
      {
        orderNo: orderNo(),
        member: { id: m.member.id },
        amount: -1,
        paidAt: new Date().toISOString(),
      },
      { orderNo: orderNo(), member: { id: m.member.id }, amount: 100, paidAt: 'yesterday' },
      {
        orderNo: orderNo(),
        member: { id: m.member.id, phone: '13800000000' },
        amount: 100,
        paidAt: new Date().toISOString(),
      },
      {
        orderNo: 'bad no with spaces',
        member: { id: m.member.id },
        amount: 100,
        paidAt: new Date().toISOString(),
      },
    ];
    for (const body of bad) {
      const res = await owner.raw(p.createOrder, { body: body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal((res.data as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
    }
    await expectError(
      owner.call(p.createOrder, {
        body: {
          orderNo: orderNo(),
          member: { cardNo: '000000000000' },
          amount: 100,
          paidAt: new Date().toISOString(),
        },
      }),
      422,
      'MEMBER_NOT_FOUND',
    );
    assert.equal((await m.api.call(p.ledger, { query: { limit: 5 } })).items.length, 0);
    await expectError(
      m.api.call(p.createOrder, {
        body: {
          orderNo: orderNo(),
          member: { id: m.member.id },
          amount: 100,
          paidAt: new Date().toISOString(),
        },
      }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('an order by phone for someone unknown creates an offline member, who merges on joining with that phone', async () => {
    const phone = `137${String(process.pid % 10000).padStart(4, '0')}${String(Date.now() % 10000).padStart(4, '0')}`;
    const first = await owner.call(p.createOrder, {
      body: {
        orderNo: orderNo(),
        member: { phone },
        amount: 20_000,
        paidAt: new Date().toISOString(),
      },
    });
    const joined = await joinedMember(server, '门店老顾客', phone);
    assert.equal(joined.member.id, first.memberId, 'the offline record survives the merge');
    assert.equal((await joined.api.call(p.summary)).balance, 200);
  });

  it('webhooks: a signed order is accepted once; a replay, a bad signature, a stale timestamp or an unknown key are refused', async () => {
    const m = await joinedMember(server);
    const key = await owner.call(sys.createIntegrationKey, { body: { name: 'POS 收银系统' } });
    assert.match(key.secret, /^[A-Za-z0-9_-]{40,}$/);
    const send = (body: string, headers: Record<string, string>) =>
      fetch(`${server.apiUrl}/admin/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const body = JSON.stringify({
      orderNo: orderNo(),
      member: { cardNo: m.member.cardNo },
      amount: 9_900,
      paidAt: new Date().toISOString(),
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const signed = {
      'x-huoyue-key': key.keyId,
      'x-huoyue-timestamp': ts,
      'x-huoyue-signature': signRequest(key.secret, {
        method: 'POST',
        path: '/api/admin/orders',
        timestamp: ts,
        body,
      }),
    };
    const ok = await send(body, signed);
    assert.equal(ok.status, 201, await ok.clone().text());
    assert.equal(((await ok.json()) as { points: number }).points, 99);
    const replay = await send(body, signed);
    assert.equal(replay.status, 401);
    assert.equal(
      ((await replay.json()) as { error: { code: string } }).error.code,
      'REQUEST_REPLAYED',
    );
    const tampered = await send(body.replace('9900', '99000'), signed);
    assert.equal(
      ((await tampered.json()) as { error: { code: string } }).error.code,
      'SIGNATURE_INVALID',
    );
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    const stale = await send(body, {
      ...signed,
      'x-huoyue-timestamp': old,
      'x-huoyue-signature': signRequest(key.secret, {
        method: 'POST',
        path: '/api/admin/orders',
        timestamp: old,
        body,
      }),
    });
    assert.equal(stale.status, 401);
    assert.equal(
      ((await stale.json()) as { error: { code: string } }).error.code,
      'SIGNATURE_INVALID',
    );
    const unknown = await send(body, { ...signed, 'x-huoyue-key': 'ik_0000000000000000' });
    assert.equal(unknown.status, 401);
    assert.equal((await m.api.call(p.summary)).balance, 99, 'only the first delivery counted');
    // The integration key opens only routes marked for it.
    const rules = await fetch(`${server.apiUrl}/admin/points/rules`, { headers: signed });
    assert.equal(rules.status, 401);
  });

  it('check:ledger finds a balance that does not match its entries', async () => {
    const m = await joinedMember(server);
    await adjust(m.member.id, 10);
    await assertLedgerHolds();
    await server.dataSource.query(
      'UPDATE points_account SET balance = balance + 5 WHERE member_id = ?',
      [m.member.id],
    );
    const found = (await checkLedger(server.dataSource)).discrepancies
      .filter((d) => d.memberId === m.member.id)
      .map((d) => d.what);
    assert.deepEqual(found.sort(), ['balance_vs_entries', 'balance_vs_lots']);
    await server.dataSource.query(
      'UPDATE points_account SET balance = balance - 5 WHERE member_id = ?',
      [m.member.id],
    );
  });
});
