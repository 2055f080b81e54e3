import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { type ApiClient, routes } from '@huoyue/shared';
import { joinedMember, staffLogin } from '../support/flows.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

/** A real 1×1 PNG (signature, IHDR, IDAT, IEND with their CRCs), padded with a tEXt chunk to `size` bytes. */
function png(size = 0): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(body));
    return Buffer.concat([head, body, tail]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const idat = deflateSync(Buffer.from([0, 250, 90, 46]));
  const parts = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
  ];
  const base = parts.reduce((n, p) => n + p.length, 0) + 12;
  if (size > base + 12) parts.push(chunk('tEXt', Buffer.alloc(size - base - 12, 0x61)));
  parts.push(chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

const MAX = 64 * 1024;

/** Item pictures: only real JPEG/PNG/WebP content, within the size limit, by staff; stored and served back. */
describe('picture uploads for mall items', () => {
  let server: TestServer;
  let cdn: TestServer;
  let owner: ApiClient;
  let ownerToken: string;
  const upload = (
    body: Buffer | string,
    contentType: string,
    token: string | null = ownerToken,
    on = server,
  ) =>
    fetch(`${on.apiUrl}/admin/uploads/images`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body,
    });
  const site = (s: TestServer) => s.apiUrl.replace(/\/api$/, '');

  before(async () => {
    server = await startTestServer({ UPLOAD_MAX_BYTES: String(MAX) });
    ownerToken = (await server.client().call(routes.staff.login, { body: ADMIN })).token;
    owner = await staffLogin(server);
    cdn = await startTestServer({ PUBLIC_ASSET_BASE_URL: 'https://cdn.example.com/huoyue/' });
  });
  after(async () => {
    await server.stop();
    await cdn.stop();
  });

  it('stores a PNG under a generated name and serves it back with a long cache', async () => {
    const picture = png(2_000);
    const res = await upload(picture, 'image/png');
    assert.equal(res.status, 201);
    const body = (await res.json()) as { path: string; url: string };
    assert.match(body.path, /^\/uploads\/[a-f0-9]{32}\.png$/);
    assert.equal(body.url, body.path, 'no CDN configured: served by this server');
    const served = await fetch(`${site(server)}${body.path}`);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.match(served.headers.get('cache-control') ?? '', /immutable/);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), picture);

    const item = await owner.call(routes.mall.createItem, {
      body: { name: '帆布袋', kind: 'physical', pointsPrice: 10, stock: 1, imageUrl: body.path },
    });
    assert.equal(item.imageUrl, body.path);
    const member = await joinedMember(server);
    const seen = await member.api.call(routes.mall.item, { params: { id: item.id } });
    assert.equal(seen.imageUrl, body.path, 'the app gets the picture too');
  });

  it('judges by content: a JPEG sent as octet-stream is a JPEG; text or a GIF named PNG is refused (415)', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 1)]);
    const res = await upload(jpeg, 'application/octet-stream');
    assert.equal(res.status, 201);
    assert.match(((await res.json()) as { path: string }).path, /\.jpg$/);
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
    assert.equal((await upload(webp, 'image/webp')).status, 201);

    for (const [bytes, type] of [
      [Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'image/png'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'],
      [Buffer.from('not a picture'), 'image/jpeg'],
    ] as const) {
      const refused = await upload(bytes, type);
      assert.equal(refused.status, 415, type);
      const { error } = (await refused.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'UNSUPPORTED_MEDIA_TYPE');
      assert.match(error.message, /JPEG、PNG 或 WebP/);
    }
    const text = await upload('hello', 'text/plain');
    assert.equal(text.status, 415);
  });

  it('refuses a picture over the limit (413) with the limit in the message, and writes nothing', async () => {
    const files = () => readdirSync(server.config.uploads.dir).length;
    const before = files();
    const res = await upload(png(MAX + 1), 'image/png');
    assert.equal(res.status, 413);
    assert.equal(files(), before, 'nothing stored');
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(error.message, '图片不能超过 0.1 兆字节，请压缩后再上传');
    assert.equal((await upload(png(MAX - 100), 'image/png')).status, 201, 'just under is fine');
  });

  it('only staff who edit the catalogue may upload', async () => {
    assert.equal((await upload(png(), 'image/png', null)).status, 401);
    const member = await joinedMember(server);
    // A member's token is not a staff token at all.
    assert.equal((await upload(png(), 'image/png', member.token)).status, 401);
    const clerkAccount = { username: 'clerk.up', password: 'clerk-pass-1' };
    await owner.call(routes.staff.createStore, { body: { code: 'UP01', name: '上传店' } });
    await owner.call(routes.staff.create, {
      body: { ...clerkAccount, role: 'clerk', storeCode: 'UP01' },
    });
    const clerkToken = (await server.client().call(routes.staff.login, { body: clerkAccount }))
      .token;
    assert.equal((await upload(png(), 'image/png', clerkToken)).status, 403);
  });

  it('an item may only name a picture that was uploaded', async () => {
    const res = await owner.raw(routes.mall.createItem, {
      body: {
        name: '帆布袋',
        kind: 'physical',
        pointsPrice: 10,
        stock: 1,
        imageUrl: `/uploads/${'0'.repeat(32)}.png`,
      },
    });
    assert.equal(res.status, 400);
    assert.match(JSON.stringify(res.data), /商品图片不存在，请重新上传/);
  });

  it('with PUBLIC_ASSET_BASE_URL the apps load pictures from the CDN', async () => {
    const token = (await cdn.client().call(routes.staff.login, { body: ADMIN })).token;
    const res = await upload(png(), 'image/png', token, cdn);
    const { path, url } = (await res.json()) as { path: string; url: string };
    assert.equal(url, `https://cdn.example.com/huoyue/${path.slice('/uploads/'.length)}`);
    const item = await cdn.client(token).call(routes.mall.createItem, {
      body: { name: '帆布袋', kind: 'physical', pointsPrice: 10, stock: 1, imageUrl: path },
    });
    assert.equal(item.imageUrl, url);
    assert.equal((await fetch(`${site(cdn)}${path}`)).status, 200, 'the origin still serves it');
  });
});
