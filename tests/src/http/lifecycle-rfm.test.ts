import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addDays,
  brandDay,
  LIFECYCLE_STAGE_LABELS,
  RFM_SEGMENT_LABELS,
  routes,
  type ApiClient,
} from '@huoyue/shared';
import {
  brandNoonDaysAgo,
  expectError,
  joinedMember,
  staffLogin,
  uniquePhone,
} from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const L = routes.lifecycle;
const P = routes.points;

let seq = 0;
const orderNo = () => `RF${process.pid}-${Date.now().toString(36)}-${++seq}`;

describe('RFM scores and segments, low frequency, churn models and the early warning', () => {
  let server: TestServer;
  let owner: ApiClient;
  let token: string;
  const today = () => brandDay(new Date(), server.config.brandTimezone);
  const daysAgo = (n: number) => brandNoonDaysAgo(server.config.brandTimezone, n);
  const buy = (memberId: number, ago: number, amount: number) =>
    owner.call(P.createOrder, {
      body: { orderNo: orderNo(), member: { id: memberId }, amount, paidAt: daysAgo(ago) },
    });
  const detail = (id: number) => owner.call(routes.members.adminDetail, { params: { id } });
  const csv = async (query: string) => {
    const res = await fetch(`${server.apiUrl}/admin/lifecycle/export?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    const lines = bytes
      .toString('utf8')
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    return {
      bom: bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])),
      header: lines[0]!,
      rows: lines.slice(1).map((l) => l.split(',')),
    };
  };

  /** members[i - 1] bought on i distinct days, the last (11 − i) × 10 days ago, 1,000 fen each: R, F and M agree. */
  const members: number[] = [];
  let twinOf5 = 0;
  let lapsed = 0;

  before(async () => {
    server = await startTestServer();
    token = (
      await server
        .client()
        .call(routes.staff.login, { body: { username: 'owner', password: 'owner-password-1' } })
    ).token;
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  it('scores by cumulative distribution with equal values getting equal scores, and maps R×F to segments', async () => {
    // Offline customers (known from store orders, never in the mini-program): no interactions unless they join.
    const offlineBuyer = async (agos: number[], amount: number) => {
      const phone = uniquePhone();
      const first = await owner.call(P.createOrder, {
        body: { orderNo: orderNo(), member: { phone }, amount, paidAt: daysAgo(agos[0]!) },
      });
      for (const ago of agos.slice(1)) await buy(first.memberId, ago, amount);
      return { id: first.memberId, phone };
    };
    const made: { id: number; phone: string }[] = [];
    for (let i = 1; i <= 11; i++) {
      const n = i === 11 ? 5 : i; // the 11th is a twin of the 5th: the same days and spend
      made.push(
        await offlineBuyer(
          Array.from({ length: n }, (_, k) => (11 - n) * 10 + n - 1 - k),
          1_000,
        ),
      );
    }
    members.push(...made.slice(0, 10).map((m) => m.id));
    twinOf5 = made[10]!.id;
    // Bought once, 400 days ago (outside the 365-day window), but still opens the app: low frequency, segment lost.
    const old = await offlineBuyer([400], 20_000);
    lapsed = old.id;
    // Interactions today (joining in the mini-program, a check-in): member 1 and the lapsed one; member 2 stays quiet.
    for (const m of [made[0]!, old]) {
      const joined = await joinedMember(server, '老顾客', m.phone);
      assert.equal(joined.member.id, m.id);
      await joined.api.call(routes.engagement.checkin, { body: {} });
    }

    await owner.call(L.recompute, { body: {} });
    // 11 scored buyers; member 5 and its twin tie: cume_dist 6/11 for both, so both score ceil(5 × 6/11) = 3.
    const expected = [1, 1, 2, 2, 3, 4, 4, 5, 5, 5];
    for (const [i, id] of members.entries()) {
      const { rfm } = await detail(id);
      assert.deepEqual(
        rfm && [rfm.r, rfm.f, rfm.m],
        [expected[i], expected[i], expected[i]],
        `member ${i + 1}`,
      );
    }
    assert.deepEqual((await detail(twinOf5)).rfm, { r: 3, f: 3, m: 3, segment: 'need_attention' });
    assert.equal((await detail(members[9]!)).rfm?.segment, 'champions');
    assert.equal((await detail(members[6]!)).rfm?.segment, 'loyal');
    assert.equal((await detail(members[0]!)).rfm?.segment, 'hibernating');
    assert.equal((await detail(lapsed)).rfm, null, 'no purchase in the window, no scores');

    const summary = await owner.call(L.summary);
    assert.deepEqual(
      {
        champions: summary.segments.champions,
        loyal: summary.segments.loyal,
        need_attention: summary.segments.need_attention,
        hibernating: summary.segments.hibernating,
        lost: summary.segments.lost,
      },
      { champions: 3, loyal: 2, need_attention: 2, hibernating: 4, lost: 1 },
    );
    assert.equal(summary.lastRecompute?.asOf, today());

    const grid = await owner.call(L.rfmGrid);
    assert.equal(grid.cells.length, 25);
    assert.equal(grid.members, 11);
    const cell = (r: number, f: number) => grid.cells.find((c) => c.r === r && c.f === f)!;
    assert.deepEqual(
      [cell(5, 5).members, cell(5, 5).avgSpend, cell(5, 5).segment],
      [3, 9_000, 'champions'],
    );
    assert.deepEqual([cell(3, 3).members, cell(3, 3).avgSpend], [2, 5_000]);
    assert.equal(cell(5, 1).members, 0);
  });

  it('flags low frequency: still interacting but buying least often; quiet members are not', async () => {
    assert.equal((await detail(members[0]!)).lowFrequency, true, 'lowest F, checked in today');
    assert.equal(
      (await detail(members[1]!)).lowFrequency,
      false,
      'lowest F but silent: gone quiet, not low frequency',
    );
    assert.equal((await detail(members[9]!)).lowFrequency, false);
    const lapsedView = await detail(lapsed);
    assert.equal(lapsedView.stage, 'lost');
    assert.equal(lapsedView.lowFrequency, true, 'bought long ago, still opens the app');
    assert.equal((await owner.call(L.summary)).lowFrequency, 2);
  });

  it('exports a segment or a stage as streamed CSV', async () => {
    const champions = await csv('segment=champions');
    assert.ok(champions.bom, 'a UTF-8 BOM, so spreadsheet software reads the Chinese names right');
    assert.match(champions.header, /^会员编号,卡号,昵称,手机号,生命周期阶段,RFM 分群/);
    assert.doesNotMatch(champions.header, /[a-z]{2,}/, 'no English field names');
    assert.deepEqual(
      champions.rows.map((r) => Number(r[0])).sort((a, b) => a - b),
      members.slice(7).sort((a, b) => a - b),
    );
    assert.ok(
      champions.rows.every(
        (r) =>
          r[5] === RFM_SEGMENT_LABELS.champions &&
          r[4] === LIFECYCLE_STAGE_LABELS.active &&
          ['是', '否'].includes(r[9]!) &&
          /^\d{3}\*{4}\d{4}$/.test(r[3]!),
      ),
      'segment and stage in Chinese, flags as 是/否, phones masked',
    );
    const lost = await csv('stage=lost');
    assert.deepEqual(
      lost.rows.map((r) => Number(r[0])),
      [lapsed],
    );
    assert.equal((await csv('')).rows.length, 12);
  });

  it('refuses a fit on too few buyers, then fits BG/NBD and MBG/NBD and answers per member', async () => {
    await expectError(owner.call(L.getModel, { query: {} }), 404, 'NOT_FOUND');
    await expectError(owner.call(L.fitModel, { body: {} }), 422, 'BUSINESS_RULE');
    // More buyers with varied rhythms: regulars who stopped, one-timers, steady ones.
    for (let i = 0; i < 24; i++) {
      const m = await joinedMember(server);
      const gap = 3 + (i % 6) * 7;
      const count = 1 + (i % 5);
      const last = (i * 13) % 200;
      for (let k = 0; k < count; k++) await buy(m.member.id, last + k * gap, 2_000 + i * 100);
    }
    const fitted = await owner.call(L.fitModel, { body: {} });
    for (const model of [fitted.bgnbd, fitted.mbgnbd]) {
      assert.ok(
        model.r > 0 && model.alpha > 0 && model.a > 0 && model.b > 0,
        JSON.stringify(model),
      );
      assert.ok(Number.isFinite(model.logLikelihood) && model.logLikelihood < 0);
      assert.equal(model.members, 36);
      assert.equal(model.timeUnit, 'day');
      assert.equal(model.asOf, today());
    }
    assert.deepEqual(await owner.call(L.getModel, { query: { model: 'mbgnbd' } }), fitted.mbgnbd);
    assert.deepEqual(await owner.call(L.getModel, { query: {} }), fitted.bgnbd);
    const past = await owner.call(L.fitModel, { body: { asOf: addDays(today(), -30) } });
    assert.equal(past.bgnbd.asOf, addDays(today(), -30));
    assert.ok(
      past.bgnbd.members < 36,
      'buyers who first bought in the last 30 days do not exist yet',
    );
    await owner.call(L.fitModel, { body: {} });

    const result = await owner.call(L.recompute, { body: {} });
    const ids = (
      (await server.dataSource.query("SELECT id FROM member WHERE status = 'member'")) as {
        id: number;
      }[]
    ).map((r) => Number(r.id));
    const flaggedIds: number[] = [];
    let clear = 0;
    for (const id of ids) {
      const d = await detail(id);
      if (d.purchaseDays === 0) {
        assert.equal(d.pAlive, null);
        continue;
      }
      assert.ok(d.pAlive !== null && d.pAlive >= 0 && d.pAlive <= 1, `P(alive) ${d.pAlive}`);
      assert.ok(d.expectedPurchases90d! >= d.expectedPurchases30d! && d.expectedPurchases30d! >= 0);
      assert.ok(
        d.driftDate && d.driftDate >= d.lastPurchaseDate!,
        'the drift date never precedes the last purchase',
      );
      // The SQL flag and the member page's drift date (computed in JS) say the same thing.
      const due = (d.stage === 'active' || d.stage === 'silent') && d.driftDate <= today();
      assert.equal(d.atRisk, due, `member ${id}: ${d.stage}, drift ${d.driftDate}`);
      if (d.atRisk) flaggedIds.push(id);
      else clear++;
    }
    const flagged = flaggedIds.length;
    assert.ok(flagged > 0 && clear > 0, `some flagged (${flagged}) and some not (${clear})`);
    assert.equal(result.newlyAtRisk, flagged);
    const announced = (await server.dataSource.query(
      "SELECT COUNT(*) AS n FROM domain_event WHERE name = 'member.at_risk'",
    )) as { n: number }[];
    assert.equal(Number(announced[0]!.n), flagged, 'one member.at_risk per newly flagged member');
    // A second pass flags nobody again; a purchase clears the flag.
    assert.equal((await owner.call(L.recompute, { body: {} })).newlyAtRisk, 0);
    await buy(flaggedIds[0]!, 0, 5_000);
    const after = await detail(flaggedIds[0]!);
    assert.deepEqual([after.atRisk, after.stage], [false, 'active']);
  });

  it('moves the RFM window with the lookback setting (forward by subtraction, backward by rebuild)', async () => {
    const m = await joinedMember(server);
    for (const ago of [150, 50, 20]) await buy(m.member.id, ago, 1_000);
    const windowOf = async () => {
      const [row] = (await server.dataSource.query(
        'SELECT win_days, win_spend FROM member_lifecycle WHERE member_id = ?',
        [m.member.id],
      )) as { win_days: number; win_spend: number }[];
      return [Number(row!.win_days), Number(row!.win_spend)];
    };
    assert.deepEqual(await windowOf(), [3, 3_000]);
    const settings = await owner.call(L.getSettings);
    await owner.call(L.putSettings, { body: { ...settings, rfmLookbackDays: 100 } });
    await owner.call(L.recompute, { body: {} });
    assert.deepEqual(await windowOf(), [2, 2_000], 'the purchase 150 days ago left the window');
    await owner.call(L.putSettings, { body: settings });
    await owner.call(L.recompute, { body: {} });
    assert.deepEqual(await windowOf(), [3, 3_000]);
  });
});
