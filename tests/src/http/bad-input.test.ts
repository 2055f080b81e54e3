import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routes } from '@huoyue/shared';
import { AuditLog } from '@huoyue/server/dist/modules/staff/entities/audit-log.entity.js';
import { Member } from '@huoyue/server/dist/modules/members/entities/member.entity.js';
import { Staff } from '@huoyue/server/dist/modules/staff/entities/staff.entity.js';
import { loginVisitor, staffLogin } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Asserts the one documented error shape, and nothing else in the body. */
function assertErrorShape(data: unknown, status: number, code: string, actual: number) {
  assert.equal(actual, status, JSON.stringify(data));
  const body = data as { error: { code: string; message: string; details?: unknown } };
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
  for (const key of Object.keys(body.error))
    assert.ok(['code', 'message', 'details'].includes(key));
}

describe('bad input is a 4xx in the one error shape, and writes nothing', () => {
  let server: TestServer;
  let raw: (
    method: string,
    path: string,
    body?: string,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; data: unknown }>;
  before(async () => {
    server = await startTestServer();
    raw = async (method, path, body, headers = {}) => {
      const res = await fetch(`${server.apiUrl}${path}`, {
        method,
        body,
        headers: { 'content-type': 'application/json', ...headers },
      });
      const text = await res.text();
      return { status: res.status, data: text ? JSON.parse(text) : null };
    };
  });
  after(async () => server.stop());

  it('wrong types, missing fields, unknown fields, broken JSON and huge bodies', async () => {
    const owner = await staffLogin(server);
    const token = (
      await server
        .client()
        .call(routes.staff.login, { body: { username: 'owner', password: 'owner-password-1' } })
    ).token;
    const auth = { authorization: `Bearer ${token}` };
    const staffBefore = await server.dataSource.getRepository(Staff).count();
    const auditBefore = await server.dataSource.getRepository(AuditLog).count();
    const cases: [string, string, string | undefined, number, string][] = [
      ['POST', '/auth/wechat', JSON.stringify({ code: 123 }), 400, 'VALIDATION_FAILED'],
      ['POST', '/auth/wechat', JSON.stringify({}), 400, 'VALIDATION_FAILED'],
      [
        'POST',
        '/auth/wechat',
        JSON.stringify({ code: 'x', admin: true }),
        400,
        'VALIDATION_FAILED',
      ],
      ['POST', '/auth/wechat', '{"code":', 400, 'VALIDATION_FAILED'],
      [
        'POST',
        '/auth/wechat',
        JSON.stringify({ code: 'x'.repeat(100_000) }),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        'POST',
        '/admin/staff',
        JSON.stringify({ username: 'ab', password: 'short', role: 'king' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/admin/staff',
        JSON.stringify({
          username: 'valid_name',
          password: 'long-enough',
          role: 'operator',
          isAdmin: true,
        }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'POST',
        '/admin/stores',
        JSON.stringify({ code: 'has space', name: '' }),
        400,
        'VALIDATION_FAILED',
      ],
      ['PATCH', '/admin/staff/abc', JSON.stringify({ active: false }), 400, 'VALIDATION_FAILED'],
      ['PATCH', '/admin/staff/1', JSON.stringify({ active: 'no' }), 400, 'VALIDATION_FAILED'],
      ['GET', '/admin/members?limit=100000', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/admin/members?limit=abc', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/admin/members/by-card-code/DROP%20TABLE', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/admin/nothing-here', undefined, 404, 'NOT_FOUND'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await raw(method, path, body, auth);
      assertErrorShape(res.data, status, code, res.status);
    }
    assert.equal(
      await server.dataSource.getRepository(Staff).count(),
      staffBefore,
      'no staff written',
    );
    assert.equal(
      await server.dataSource.getRepository(AuditLog).count(),
      auditBefore,
      'no audit written',
    );
    void owner;
  });

  it('validation details name the field', async () => {
    const res = await raw('POST', '/auth/wechat', JSON.stringify({ code: 42 }));
    const details = (res.data as { error: { details: { issues: { in: string; path: string }[] } } })
      .error.details;
    assert.deepEqual(
      details.issues.map((i) => [i.in, i.path]),
      [['body', 'code']],
    );
  });

  it('a join with bad fields changes nothing about the visitor', async () => {
    const visitor = await loginVisitor(server);
    const res = await raw(
      'POST',
      '/me/join',
      JSON.stringify({ nickname: 'ok', birthday: '1990-13-45' }),
      { authorization: `Bearer ${visitor.token}` },
    );
    assertErrorShape(res.data, 400, 'VALIDATION_FAILED', res.status);
    const row = await server.dataSource
      .getRepository(Member)
      .findOneByOrFail({ id: visitor.member.id });
    assert.equal(row.status, 'visitor');
    assert.equal(row.nickname, null);
  });

  it('login attempts are throttled per client', async () => {
    const limited = await (
      await import('../support/test-server.js')
    ).startTestServer({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (
            await limited
              .client()
              .raw(routes.staff.login, { body: { username: 'owner', password: 'wrong-pass' } })
          ).status,
        );
      }
      assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
      const res = await limited
        .client()
        .raw(routes.staff.login, { body: { username: 'owner', password: 'wrong-pass' } });
      assertErrorShape(res.data, 429, 'RATE_LIMITED', res.status);
    } finally {
      await limited.stop();
    }
  });

  it('health answers with the database kind', async () => {
    const health = await server.client().call(routes.system.health);
    assert.equal(health.status, 'ok');
    assert.equal(
      health.database,
      process.env.DATABASE_URL?.startsWith('mysql') ? 'mysql' : 'sqlite',
    );
  });
});
