import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERROR_STATUS, routes } from '@huoyue/shared';
import { buildOpenApiDocument } from '@huoyue/server/dist/infra/http/openapi.js';
import {
  badBodies,
  JUNK_PATH,
  JUNK_QUERY,
  pick,
  sample,
  seededRandom,
  toJsonText,
  useRandom,
  type SchemaNode,
} from '../support/fuzz-gen.js';
import { joinedMember, loginVisitor } from '../support/flows.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Walks every operation of the OpenAPI document the server serves with generated bad input (bodies, path and
 * query parameters, headers, the wrong caller; as owner, member, visitor, clerk where clerks may call, nobody) and asserts: no response ≥ 500, every 4xx in the one error shape.
 * FUZZ_SEED reproduces a run; FUZZ_BODIES caps the bad bodies per operation.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 18);
const BODIES_PER_OPERATION = Number(process.env.FUZZ_BODIES ?? 400);
const CONCURRENCY = 4;

interface Operation {
  method: string;
  path: string;
  auth: 'public' | 'member' | 'staff';
  /** A staff route clerks may call too (walked again as a clerk: store-bound checks). */
  clerk: boolean;
  params: { name: string; in: string; schema: SchemaNode }[];
  body?: SchemaNode;
}

interface Probe {
  /** The operation's path template (failures are reported once per operation and kind). */
  operation: string;
  method: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
}

interface Failure {
  probe: Probe;
  status: number;
  text: string;
}

function operations(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }) {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const security = op.security !== undefined;
      const description = typeof op.description === 'string' ? op.description : '';
      const content = (
        op.requestBody as { content?: Record<string, { schema: SchemaNode }> } | undefined
      )?.content;
      ops.push({
        method: method.toUpperCase(),
        path,
        auth: authOf(description, security),
        clerk: /\bclerk\b/.test(description),
        params: (op.parameters as Operation['params'] | undefined) ?? [],
        body: content?.['application/json']?.schema,
      });
    }
  }
  // Closing the member's account (DELETE /api/me) last, so the member's token works for everything else.
  const rank = (op: Operation) => (op.path === '/api/me' && op.method === 'DELETE' ? 1 : 0);
  return ops.sort((a, b) => rank(a) - rank(b));
}

/** Valid bodies for the operations whose schemas tie fields together (a sample fails their refinements). */
function seedBodies(storeCode: string): Record<string, unknown> {
  const today = new Date().toISOString().slice(0, 10);
  const coupon = {
    name: '模糊券',
    kind: 'cash',
    value: 500,
    validity: { kind: 'days', days: 7 },
    channels: ['mall'],
  };
  const automation = { name: '模糊', trigger: { type: 'at_risk' }, actions: { points: 5 } };
  const memberDay = {
    name: '模糊会员日',
    schedule: { kind: 'dates', dates: [today] },
    startTime: '00:00',
    endTime: '24:00',
    audience: { tiers: [] },
    benefits: { pointsMultiplier: 2 },
  };
  const template = {
    code: 'fuzz_note',
    name: '通知',
    channel: 'subscribe',
    purpose: 'transactional',
    wechatTemplateId: 'TPL_FUZZ',
    fields: [{ key: 'thing1', value: '您好' }],
  };
  return {
    'POST /api/admin/coupon-templates': coupon,
    'PATCH /api/admin/coupon-templates/{id}': { name: '改名' },
    'POST /api/admin/mall/items': { name: '模糊品', kind: 'virtual', pointsPrice: 10, stock: 5 },
    'PATCH /api/admin/mall/items/{id}': { name: '改名' },
    'POST /api/admin/coupons/redeem': { code: 'NOPE', storeCode },
    'POST /api/admin/vouchers/redeem': { code: 'NOPE', storeCode },
    'POST /api/admin/automations': automation,
    'PUT /api/admin/automations/{id}': automation,
    'POST /api/admin/member-days': memberDay,
    'PUT /api/admin/member-days/{id}': memberDay,
    'POST /api/admin/message-templates': template,
    'PUT /api/admin/message-templates/{id}': { ...template, code: undefined },
    'PATCH /api/admin/staff/{id}': { displayName: '店员' },
    'PATCH /api/admin/stores/{id}': { name: '门店' },
  };
}

function authOf(description: string, security: boolean): Operation['auth'] {
  if (description.startsWith('Staff roles')) return 'staff';
  return security ? 'member' : 'public';
}

