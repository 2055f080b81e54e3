import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ERROR_STATUS } from '@huoyue/shared';
import { startTestServer, type TestServer } from '../support/test-server.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes as they are (no client library tidying the URL or the headers) and reads the whole answer. */
function rawHttp(port: number, text: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // The server may close right after answering (431): what was read is the answer.
      if (chunks.length > 0 && err.code === 'ECONNRESET') return;
      reject(err);
    });
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body = rest.join('\r\n\r\n');
      if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    // Written, not ended: the request says Connection: close (or is refused), so the server closes when done.
    socket.write(text);
  });
}

function unchunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const i = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, i), 16);
    if (!size) return out;
    out += rest.slice(i + 2, i + 2 + size);
    rest = rest.slice(i + 2 + size + 2);
  }
}

/** The one error shape, with no trace of the request's URL or of the server's internals. */
function assertShape(answer: RawAnswer, status: number, mustNotContain: string[] = []) {
  assert.equal(answer.status, status, answer.body);
  assert.equal(answer.headers['x-content-type-options'], 'nosniff');
  const body = JSON.parse(answer.body) as { error: { code: keyof typeof ERROR_STATUS } };
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(ERROR_STATUS[body.error.code], status);
  for (const text of ['statusCode', 'FST_', '_readableState', 'socket', ...mustNotContain])
    assert.ok(!answer.body.includes(text), `${text} in ${answer.body}`);
}

/** Issue 18 items 15 (security headers, API docs on and off) and 16 (Fastify's and Node's own errors). */
describe('HTTP hardening: security headers, API docs, framework errors', () => {
  let server: TestServer;
  let port: number;
  let origin: string;
  before(async () => {
    server = await startTestServer();
    origin = new URL(server.apiUrl).origin;
    port = Number(new URL(server.apiUrl).port);
  });
  after(async () => server.stop());

  it('sends the security headers on the API, the console, the H5 app and the docs', async () => {
    for (const path of ['/api/health', '/admin/', '/', '/api/docs/json']) {
      const res = await fetch(`${origin}${path}`);
      await res.arrayBuffer();
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.match(csp, /script-src 'self'/, path);
      assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
    }
    // The H5 app's one inline script is allowed by its hash, when the app is built.
    const h5 = await fetch(`${origin}/`);
    const html = await h5.text();
    if (h5.status === 200 && /<script>/.test(html))
      assert.match(h5.headers.get('content-security-policy') ?? '', /'sha256-[A-Za-z0-9+/=]+'/);
  });

  it('answers the router and Node refusals in the one error shape, never echoing the URL', async () => {
    const longParam = 'x'.repeat(3000);
    assertShape(
      await rawHttp(
        port,
        `POST /api/admin/orders/${longParam}/refunds HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`,
      ),
      414,
      [longParam.slice(0, 50)],
    );
    // A GET falls through to the H5 app's pages when no API route matches: a 404, in the shape all the same.
    const get = await rawHttp(
      port,
      `GET /api/admin/members/${longParam} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`,
    );
    assertShape(get, get.status === 414 ? 414 : 404, [longParam.slice(0, 50)]);
    assertShape(
      await rawHttp(
        port,
        `GET /api/admin/members/%E0%A4%A HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`,
      ),
      400,
      ['%E0%A4%A'],
    );
    const bigHeader = `x-big: ${'a'.repeat(20_000)}\r\n`;
    assertShape(
      await rawHttp(
        port,
        `GET /api/health HTTP/1.1\r\nHost: a\r\n${bigHeader}Connection: close\r\n\r\n`,
      ),
      431,
    );
    assertShape(await rawHttp(port, `GARBAGE\r\n\r\n`), 400);
  });

  it('refuses wrong bodies in the one error shape without describing the request', async () => {
    const post = (contentType: string, body: string) =>
      rawHttp(
        port,
        `POST /api/auth/wechat HTTP/1.1\r\nHost: a\r\nContent-Type: ${contentType}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    assertShape(await post('text/csv', 'a,b\n1,2\n'), 415, ['raw', 'headers', 'readable']);
    assertShape(await post('image/png', 'not a png'), 415);
    assertShape(await post('text/plain', 'hello'), 415);
    assertShape(await post('application/json', '{"code":'), 400);
    assertShape(await post('application/json', `{"code":"${'x'.repeat(70_000)}"}`), 413);
  });

  it('serves the API docs unless in production, where API_DOCS=true turns them on', async () => {
    const docs = async (env: Record<string, string>) => {
      const s = await startTestServer(env);
      try {
        const o = new URL(s.apiUrl).origin;
        const [json, ui] = await Promise.all([fetch(`${o}/api/docs/json`), fetch(`${o}/api/docs`)]);
        await Promise.all([json.arrayBuffer(), ui.arrayBuffer()]);
        return [json.status, ui.status];
      } finally {
        await s.stop();
      }
    };
    const dev = await fetch(`${origin}/api/docs/json`);
    assert.equal(dev.status, 200);
    assert.ok(((await dev.json()) as { paths: object }).paths);
    assert.deepEqual(await docs({ NODE_ENV: 'production' }), [404, 404]);
    assert.deepEqual(await docs({ NODE_ENV: 'production', API_DOCS: 'true' }), [200, 200]);
    assert.deepEqual(await docs({ API_DOCS: 'false' }), [404, 404]);
  });

  it('keeps uploaded pictures readable from other origins (a CDN, the mini-program)', async () => {
    const name = `${'a'.repeat(32)}.png`;
    writeFileSync(join(server.config.uploads.dir, name), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const res = await fetch(`${origin}/uploads/${name}`);
    await res.arrayBuffer();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });
});
