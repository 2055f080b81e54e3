import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ApiClient, routes } from '@huoyue/shared';
import { signRequest } from '@huoyue/server/dist/modules/staff/integration-keys.service.js';
import { expectError, joinedMember, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const sys = routes.system;
const p = routes.points;

let seq = 0;
const orderNo = () => `IK${process.pid}-${Date.now().toString(36)}-${++seq}`;

describe('integration keys: signatures bound to method and path, list, rotate with overlap, revoke', () => {
  let server: TestServer;
  let owner: ApiClient;

  before(async () => {
    server = await startTestServer();
    owner = await staffLogin(server);
  });
  after(async () => server.stop());

  /** Sends `body` to `path` with headers signed for `signedPath` (the same unless a replay is being tried). */
  const send = async (
    key: { keyId: string; secret: string },
    path: string,
    body: string,
    signedPath = path,
  ) => {
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${server.apiUrl.replace(/\/api$/, '')}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-huoyue-key': key.keyId,
        'x-huoyue-timestamp': ts,
        'x-huoyue-signature': signRequest(key.secret, {
          method: 'POST',
          path: signedPath,
          timestamp: ts,
          body,
        }),
      },
      body,
    });
    const json = (await res.json()) as { error?: { code: string; message: string } };
    return { status: res.status, code: json.error?.code, json };
  };

  const newOrder = async (memberId: number) => {
    const no = orderNo();
    await owner.call(p.createOrder, {
      body: {
        orderNo: no,
        member: { id: memberId },
        amount: 10_000,
        paidAt: new Date().toISOString(),
      },
    });
    return no;
  };

  const orderBody = (cardNo: string) =>
    JSON.stringify({
      orderNo: orderNo(),
      member: { cardNo },
      amount: 1_000,
      paidAt: new Date().toISOString(),
    });

  it('a refund signed for one order cannot be replayed against another order, another query or another method', async () => {
    const m = await joinedMember(server);
    const key = await owner.call(sys.createIntegrationKey, { body: { name: '电商 ERP' } });
    const [a, b] = [await newOrder(m.member.id), await newOrder(m.member.id)];
    const body = JSON.stringify({ refundNo: `R-${a}`, amount: 5_000 });
    const pathA = `/api/admin/orders/${a}/refunds`;
    const pathB = `/api/admin/orders/${b}/refunds`;
    const replayed = await send(key, pathB, body, pathA);
    assert.equal(replayed.status, 401);
    assert.equal(replayed.code, 'SIGNATURE_INVALID');
    const withQuery = await send(key, `${pathA}?again=1`, body, pathA);
    assert.equal(withQuery.code, 'SIGNATURE_INVALID');
    const ok = await send(key, pathA, body);
    assert.equal(ok.status, 201, JSON.stringify(ok.json));
    const orderB = await owner.call(p.getOrder, { params: { orderNo: b } });
    assert.equal(orderB.refundedAmount, 0, 'the other order was not refunded');
  });

  it('keys are listed without their secrets; a revoked key is refused; every action is audited', async () => {
    const m = await joinedMember(server);
    const key = await owner.call(sys.createIntegrationKey, { body: { name: 'POS 收银' } });
    const listed = (await owner.call(sys.listIntegrationKeys)).items.find(
      (k) => k.keyId === key.keyId,
    )!;
    assert.equal(listed.secretHint, key.secret.slice(-4));
    assert.equal(listed.lastUsedAt, null);
    assert.ok(!JSON.stringify(listed).includes(key.secret), 'the secret is never listed');
    assert.equal((await send(key, '/api/admin/orders', orderBody(m.member.cardNo!))).status, 201);
    const used = (await owner.call(sys.listIntegrationKeys)).items.find(
      (k) => k.keyId === key.keyId,
    )!;
    assert.ok(used.lastUsedAt, 'last used is shown');

    const revoked = await owner.call(sys.revokeIntegrationKey, { params: { keyId: key.keyId } });
    assert.equal(revoked.active, false);
    assert.ok(revoked.revokedAt);
    const refused = await send(key, '/api/admin/orders', orderBody(m.member.cardNo!));
    assert.equal(refused.status, 401);
    assert.equal(refused.code, 'SIGNATURE_INVALID');
    await expectError(
      owner.call(sys.rotateIntegrationKey, { params: { keyId: key.keyId }, body: {} }),
      409,
      'CONFLICT',
    );
    const audit = await owner.call(routes.staff.audit, {
      query: { limit: 50, entityType: 'integration_key' },
    });
    const actions = audit.items.filter((e) => e.entityId === key.keyId).map((e) => e.action);
    assert.deepEqual(actions.sort(), ['integration_key.create', 'integration_key.revoke']);
    assert.ok(!JSON.stringify(audit.items).includes(key.secret), 'no secret in the audit log');
  });

  it('rotation: during the overlap both secrets work, after it only the new one', async () => {
    const m = await joinedMember(server);
    const old = await owner.call(sys.createIntegrationKey, { body: { name: '小程序商城' } });
    const rotated = await owner.call(sys.rotateIntegrationKey, {
      params: { keyId: old.keyId },
      body: {},
    });
    assert.notEqual(rotated.secret, old.secret);
    assert.equal(rotated.keyId, old.keyId);
    const hours = (Date.parse(rotated.previousValidUntil!) - Date.now()) / 3_600_000;
    assert.ok(hours > 23.9 && hours <= 24, `default overlap is 24 h, got ${hours}`);
    const path = '/api/admin/orders';
    assert.equal((await send(old, path, orderBody(m.member.cardNo!))).status, 201);
    assert.equal((await send(rotated, path, orderBody(m.member.cardNo!))).status, 201);
    // The overlap window ends (moved into the past rather than waiting 24 hours).
    await server.dataSource
      .getRepository('IntegrationKey')
      .update({ keyId: old.keyId }, { previousValidUntil: new Date(Date.now() - 1000) });
    const late = await send(old, path, orderBody(m.member.cardNo!));
    assert.equal(late.status, 401);
    assert.equal(late.code, 'SIGNATURE_INVALID');
    assert.equal((await send(rotated, path, orderBody(m.member.cardNo!))).status, 201);
    // overlapHours 0: the old secret stops at once.
    const again = await owner.call(sys.rotateIntegrationKey, {
      params: { keyId: old.keyId },
      body: { overlapHours: 0 },
    });
    assert.equal(again.previousValidUntil, null);
    assert.equal(
      (await send(rotated, path, orderBody(m.member.cardNo!))).code,
      'SIGNATURE_INVALID',
    );
    assert.equal((await send(again, path, orderBody(m.member.cardNo!))).status, 201);
  });

  it('only owners manage keys', async () => {
    const key = await owner.call(sys.createIntegrationKey, { body: { name: '临时' } });
    const signed = await send(key, '/api/admin/integration-keys', JSON.stringify({ name: 'x' }));
    assert.equal(signed.status, 401, 'an integration key cannot make keys');
  });
});