/** What an answer must never show: stream or socket state, stack frames, SQL errors, framework codes. */
const INTERNALS =
  /_readableState|socket|node_modules|\bat [\w.]+ \(|SQLITE_|\bER_[A-Z_]+|QueryFailedError|FST_ERR|TypeORM/i;

/** The error shape: only `error`, a known code whose status is the response's, a message. */
function shapeProblem(status: number, text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof body !== 'object' || body === null) return 'not an object';
  if (Object.keys(body).join() !== 'error') return `keys ${Object.keys(body).join()}`;
  const error = (body as { error: Record<string, unknown> }).error;
  const code = error.code as keyof typeof ERROR_STATUS;
  if (typeof code !== 'string' || !(code in ERROR_STATUS)) return `unknown code ${String(code)}`;
  if (ERROR_STATUS[code] !== status) return `code ${code} with status ${status}`;
  if (typeof error.message !== 'string' || !error.message) return 'no message';
  const extra = Object.keys(error).filter((k) => !['code', 'message', 'details'].includes(k));
  if (extra.length) return `extra keys ${extra.join()}`;
  return INTERNALS.test(text) ? 'leaks internals' : null;
}

/**
 * The one route whose caller is WeChat Pay answers a notification it refuses in the shape WeChat Pay documents:
 * 4xx with exactly {code: 'FAIL', message} (WeChat Pay acts on the status; docs/coupons-mall.md). What the contract
 * refuses before the handler (a query string) is in the API's one shape, like every route.
 */
const WECHAT_PAY_NOTIFY = '/api/pay/wechat/notify';
function wechatPayShapeProblem(status: number, text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const { code, message, ...rest } = (body ?? {}) as Record<string, unknown>;
  if (code !== 'FAIL' || typeof message !== 'string' || !message || Object.keys(rest).length > 0)
    return `not WeChat Pay's failure shape (status ${status})`;
  return INTERNALS.test(text) ? 'leaks internals' : null;
}

