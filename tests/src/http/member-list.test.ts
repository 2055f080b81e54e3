import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addDays,
  brandDay,
  formatBrandDateTime,
  LIFECYCLE_STAGE_LABELS,
  routes,
  type ApiClient,
  type RouteInput,
} from '@huoyue/shared';
import { joinedMember, loginVisitor, staffLogin } from '../support/flows.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const M = routes.members;
let seq = 0;
const orderNo = () => `ML${process.pid}-${Date.now().toString(36)}-${++seq}`;

/** The console's member list: filters, the four ways to search, paging with a total, and the whole list as CSV. */
describe('the staff member list: paging, search, filters and the CSV export', () => {
  let server: TestServer;
  let owner: ApiClient;
  let token: string;
  const ids: number[] = [];
  let buyer: Awaited<ReturnType<typeof joinedMember>>;
  let visitorId: number;
  let closedId: number;
  const storeCodes: string[] = [];

  const list = (query: RouteInput<typeof M.adminSearch>['query']) =>
    owner.call(M.adminSearch, { query });
  const csv = async (query: string) => {
    const res = await fetch(`${server.apiUrl}/admin/members/export?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
    assert.ok(text.startsWith('\ufeff'), 'a BOM, so spreadsheets read the Chinese right');
    const lines = text.slice(1).trim().split('\n');
    return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',')) };
  };

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    token = (await server.client().call(routes.staff.login, { body: ADMIN })).token;
    for (const name of ['南京路店', '徐家汇店'])
      storeCodes.push((await owner.call(routes.staff.createStore, { body: { name } })).code);
    for (let i = 0; i < 23; i++) ids.push((await joinedMember(server, `列表会员${i}`)).member.id);
    buyer = await joinedMember(server, '爱喝拿铁的小明同学');
    ids.push(buyer.member.id);
    // Its first store purchase makes 南京路店 the home store; a later one elsewhere changes nothing.
    for (const [amount, store] of [
      [120_000, storeCodes[0]!],
      [5_000, storeCodes[1]!],
    ] as const)
      await owner.call(routes.points.createOrder, {
        body: {
          orderNo: orderNo(),
          member: { id: buyer.member.id },
          amount,
          paidAt: new Date().toISOString(),
          storeCode: store,
        },
      });
    visitorId = (await loginVisitor(server)).member.id;
    const leaving = await joinedMember(server, '已注销的人');
    await leaving.api.call(M.closeMe);
    closedId = leaving.member.id;
  });
  after(async () => server.stop());

  it('pages newest first with the filtered total, by page number and by cursor, without gaps or repeats', async () => {
    const first = await list({ limit: 10, page: 1 });
    assert.equal(first.total, 25, '24 members and a visitor; the closed account is not listed');
    assert.equal(first.items[0]!.id, visitorId, 'newest first');
    const pages = [first, await list({ limit: 10, page: 2 }), await list({ limit: 10, page: 3 })];
    assert.deepEqual(
      pages.map((p) => p.items.length),
      [10, 10, 5],
    );
    const seen = pages.flatMap((p) => p.items.map((m) => m.id));
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => b - a),
    );
    assert.equal(new Set(seen).size, 25);
    assert.ok(!seen.includes(closedId));
    let cursor: string | undefined;
    const byCursor: number[] = [];
    do {
      const page = await list({ limit: 7, ...(cursor ? { cursor } : {}) });
      byCursor.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual(byCursor, seen);
    assert.deepEqual((await list({ limit: 10, page: 9 })).items, [], 'past the end: empty');
  });

  it('finds a member by card number, full phone, its last four digits, or a nickname containing the text', async () => {
    const found = async (query: string) => (await list({ query })).items.map((m) => m.id);
    assert.deepEqual(await found(buyer.member.cardNo!), [buyer.member.id]);
    assert.deepEqual(await found(buyer.phone), [buyer.member.id]);
    assert.ok((await found(buyer.phone.slice(-4))).includes(buyer.member.id), 'last four digits');
    assert.deepEqual(await found('小明'), [buyer.member.id], 'a nickname containing the text');
    assert.deepEqual(await found('拿铁'), [buyer.member.id]);
    assert.equal((await list({ query: '列表会员' })).total, 23);
    assert.deepEqual(await found('没有这个人'), []);
    assert.deepEqual(await found('%'), [], 'LIKE wildcards are matched literally');
    assert.deepEqual(await found('_'), []);
  });

  it('filters by tier, stage, status, home store and join dates, together with the total', async () => {
    const detail = await owner.call(M.adminDetail, { params: { id: buyer.member.id } });
    assert.deepEqual(detail.tier?.code, 'silver', '1,250 yuan of growth reached 银卡');
    assert.deepEqual(detail.homeStore, { code: storeCodes[0], name: '南京路店' });
    assert.deepEqual([detail.points, detail.growth], [1_260, 1_250], '50 yuan earned ×1.2 at 银卡');
    const only = async (query: RouteInput<typeof M.adminSearch>['query']) => {
      const page = await list(query);
      assert.equal(page.total, page.items.length);
      return page.items.map((m) => m.id);
    };
    assert.deepEqual(await only({ tier: 'silver' }), [buyer.member.id]);
    assert.deepEqual(await only({ storeCode: storeCodes[0] }), [buyer.member.id]);
    assert.deepEqual(await only({ storeCode: storeCodes[1] }), []);
    assert.ok((await only({ stage: detail.stage })).includes(buyer.member.id));
    assert.ok(!(await only({ stage: 'potential' })).includes(buyer.member.id));
    assert.deepEqual(await only({ status: 'visitor' }), [visitorId]);
    assert.deepEqual(await only({ status: 'closed' }), [closedId]);
    assert.equal((await list({ status: 'member' })).total, 24);
    const today = brandDay(new Date(), server.config.brandTimezone);
    assert.equal((await list({ joinedFrom: today, joinedTo: today })).total, 24);
    assert.equal((await list({ joinedTo: addDays(today, -1) })).total, 0);
    assert.equal((await list({ joinedFrom: addDays(today, 1) })).total, 0);
    assert.deepEqual(await only({ tier: 'silver', query: '小明', status: 'member' }), [
      buyer.member.id,
    ]);
    const bad = await owner.raw(M.adminSearch, { query: { stage: 'sleepy' as never } });
    assert.equal(bad.status, 400);
  });

  it('exports the whole filtered list, not a page: Chinese headers and values, brand-local times', async () => {
    const all = await csv('');
    assert.deepEqual(all.header, [
      '卡号',
      '昵称',
      '手机号',
      '会员等级',
      '生命周期阶段',
      '状态',
      '归属门店',
      '积分',
      '成长值',
      '生日',
      '入会时间',
      '首次访问时间',
    ]);
    assert.equal(all.rows.length, 25, 'every listed member, more than a page');
    const row = all.rows.find((r) => r[0] === buyer.member.cardNo)!;
    const detail = await owner.call(M.adminDetail, { params: { id: buyer.member.id } });
    assert.deepEqual(row.slice(1, 9), [
      '爱喝拿铁的小明同学',
      `${buyer.phone.slice(0, 3)}****${buyer.phone.slice(-4)}`,
      '银卡会员',
      LIFECYCLE_STAGE_LABELS[detail.stage],
      '正式会员',
      '南京路店',
      '1260',
      '1250',
    ]);
    assert.match(row[10]!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.equal(row[10], formatBrandDateTime(detail.joinedAt!, server.config.brandTimezone));
    assert.ok(!all.rows.some((r) => r.join(',').match(/\b(member|visitor|active|new)\b/)));
    const visitors = await csv('status=visitor');
    assert.deepEqual(
      visitors.rows.map((r) => r[5]),
      ['访客（未开卡）'],
    );
    assert.equal((await csv(`storeCode=${storeCodes[0]}`)).rows.length, 1);
    assert.equal((await csv('query=%E5%88%97%E8%A1%A8%E4%BC%9A%E5%91%98')).rows.length, 23);
  });

  it('only owners and operators export; clerks are refused', async () => {
    await owner.call(routes.staff.create, {
      body: {
        username: 'clerk-export',
        password: 'clerk-pass-1',
        role: 'clerk',
        storeCode: storeCodes[0]!,
      },
    });
    const { token: clerkToken } = await server.client().call(routes.staff.login, {
      body: { username: 'clerk-export', password: 'clerk-pass-1' },
    });
    const res = await fetch(`${server.apiUrl}/admin/members/export`, {
      headers: { authorization: `Bearer ${clerkToken}` },
    });
    assert.equal(res.status, 403);
  });
});
