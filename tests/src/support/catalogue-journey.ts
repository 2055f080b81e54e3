import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { createClerk, createStore } from './console-steps.js';
import { openMember, recordPurchase as recordPurchaseInDrawer } from './engage-steps.js';
import { appButton, appInput, LATIN_ALLOWED, openConsole, visibleLatinWords } from './journey.js';
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

/** The owner opens these stores and one clerk for each on the console's 员工与门店 page. */
export async function setUpStoresAndClerks(
  browser: Browser,
  server: TestServer,
  stores: { name: string; clerk: string }[],
): Promise<Clerk[]> {
  const owner = await openConsole(browser, server);
  const clerks: Clerk[] = [];
  for (const s of stores) await createStore(owner, s.name);
  for (const s of stores) {
    const account = { username: s.clerk, password: 'clerk-password-1' };
    await createClerk(owner, { ...account, name: `${s.name}店员`, store: s.name });
    clerks.push({ ...account, store: s.name });
  }
  await owner.context().close();
  return clerks;
}

/** A purchase at the till, recorded by the owner in the member's drawer (补录消费). */
export async function recordPurchase(
  browser: Browser,
  server: TestServer,
  nickname: string,
  yuan: number,
): Promise<void> {
  const owner = await openConsole(browser, server);
  await openMember(owner, nickname);
  await recordPurchaseInDrawer(owner, yuan);
  await owner.context().close();
}

/** The member joins in the app with a nickname, the phone authorisation and the agreement ticked. */
export async function joinInApp(page: Page, nickname: string, phone: string): Promise<void> {
  await appButton(page, '免费开卡').click();
  await appInput(page, '怎么称呼您').fill(nickname);
  await appInput(page, '手机号（开发环境模拟微信授权）').fill(phone);
  await appButton(page, '授权').click();
  await page.getByText('✓ 已授权').waitFor();
  await page.getByTestId('join-agree').click();
  await appButton(page, '立即开卡').click();
  await page.getByText('去会员卡').click(); // the welcome: 开卡成功
  await page.getByText('出示会员码').waitFor();
}

/** A staff member at the desk scans a code (types it, as the scanner does, and Enter). */
export async function scanAtDesk(page: Page, code: string): Promise<void> {
  const field = page.getByLabel('券码或会员码');
  await field.fill(code);
  await field.press('Enter');
}
