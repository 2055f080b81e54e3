import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addDays, brandDay, routes, type ApiClient } from '@huoyue/shared';
import { sqlInstant } from '@huoyue/server/dist/infra/database/bulk.js';
import {
  expectError,
  joinedMember,
  loginVisitor,
  staffLogin,
  uniquePhone,
} from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const S = routes.membership;
const C = routes.coupons;
const P = routes.points;
const E = routes.engagement;

/** A tiny valid avatar: a 1×1 PNG as a data URL. */
const AVATAR =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('joining as the brand sets it: agreement, welcome gift, profile, data rights', () => {
  let server: TestServer;
  let owner: ApiClient;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  const coupon = (name: string, extra: Record<string, unknown> = {}) =>
    owner.call(C.createTemplate, {
      body: {
        name,
        kind: 'cash',
        value: 1000,
        threshold: 5000,
        validity: { kind: 'days', days: 30 },
        ...extra,
      },
    });
  const settings = async (change: Record<string, unknown>) =>
    owner.call(S.updateJoinSettings, {
      body: { ...(await owner.call(S.joinSettings)), ...change } as never,
    });

  it('shows default agreement texts to a visitor; the owner edits them and the change is audited', async () => {
    const info = await server.client().call(S.joinInfo);
    assert.match(info.terms, /会员/);
    assert.match(info.privacy, /个人信息/);
    assert.deepEqual(info.welcomeGift, { points: 0, coupon: null });
    await settings({ terms: '第一条 测试品牌会员协议', privacy: '第一条 测试品牌隐私政策' });
    const after = await server.client().call(S.joinInfo);
    assert.equal(after.terms, '第一条 测试品牌会员协议');
    assert.equal(after.privacy, '第一条 测试品牌隐私政策');
    const audit = await owner.call(routes.staff.audit, { query: { limit: 5 } });
    assert.ok(audit.items.some((a) => a.action === 'members.join_settings.update'));
  });

  it('refuses bad settings with the field named, and a coupon that does not exist', async () => {
    await expectError(settings({ welcomePoints: -5 }), 400, 'VALIDATION_FAILED');
    await expectError(settings({ welcomePoints: 1.5 }), 400, 'VALIDATION_FAILED');
    await expectError(settings({ terms: '' }), 400, 'VALIDATION_FAILED');
    await expectError(settings({ welcomeCouponTemplateId: 99_999 }), 400, 'VALIDATION_FAILED');
    const visitor = await loginVisitor(server);
    await expectError(
      visitor.api.call(S.updateJoinSettings, {
        body: { welcomePoints: 1, welcomeCouponTemplateId: null, terms: 'x', privacy: 'y' },
      }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('gives the welcome gift once at join: points in the ledger, the coupon in the wallet, both in the answer', async () => {
    const gift = await coupon('开卡礼满50减10');
    await settings({ welcomePoints: 188, welcomeCouponTemplateId: gift.id });
    const info = await server.client().call(S.joinInfo);
    assert.deepEqual(info.welcomeGift, { points: 188, coupon: { id: gift.id, name: gift.name } });

    const m = await joinedMember(server);
    assert.equal(m.welcomeGift?.points, 188);
    assert.equal(m.welcomeGift?.coupon?.name, '开卡礼满50减10');
    assert.equal((await m.api.call(P.summary)).balance, 188);
    const ledger = await m.api.call(P.ledger, { query: { limit: 10 } });
    assert.deepEqual(
      ledger.items.map((x) => [x.type, x.sourceType, x.points]),
      [['reward', 'welcome', 188]],
    );
    const wallet = await m.api.call(C.wallet, { query: { status: 'available' } });
    assert.deepEqual(
      wallet.items.map((c) => c.name),
      ['开卡礼满50减10'],
    );
    // Joining again is refused, and gives nothing more.
    await expectError(m.api.call(routes.members.join, { body: {} }), 409, 'ALREADY_MEMBER');
    assert.equal((await m.api.call(P.summary)).balance, 188);
  });

  it('still lets people join when the welcome coupon cannot be given; without a gift the answer says null', async () => {
    const few = await coupon('只剩一张', { totalQuantity: 1 });
    await settings({ welcomePoints: 50, welcomeCouponTemplateId: few.id });
    const first = await joinedMember(server);
    assert.equal(first.welcomeGift?.coupon?.name, '只剩一张');
    const second = await joinedMember(server);
    assert.equal(second.welcomeGift?.points, 50);
    assert.equal(second.welcomeGift?.coupon, null, 'sold out: points only');
    assert.equal((await second.api.call(P.summary)).balance, 50);

    await settings({ welcomePoints: 0, welcomeCouponTemplateId: null });
    const third = await joinedMember(server);
    assert.equal(third.welcomeGift, null);
    assert.equal((await third.api.call(P.summary)).balance, 0);
  });

  it('joins with an avatar; the profile shows it with the phone masked, birthday set once', async () => {
    const phone = uniquePhone();
    const visitor = await loginVisitor(server);
    const { code } = await server.fake.phoneCode(phone);
    const joined = await visitor.api.call(routes.members.join, {
      body: { nickname: '小林', avatar: AVATAR, phoneCode: code },
    });
    const me = server.client(joined.token);
    const profile = await me.call(S.profile);
    assert.equal(profile.avatar, AVATAR);
    assert.equal(profile.nickname, '小林');
    assert.equal(profile.phoneMasked, `${phone.slice(0, 3)}****${phone.slice(7)}`);
    assert.equal(profile.birthday, null);
    assert.equal(profile.birthdayLocked, false);

    const renamed = await me.call(S.updateProfile, { body: { nickname: '  小林同学 ' } });
    assert.equal(renamed.nickname, '小林同学');
    const born = await me.call(S.updateProfile, { body: { birthday: '1990-05-20' } });
    assert.equal(born.birthdayLocked, true);
    await expectError(
      me.call(S.updateProfile, { body: { birthday: '1991-01-01' } }),
      409,
      'CONFLICT',
    );
    assert.equal((await me.call(S.profile)).birthday, '1990-05-20');
  });

  it('refuses a picture that is not an image or is too large, and an empty nickname', async () => {
    const m = await joinedMember(server);
    await expectError(
      m.api.call(S.updateProfile, { body: { avatar: 'data:text/html;base64,PGgxPg==' } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      m.api.call(S.updateProfile, {
        body: { avatar: `data:image/png;base64,${'A'.repeat(50_000)}` },
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      m.api.call(S.updateProfile, { body: { nickname: '   ' } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('exports the avatar with everything else; closing erases it and the next login is a visitor', async () => {
    const m = await joinedMember(server);
    await m.api.call(S.updateProfile, { body: { avatar: AVATAR } });
    const exported = await m.api.call(routes.members.exportMe);
    assert.equal(exported.member.avatar, AVATAR);
    assert.equal(exported.member.phone, m.phone);
    await m.api.call(routes.members.closeMe);
    const [row] = (await server.dataSource.query(
      'SELECT status, avatar, phone, nickname FROM member WHERE id = ?',
      [m.member.id],
    )) as { status: string; avatar: string | null; phone: string | null; nickname: string }[];
    assert.deepEqual({ ...row }, { status: 'closed', avatar: null, phone: null, nickname: null });
    await expectError(m.api.call(S.profile), 401, 'UNAUTHENTICATED');
  });

  it('offers and allows makeup only for days since joining', async () => {
    const tz = server.config.brandTimezone;
    const today = brandDay(new Date(), tz);
    const m = await joinedMember(server);
    // Joined yesterday morning: yesterday may be made up, the days before may not.
    const yesterday = new Date(Date.now() - 86_400_000);
    await server.dataSource.query('UPDATE member SET joined_at = ? WHERE id = ?', [
      sqlInstant(server.config.database.kind, yesterday),
      m.member.id,
    ]);
    const joinedDay = brandDay(yesterday, tz);
    const month = await m.api.call(E.checkinMonth, { query: {} });
    assert.ok(
      month.makeup.allowedDates.every((d) => d >= joinedDay),
      month.makeup.allowedDates.join(),
    );
    const before = addDays(joinedDay, -1);
    await expectError(m.api.call(E.makeup, { body: { date: before } }), 422, 'MAKEUP_NOT_ALLOWED');
    if (joinedDay < today) {
      await owner.call(E.grantMakeupCards, {
        params: { id: m.member.id },
        body: { count: 1, reason: '测试' },
      });
      const made = await m.api.call(E.makeup, { body: { date: joinedDay } });
      assert.equal(made.streak, 1);
    }
  });
});
