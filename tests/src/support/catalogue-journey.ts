import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { routes } from '@huoyue/shared';
import type { Page } from 'playwright-core';
import { staffLogin } from './flows.js';
import { appButton, appInput, LATIN_ALLOWED, visibleLatinWords } from './journey.js';
import type { TestServer } from './test-server.js';

/** Steps the catalogue journeys (b) and (d) share: pictures, screenshots, the member's join, the desk. */

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, tail]);
}

/** A product photo stand-in: a square PNG, a warm gradient with a lighter disc in the middle (a cup, if you squint). */
export function productPicture(size = 240, rgb: [number, number, number] = [250, 90, 46]): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - size / 2, y - size / 2) / (size / 2);
      const light = d < 0.55 ? 0.55 : 0.15 * (y / size);
      for (let i = 0; i < 3; i++)
        row[1 + x * 3 + i] = Math.round(rgb[i]! + (255 - rgb[i]!) * light);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A screenshot into docs/screenshots (after Taro's 300 ms page slide and antd's toasts settle). */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync('docs/screenshots', { recursive: true });
  await page.waitForTimeout(450);
  await page.screenshot({ path: `docs/screenshots/${name}.png` });
}

/** No English on this screen; `readable` are codes meant to be read out (coupon and voucher codes). */
export async function assertNoLatin(page: Page, where: string, readable: string[] = []) {
  const words = await visibleLatinWords(page, [...LATIN_ALLOWED, ...readable]);
  assert.deepEqual(words, [], `English visible on ${where}: ${words.join(', ')}`);
}

/** The runs of letters a code shows as, whole or in groups of four (digits break them up): read out, not English. */
export const codeWords = (code: string) => [
  ...(code.match(/[A-Za-z]{2,}/g) ?? []),
  ...(code.match(/.{1,4}/g) ?? []).flatMap((g) => g.match(/[A-Za-z]{2,}/g) ?? []),
];

export interface Clerk {
  username: string;
  password: string;
  store: string;
}

/**
 * TODO(lead): switch to the console's 员工与门店 page once it is merged (another engineer builds it in this issue):
 * the owner creates these stores and one clerk for each there. Until then the journey sets them up over the API,
 * as that page will.
 */
export async function setUpStoresAndClerks(
  server: TestServer,
  stores: { code: string; name: string; clerk: string }[],
): Promise<Clerk[]> {
  const owner = await staffLogin(server);
  const clerks: Clerk[] = [];
  for (const s of stores) {
    await owner.call(routes.staff.createStore, { body: { code: s.code, name: s.name } });
    const account = { username: s.clerk, password: 'clerk-password-1' };
    await owner.call(routes.staff.create, {
      body: { ...account, displayName: `${s.name}店员`, role: 'clerk', storeCode: s.code },
    });
    clerks.push({ ...account, store: s.name });
  }
  return clerks;
}

/**
 * TODO(lead): the console has no page to record a purchase yet; a purchase comes from the till (POS) over the
 * orders API, which is what this does for the member with this phone number.
 */
export async function recordPurchase(server: TestServer, phone: string, yuan: number) {
  const owner = await staffLogin(server);
  const found = await owner.call(routes.members.adminSearch, { query: { query: phone } });
  assert.equal(found.items.length, 1, `one member with ${phone}`);
  await owner.call(routes.points.createOrder, {
    body: {
      orderNo: `POS-${randomUUID().slice(0, 12)}`,
      member: { id: found.items[0]!.id },
      amount: yuan * 100,
      paidAt: new Date().toISOString(),
    },
  });
}

/**
 * The member joins in the app with a nickname and the phone authorisation (the browser build's stand-in for
 * WeChat's phone button). TODO(lead): the join page gains an agreement checkbox in this issue; tick it here then.
 */
export async function joinInApp(page: Page, nickname: string, phone: string): Promise<void> {
  await appButton(page, '免费开卡').click();
  await appInput(page, '怎么称呼您').fill(nickname);
  await appInput(page, '手机号（开发环境模拟微信授权）').fill(phone);
  await appButton(page, '授权').click();
  await page.getByText('✓ 已授权').waitFor();
  await appButton(page, '立即开卡').click();
  await page.getByText('出示会员码').waitFor();
}

/** A staff member at the desk scans a code (types it, as the scanner does, and Enter). */
export async function scanAtDesk(page: Page, code: string): Promise<void> {
  const field = page.getByLabel('券码或会员码');
  await field.fill(code);
  await field.press('Enter');
}
