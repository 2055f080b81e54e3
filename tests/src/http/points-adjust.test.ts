import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { routes, type ApiClient } from '@huoyue/shared';
import { expectError, joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const p = routes.points;

/** Manual points adjustment from the member drawer: whole numbers, a brand limit per adjustment, owners beyond it. */
describe('manual points adjustment: integer, bounded by the brand setting, owners beyond it after a second yes', () => {
  let server: TestServer;
  let owner: ApiClient;
  let operator: ApiClient;
  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
    await owner.call(routes.staff.create, {
      body: { username: 'op-adjust', password: 'operator-pass', role: 'operator' },
    });
    operator = await staffLogin(server, 'op-adjust', 'operator-pass');
  });
  after(async () => server.stop());

  const adjust = (api: ApiClient, memberId: number, points: number, confirmOverLimit?: boolean) =>
    api.call(p.adjust, {
      params: { id: memberId },
      body: {
        points,
        reason: '客服补偿',
        requestId: randomUUID(),
        ...(confirmOverLimit === undefined ? {} : { confirmOverLimit }),
      },
    });
  const balance = async (memberId: number) =>
    (await owner.call(routes.members.adminDetail, { params: { id: memberId } })).points;

  it('refuses a fraction with a message that names the field in Chinese, and writes nothing', async () => {
    const m = await joinedMember(server);
    const res = await operator.raw(p.adjust, {
      params: { id: m.member.id },
      body: { points: 1.5, reason: '客服补偿', requestId: randomUUID() },
    });
    assert.equal(res.status, 400);
    const error = (res.data as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'VALIDATION_FAILED');
    assert.match(error.message, /积分调整数量必须是整数/);
    assert.doesNotMatch(
      error.message,
      /[A-Za-z]{2,}/,
      `no field names in English: ${error.message}`,
    );
    const empty = await operator.raw(p.adjust, {
      params: { id: m.member.id },
      body: { reason: 'x', requestId: randomUUID() } as never,
    });
    const emptyMessage = (empty.data as { error: { message: string } }).error.message;
    assert.match(emptyMessage, /请填写积分调整数量/);
    assert.match(emptyMessage, /调整原因至少 2 个字/);
    assert.equal(await balance(m.member.id), 0);
  });

  it('the default limit is 10,000: an operator is refused beyond it (403) and nothing is written', async () => {
    assert.equal((await owner.call(p.getRules)).adjustLimit, 10_000);
    const m = await joinedMember(server);
    const entry = await adjust(operator, m.member.id, 10_000);
    assert.equal(entry.balanceAfter, 10_000, 'at the limit is allowed');
    const over = await operator.raw(p.adjust, {
      params: { id: m.member.id },
      body: { points: 10_001, reason: '客服补偿', requestId: randomUUID(), confirmOverLimit: true },
    });
    assert.equal(over.status, 403);
    const error = (over.data as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'ADJUST_LIMIT_EXCEEDED');
    assert.match(error.message, /单次调整不能超过 10,000 积分/);
    await expectError(adjust(operator, m.member.id, -10_001), 403, 'ADJUST_LIMIT_EXCEEDED');
    await expectError(adjust(operator, m.member.id, 10_000_000), 403, 'ADJUST_LIMIT_EXCEEDED');
    assert.equal(await balance(m.member.id), 10_000, 'no refused adjustment moved the balance');
  });

  it('an owner beyond the limit must confirm a second time; confirmed, it goes through and the log says so', async () => {
    const m = await joinedMember(server);
    await expectError(adjust(owner, m.member.id, 50_000), 422, 'ADJUST_CONFIRMATION_REQUIRED');
    await expectError(
      adjust(owner, m.member.id, 50_000, false),
      422,
      'ADJUST_CONFIRMATION_REQUIRED',
    );
    assert.equal(await balance(m.member.id), 0);
    const entry = await adjust(owner, m.member.id, 50_000, true);
    assert.equal(entry.balanceAfter, 50_000);
    const log = await owner.call(routes.staff.audit, {
      query: { entityType: 'member', limit: 10 },
    });
    const record = log.items.find(
      (e) => e.action === 'points.adjust' && e.entityId === String(m.member.id),
    );
    assert.deepEqual(record?.after, {
      points: 50_000,
      reason: '客服补偿',
      balanceAfter: 50_000,
      overLimit: true,
    });
    // Still bounded by the contract's own ceiling.
    await expectError(adjust(owner, m.member.id, 10_000_001, true), 400, 'VALIDATION_FAILED');
  });

  it('owners set the limit in the points rules (audited); operators cannot; the new limit applies at once', async () => {
    const rules = await owner.call(p.getRules);
    await expectError(
      operator.call(p.putRules, { body: { ...rules, adjustLimit: 1_000_000 } }),
      403,
      'FORBIDDEN',
    );
    const bad = await owner.raw(p.putRules, { body: { ...rules, adjustLimit: 0 } });
    assert.match(
      (bad.data as { error: { message: string } }).error.message,
      /积分单次调整上限至少为 1/,
    );
    await owner.call(p.putRules, { body: { ...rules, adjustLimit: 500 } });
    const m = await joinedMember(server);
    await expectError(adjust(operator, m.member.id, 501), 403, 'ADJUST_LIMIT_EXCEEDED');
    assert.equal((await adjust(operator, m.member.id, 500)).balanceAfter, 500);
    // A rule saved without the field (an older client) keeps the default, not nothing.
    const { adjustLimit: _omitted, ...withoutLimit } = rules;
    assert.equal((await owner.call(p.putRules, { body: withoutLimit })).adjustLimit, 10_000);
    const log = await owner.call(routes.staff.audit, {
      query: { entityType: 'setting', limit: 5 },
    });
    assert.ok(
      log.items.some(
        (e) =>
          e.action === 'points.rules.update' &&
          (e.after as { adjustLimit: number }).adjustLimit === 500,
      ),
    );
  });
});
