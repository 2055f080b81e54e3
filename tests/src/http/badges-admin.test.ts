import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError, routes, type ApiClient } from '@huoyue/shared';
import { expectError, joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const E = routes.engagement;
let seq = 0;
const orderNo = () => `BA${process.pid}-${Date.now().toString(36)}-${++seq}`;

/** Staff manage badges without codes; spend thresholds are yuan; a badge in use is switched off, not deleted. */
describe('badges: made in the console, spend in yuan, switched off and deleted', () => {
  let server: TestServer;
  let owner: ApiClient;
  const order = (memberId: number, amount: number) =>
    owner.call(routes.points.createOrder, {
      body: {
        orderNo: orderNo(),
        member: { id: memberId },
        amount,
        paidAt: new Date().toISOString(),
      },
    });

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  it('makes the code itself when staff give none', async () => {
    const badge = await owner.call(E.createBadge, {
      body: { name: '签到新星', rule: { metric: 'checkins', thresholds: [3] } },
    });
    assert.match(badge.code, /^badge-[0-9a-f]{8}$/);
    assert.equal(badge.name, '签到新星');
  });

  it('reads a spend threshold in yuan: 100 means 100 yuan (10,000 fen), and shows progress in yuan', async () => {
    const badge = await owner.call(E.createBadge, {
      body: { name: '百元达人', rule: { metric: 'spend', thresholds: [100] }, rewardPoints: 5 },
    });
    const m = await joinedMember(server);
    await order(m.member.id, 9_999); // 99.99 yuan
    let mine = await m.api.call(E.myBadges);
    assert.ok(!mine.earned.some((b) => b.code === badge.code), 'not at 99.99 yuan');
    assert.deepEqual(mine.locked.find((b) => b.code === badge.code)?.progress, {
      current: 99,
      target: 100,
    });
    await order(m.member.id, 1); // one fen more: 100.00 yuan
    mine = await m.api.call(E.myBadges);
    assert.ok(
      mine.earned.some((b) => b.code === badge.code),
      'earned at 100 yuan',
    );
  });

  it('deletes a badge nobody holds; one held is refused with the count and switched off instead', async () => {
    const unused = await owner.call(E.createBadge, {
      body: { name: '未发放', rule: { metric: 'purchases', thresholds: [50] } },
    });
    assert.deepEqual(await owner.call(E.deleteBadge, { params: { code: unused.code } }), {
      deleted: true,
    });
    assert.ok(!(await owner.call(E.listBadges)).items.some((b) => b.code === unused.code));
    await expectError(
      owner.call(E.deleteBadge, { params: { code: unused.code } }),
      404,
      'NOT_FOUND',
    );

    const held = await owner.call(E.createBadge, {
      body: { name: '首单', rule: { metric: 'purchases', thresholds: [1] } },
    });
    const m = await joinedMember(server);
    await order(m.member.id, 1_000);
    await assert.rejects(
      owner.call(E.deleteBadge, { params: { code: held.code } }),
      (err: ApiError) => {
        assert.equal(err.status, 409);
        assert.equal(
          err.message,
          '已有 1 位会员获得这枚勋章，不能删除；可以停用它（已获得的会员仍保留）',
        );
        return true;
      },
    );
    const off = await owner.call(E.updateBadge, {
      params: { code: held.code },
      body: { active: false },
    });
    assert.equal(off.active, false);
    const later = await joinedMember(server);
    await order(later.member.id, 1_000);
    assert.ok(
      !(await later.api.call(E.myBadges)).earned.some((b) => b.code === held.code),
      'a switched-off badge is not awarded',
    );
    assert.ok(
      (await m.api.call(E.myBadges)).earned.some((b) => b.code === held.code),
      'who holds it keeps it',
    );
    const audit = await owner.call(routes.staff.audit, { query: { entityType: 'badge' } });
    assert.ok(audit.items.some((a) => a.action === 'badge.delete' && a.entityId === unused.code));
  });

  it('refuses to delete the badge the check-in ladder gives', async () => {
    const ladder = await owner.call(E.getCheckinRules);
    const day = ladder.rewards.findIndex((r) => r.badgeCode !== null);
    assert.ok(day >= 0, 'the default ladder gives a badge');
    const code = ladder.rewards[day]!.badgeCode!;
    await owner.call(E.createBadge, {
      body: { code, name: '连签七天', rule: { metric: 'streak', thresholds: [7] } },
    });
    await assert.rejects(owner.call(E.deleteBadge, { params: { code } }), (err: ApiError) => {
      assert.equal(err.status, 409);
      assert.equal(err.message, `签到奖励第 ${day + 1} 天会发放这枚勋章，不能删除；可以停用它`);
      return true;
    });
  });
});
