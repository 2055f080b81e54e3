import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, routes } from '@huoyue/shared';
import { PersonalDataRegistry } from '@huoyue/server/dist/infra/privacy/personal-data.js';
import { joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const M = routes.members;

describe('privacy (PIPL): a complete export, and closing erases what it says it erases', () => {
  let server: TestServer;
  let owner: ApiClient;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  it('every entity with a member column is in the export list or marked not personal, with a reason', () => {
    const { exported, notPersonal } = server.app.get(PersonalDataRegistry).coverage();
    const withMember = server.dataSource.entityMetadatas
      .filter(
        (meta) =>
          meta.tableName === 'member' || meta.columns.some((c) => c.databaseName === 'member_id'),
      )
      .map((meta) => meta.tableName)
      .sort();
    assert.ok(withMember.length > 20, `found ${withMember.length} tables with member data`);
    const missing = withMember.filter((t) => !exported.has(t) && !notPersonal.has(t));
    assert.deepEqual(
      missing,
      [],
      'a table with a member column must be exported (PersonalDataRegistry.contribute in its module) ' +
        'or marked not personal with a reason (markNotPersonal), and listed in docs/security-privacy.md',
    );
    for (const [table, reason] of notPersonal)
      assert.ok(reason.length > 20, `${table} is marked not personal without a real reason`);
  });

  it('the export holds each kind of data: profile, check-ins with IP and device, ledger, orders, coupons, redemptions with the address, consents, events', async () => {
    const m = await prepareMember();
    const data = await m.api.call(M.exportMe);
    const section = (key: string) => {
      const s = data.sections.find((x) => x.key === key);
      assert.ok(s, `section ${key} is in the export`);
      return s;
    };
    assert.equal(section('member').rows[0]!.phone, m.phone);
    const checkin = section('checkins').rows[0]!;
    assert.equal(checkin.deviceId, 'device-privacy-1');
    assert.ok('ip' in checkin && checkin.ip, 'the check-in IP is exported');
    assert.ok(section('pointsLedger').rows.length >= 2, 'ledger entries');
    assert.equal(section('orders').rows.length, 1);
    assert.equal(section('coupons').rows.length, 1);
    const redemption = section('redemptions').rows[0]!;
    assert.deepEqual(redemption.address, ADDRESS);
    assert.equal(section('subscriptions').rows.length, 1);
    assert.ok(section('events').rows.length >= 3);
    for (const key of ['messages', 'badges', 'tierHistory', 'leaderboards', 'lifecycle'])
      section(key);
    for (const s of data.sections)
      assert.ok(s.onClose.length > 0, `${s.key} says what closing does`);
  });

  it('after closing: the redemption shows no address or phone, check-ins no IP or device; the ledger stays', async () => {
    const m = await prepareMember();
    const answer = await m.api.call(M.closeMe);
    assert.equal(answer.closed, true);
    assert.ok(
      answer.policy.some((p) => p.title.startsWith('积分明细') && p.onClose.startsWith('保留')),
      'the answer says the ledger is kept, and why',
    );
    const staffView = await owner.call(routes.mall.redemptions, { query: {} });
    const mine = staffView.items.filter((r) => r.memberId === m.member.id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.address, null, 'no name, phone or address on the redemption');
    const checkins = (await server.dataSource.query(
      'SELECT ip, device_id FROM checkin WHERE member_id = ?',
      [m.member.id],
    )) as { ip: string | null; device_id: string | null }[];
    assert.equal(checkins.length, 1, 'the check-in itself is kept');
    assert.deepEqual(checkins[0], { ip: null, device_id: null });
    const detail = await owner.call(M.adminDetail, { params: { id: m.member.id } });
    assert.equal(detail.phone, null);
    assert.equal(detail.nickname, null);
    const ledger = (await server.dataSource.query(
      'SELECT COUNT(*) AS n FROM points_entry WHERE member_id = ?',
      [m.member.id],
    )) as { n: number | string }[];
    assert.ok(Number(ledger[0]!.n) >= 2, 'the ledger the brand must keep is kept');
    const quotas = (await server.dataSource.query(
      'SELECT COUNT(*) AS n FROM subscription_quota WHERE member_id = ?',
      [m.member.id],
    )) as { n: number | string }[];
    assert.equal(Number(quotas[0]!.n), 0, 'consents withdrawn');
  });

  const ADDRESS = { name: '李四', phone: '13900002222', address: '杭州市西湖区文三路 2 号' };

  /** A member with one of each: check-in (device), order, coupon, a shipped-to-home redemption, a consent. */
  async function prepareMember() {
    const m = await joinedMember(server, '隐私测试');
    await m.api.call(routes.engagement.checkin, { body: { deviceId: 'device-privacy-1' } });
    await owner.call(routes.points.createOrder, {
      body: {
        orderNo: `PRIV-${randomUUID()}`,
        member: { id: m.member.id },
        amount: 50_000,
        paidAt: new Date().toISOString(),
      },
    });
    const template = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '隐私券',
        kind: 'cash',
        value: 100,
        validity: { kind: 'days', days: 7 },
        channels: ['center'],
      } as never,
    });
    await m.api.call(routes.coupons.claim, { body: { templateId: template.id } });
    const item = await owner.call(routes.mall.createItem, {
      body: { name: '帆布袋', kind: 'physical', pointsPrice: 10, stock: 5 } as never,
    });
    await m.api.call(routes.mall.redeem, {
      params: { id: item.id },
      body: { quantity: 1, requestId: randomUUID(), address: ADDRESS },
    });
    await m.api.call(routes.messaging.reportSubscriptions, {
      body: { results: { 'TPL-privacy-1': 'accept' } },
    });
    return m;
  }
});