describe('fuzz: every operation of the OpenAPI document with bad input', () => {
  let server: TestServer;
  let origin: string;
  const tokens: Record<'owner' | 'member' | 'clerk' | 'visitor', string> = {
    owner: '',
    member: '',
    clerk: '',
    visitor: '',
  };
  const pathIds: Record<string, string> = {};
  /** Valid bodies by operation (`PUT /api/…`): a bad field on a valid body gets past validation to the service. */
  const seeds: Record<string, unknown> = {};

  /** A settings page's PUT takes what its GET answers: the current settings, once saved back as they are. */
  async function settingsSeeds() {
    const headers = { authorization: `Bearer ${tokens.owner}`, 'content-type': 'application/json' };
    const doc = (await (await fetch(`${origin}/api/docs/json`)).json().catch(() => null)) as {
      paths: Record<string, Record<string, unknown>>;
    } | null;
    for (const [path, methods] of Object.entries(doc?.paths ?? {})) {
      if (!methods.put || !methods.get || path.includes('{')) continue;
      const current = await fetch(`${origin}${path}`, { headers });
      if (!current.ok) continue;
      const body = await current.text();
      const saved = await fetch(`${origin}${path}`, { method: 'PUT', headers, body });
      if (saved.ok) seeds[`PUT ${path}`] = JSON.parse(body);
    }
  }
  before(async () => {
    server = await startTestServer();
    origin = new URL(server.apiUrl).origin;
    tokens.owner = (await server.client().call(routes.staff.login, { body: ADMIN })).token;
    const owner = server.client(tokens.owner);
    const member = await joinedMember(server, '模糊测试');
    tokens.member = member.token;
    tokens.visitor = (await loginVisitor(server)).token;
    // Real rows behind id 1 (a store, a coupon, an item), so updates of existing things are walked too;
    // staff paths get a clerk's id (never the owner's own account).
    const store = await owner.call(routes.staff.createStore, { body: { name: '模糊测试店' } });
    const clerk = await owner.call(routes.staff.create, {
      body: {
        username: 'fuzz-clerk',
        password: 'clerk-password-1',
        role: 'clerk',
        storeCode: store.code,
      },
    });
    pathIds['/api/admin/staff/{id}'] = String(clerk.id);
    tokens.clerk = (
      await server.client().call(routes.staff.login, {
        body: { username: 'fuzz-clerk', password: 'clerk-password-1' },
      })
    ).token;
    const template = await owner.call(routes.coupons.createTemplate, {
      body: {
        name: '模糊测试券',
        kind: 'cash',
        value: 500,
        validity: { kind: 'days', days: 7 },
        channels: ['mall', 'center'],
      } as never,
    });
    const item = await owner.call(routes.mall.createItem, {
      body: { name: '模糊测试品', kind: 'virtual', pointsPrice: 10, stock: 100 } as never,
    });
    await owner.call(routes.points.createOrder, {
      body: {
        orderNo: 'FUZZ-1',
        member: { id: member.member.id },
        amount: 10_000,
        paidAt: new Date(Date.now() - 60_000).toISOString(),
      } as never,
    });
    await member.api.call(routes.mall.redeem, {
      params: { id: item.id },
      body: { quantity: 1, requestId: 'fuzz-redemption-1' },
    });
    pathIds['/api/admin/coupon-templates/{id}'] = String(template.id);
    Object.assign(seeds, seedBodies(store.code));
    await settingsSeeds();
    pathIds['/api/mall/items/{id}'] = String(item.id);
    pathIds['/api/admin/mall/items/{id}'] = String(item.id);
    pathIds['/api/admin/orders/{orderNo}'] = 'FUZZ-1';
    pathIds['/api/admin/orders/{orderNo}/refunds'] = 'FUZZ-1';
  });
  after(async () => server?.stop());

  it('answers no 5xx and every 4xx in the one error shape', async () => {
    const random = seededRandom(SEED);
    useRandom(random);
    // The document the server serves; built the same way when the docs are switched off (API_DOCS=false).
    const served = await fetch(`${origin}/api/docs/json`);
    const doc = (served.ok ? await served.json() : buildOpenApiDocument()) as Parameters<
      typeof operations
    >[0];
    const ops = operations(doc);
    const probes: Probe[] = ops.flatMap((op) => [
      ...probesFor(op, random),
      ...(op.clerk ? probesFor(op, random, tokens.clerk) : []),
      // A visitor (logged in, not joined) on member routes: the not-a-member paths.
      ...(op.auth === 'member' ? probesFor(op, random, tokens.visitor) : []),
    ]);
    const byStatus = new Map<number, number>();
    const failures: Failure[] = [];
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < probes.length) {
          const probe = probes[next++]!;
          const { status, text } = await send(probe);
          byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
          const problem =
            status >= 500
              ? 'status ≥ 500'
              : status >= 400 &&
                (probe.path.startsWith(WECHAT_PAY_NOTIFY)
                  ? shapeProblem(status, text) && wechatPayShapeProblem(status, text)
                  : shapeProblem(status, text));
          if (problem) failures.push({ probe, status, text: `${problem}: ${text.slice(0, 300)}` });
        }
      }),
    );
    const statuses = [...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`);
    console.log(
      `fuzz (seed ${SEED}): ${ops.length} operations, ${probes.length} requests in ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s; by status ${statuses.join(', ')}`,
    );
    const seen = new Set<string>();
    const distinct = failures.filter((f) => {
      const key = `${f.status} ${f.probe.method} ${f.probe.operation} ${f.text.slice(0, 40)}`;
      return !seen.has(key) && Boolean(seen.add(key));
    });
    const report = distinct
      .slice(0, 40)
      .map(
        (f) =>
          `${f.status} ${f.probe.method} ${f.probe.path.slice(0, 120)} ` +
          `${(f.probe.body ?? '').slice(0, 160)} ${JSON.stringify(f.probe.headers).slice(0, 120)}\n  → ${f.text}`,
      );
    assert.equal(
      failures.length,
      0,
      `${failures.length} bad answers (${distinct.length} kinds):\n${report.join('\n')}`,
    );
  });

  function principalToken(op: Operation): string | undefined {
    if (op.auth === 'staff') return tokens.owner;
    if (op.auth === 'member') return tokens.member;
    return undefined;
  }

  /** The probes for one operation, as its usual caller, or as `asToken` (fewer bodies, no header oddities). */
  function probesFor(op: Operation, random: () => number, asToken?: string): Probe[] {
    const pathParams = op.params.filter((p) => p.in === 'path');
    const queryParams = op.params.filter((p) => p.in === 'query');
    const validPath = (override?: [string, string]) =>
      pathIds[op.path] && !override
        ? op.path.replace(/\{\w+\}/, pathIds[op.path]!)
        : op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
            if (override?.[0] === name) return override[1];
            const param = pathParams.find((p) => p.name === name);
            const value = param?.schema.type === 'integer' ? 1 : sample(param?.schema);
            return encodeURIComponent(String(value ?? 'x'));
          });
    const base = seeds[`${op.method} ${op.path}`] ?? (op.body ? sample(op.body) : undefined);
    const baseBody = op.body ? toJsonText(base) : undefined;
    const token = asToken ?? principalToken(op);
    const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const json = { 'content-type': 'application/json', ...auth };
    const make = (path: string, body?: string, headers: Record<string, string> = json): Probe => ({
      operation: op.path,
      method: op.method,
      path,
      body,
      headers: body === undefined ? omitContentType(headers) : headers,
    });
    const probes: Probe[] = [];
    for (const param of pathParams)
      for (const junk of JUNK_PATH) probes.push(make(validPath([param.name, junk]), baseBody));
    for (const param of queryParams)
      for (const junk of JUNK_QUERY)
        probes.push(make(`${validPath()}?${param.name}=${encodeURIComponent(junk)}`, baseBody));
    if (queryParams.length) {
      const name = queryParams[0]!.name;
      probes.push(make(`${validPath()}?${name}=1&${name}=2`, baseBody));
    }
    probes.push(make(`${validPath()}?unknownParam=1`, baseBody));
    const bodies = op.body
      ? pick(badBodies(op.body, base), asToken ? 40 : BODIES_PER_OPERATION, random)
      : [{ x: 1 }];
    for (const body of bodies) probes.push(make(validPath(), toJsonText(body)));
    if (asToken) return [...probes, make(validPath(), baseBody)];
    probes.push(...oddHeaders(op, validPath(), baseBody, auth));
    return probes;
  }

  /** Wrong content types, broken or foreign tokens, the wrong kind of caller, odd request ids. */
  function oddHeaders(
    op: Operation,
    path: string,
    body: string | undefined,
    auth: Record<string, string>,
  ): Probe[] {
    const probe = (headers: Record<string, string>, text = body ?? '{}'): Probe => ({
      operation: op.path,
      method: op.method,
      path,
      body: op.method === 'GET' ? undefined : text,
      headers,
    });
    const probes = [
      probe({ ...auth, 'content-type': 'text/csv' }, 'a,b\n1,2\n'),
      probe({ ...auth, 'content-type': 'text/plain' }, 'hello'),
      probe({ ...auth, 'content-type': 'application/x-www-form-urlencoded' }, 'a=1&b=2'),
      probe({ ...auth, 'content-type': 'application/json; charset=utf-16' }),
      probe({ ...auth, 'content-type': 'application/json' }, '{"a":'),
      probe({ 'content-type': 'application/json', authorization: `Bearer ${'x'.repeat(5000)}` }),
      probe({ 'content-type': 'application/json', authorization: 'Basic Zm9vOmJhcg==' }),
      probe({
        'content-type': 'application/json',
        authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOjEsImF1ZCI6InN0YWZmIn0.',
      }),
      probe({
        ...auth,
        'content-type': 'application/json',
        'x-request-id': 'a b <c> "d"'.repeat(50),
        'x-huoyue-key': 'nope',
        'x-huoyue-signature': 'zz',
        'x-huoyue-timestamp': '1e309',
        accept: 'text/html',
      }),
    ];
    if (op.auth === 'staff') {
      probes.push(probe({ 'content-type': 'application/json' }));
      probes.push(
        probe({ 'content-type': 'application/json', authorization: `Bearer ${tokens.member}` }),
      );
    }
    if (op.auth === 'member') {
      probes.push(probe({ 'content-type': 'application/json' }));
      probes.push(
        probe({ 'content-type': 'application/json', authorization: `Bearer ${tokens.owner}` }),
      );
    }
    return probes;
  }

  async function send(probe: Probe): Promise<{ status: number; text: string }> {
    try {
      const res = await fetch(`${origin}${probe.path}`, {
        method: probe.method,
        headers: probe.headers,
        body: probe.method === 'GET' || probe.method === 'HEAD' ? undefined : probe.body,
      });
      return { status: res.status, text: await res.text() };
    } catch (err) {
      return { status: 599, text: `request failed: ${String(err)}` };
    }
  }
});

function omitContentType(headers: Record<string, string>): Record<string, string> {
  const { 'content-type': _omit, ...rest } = headers;
  return rest;
}
