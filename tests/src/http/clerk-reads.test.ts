import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routes } from '@huoyue/shared';
import { expectError, loginVisitor, staffLogin, uniquePhone } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const M = routes.members;

describe('clerks read the least (issue 18: 6, docs/security.md, "Who may read what")', () => {
  let server: TestServer;
  let phone: string;
  let memberId: number;
  let member: Awaited<ReturnType<typeof loginVisitor>>;
  let couponCode: string;
  before(async () => {
    server = await startTestServer();
    const owner = await staffLogin(server);
    await owner.call(routes.staff.createStore, { body: { code: 'LR01', name: '最小读取店' } });
    await owner.call(routes.staff.create, {
      body: {
        username: 'least-clerk',
        password: 'least-clerk-pw',
        role: 'clerk',
        storeCode: 'LR01',
      },
    });
    phone = uniquePhone();
    member = await loginVisitor(server);
    const { code } = await server.fake.phoneCode(phone);
    const joined = await member.api.call(M.join, {
      body: { nickname: '韩梅梅', phoneCode: code, birthday: '1990-05-17' },
    });
    member = { ...member, api: server.client(joined.token) };
    memberId = joined.member.id;
    const t = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '满30减3',
        kind: 'cash',
        value: 300,
        threshold: 3_000,
        validity: { kind: 'days', days: 30 },
      } as never,
    });
    couponCode = (await member.api.call(routes.coupons.claim, { body: { templateId: t.id } })).code;
  });
  after(async () => server.stop());

  const masked = () => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

  it("a clerk's member list and member details show the phone masked and no birthday", async () => {
    const clerk = await staffLogin(server, 'least-clerk', 'least-clerk-pw');
    const list = await clerk.call(M.adminSearch, { query: {} as never });
    const row = list.items.find((m) => m.id === memberId);
    assert.equal(row?.phoneMasked, masked());
    assert.ok(!JSON.stringify(list).includes(phone));
    const detail = await clerk.call(M.adminDetail, { params: { id: memberId } });
    assert.equal(detail.phone, masked());
    assert.equal(detail.birthday, null);
    assert.ok(!JSON.stringify(detail).includes(phone));
    const card = await member.api.call(M.cardCode);
    const scanned = await clerk.call(M.adminByCardCode, { params: { code: card.code } });
    assert.equal(scanned.phone, masked());
    assert.equal(scanned.birthday, null);
    // The owner still reads them whole.
    const owner = await staffLogin(server);
    const full = await owner.call(M.adminDetail, { params: { id: memberId } });
    assert.deepEqual([full.phone, full.birthday], [phone, '1990-05-17']);
  });

  it("a clerk cannot list a member's coupon codes unless the member shows their card code", async () => {
    const clerk = await staffLogin(server, 'least-clerk', 'least-clerk-pw');
    const coupons = routes.coupons.memberCoupons;
    await expectError(
      clerk.call(coupons, { params: { id: memberId }, query: {} }),
      403,
      'FORBIDDEN',
    );
    await expectError(
      clerk.call(coupons, { params: { id: memberId }, query: { cardCode: '123456789012345678' } }),
      403,
      'FORBIDDEN',
    );
    const card = await member.api.call(M.cardCode);
    const shown = await clerk.call(coupons, {
      params: { id: memberId },
      query: { cardCode: card.code },
    });
    assert.deepEqual(
      shown.items.map((c) => c.code),
      [couponCode],
    );
    // Another member's card code does not open this member's coupons.
    const other = await loginVisitor(server);
    const { code } = await server.fake.phoneCode(uniquePhone());
    const otherJoined = await other.api.call(M.join, {
      body: { nickname: '李雷', phoneCode: code },
    });
    const otherCard = await server.client(otherJoined.token).call(M.cardCode);
    await expectError(
      clerk.call(coupons, { params: { id: memberId }, query: { cardCode: otherCard.code } }),
      403,
      'FORBIDDEN',
    );
    // The desk look-up by the code the member presents still works, and the owner lists as before.
    const desk = await clerk.call(routes.desk.lookup, { query: { code: couponCode } });
    assert.equal(desk.kind, 'coupon');
    const owner = await staffLogin(server);
    assert.equal(
      (await owner.call(coupons, { params: { id: memberId }, query: {} })).items.length,
      1,
    );
  });
});
