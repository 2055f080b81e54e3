import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import {
  appButton,
  appInput,
  openConsole,
  openMemberApp,
  visibleLatinWords,
} from '../support/journey.js';
import { createCoupon } from '../support/console-steps.js';
import { dropdownOption, recordPurchase } from '../support/engage-steps.js';
import { uniquePhone } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** A small real picture to stand for the member's photo (the app scales it to 160 px). */
const PHOTO = 'miniapp/src/assets/tab/card-active.png';
const TERMS = '本协议由测试咖啡品牌制定：积分有效期至次年年底，会员日每周三。';

/**
 * Journey (f): an empty brand; the owner sets a welcome gift and the agreement in the console; a new member joins in
 * the app with avatar, nickname, phone and the agreement, receives the gift, is celebrated on reaching 银卡 after a
 * purchase recorded in the console, exports their data and closes their membership. Only the console and the app.
 */
describe('journey: a new member joins, is welcomed, upgraded, takes their data and leaves', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let desk: Page;
  let phone: Page;
  const nickname = `林小满${'甲乙丙丁戊己庚辛壬癸'[Date.now() % 10]}`;
  const mobile = uniquePhone();

  /** The screen in use has no English, and its picture goes into docs/screenshots/. */
  const check = async (page: Page, shot?: string) => {
    await page.waitForTimeout(450); // Taro slides pages in; antd fades drawers in
    assert.deepEqual(await visibleLatinWords(page), [], `English on ${shot ?? page.url()}`);
    if (shot) await page.screenshot({ path: `docs/screenshots/${shot}.png` });
  };
  const toast = (page: Page, text: string) => page.getByText(text).first().waitFor();
  /** A NutUI cell on the page in view (Taro keeps the pages below it in the document, hidden). */
  const cell = (title: string) =>
    phone.locator('.taro_page:visible .nut-cell', { hasText: title }).first();

  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    mkdirSync('docs/screenshots', { recursive: true });
    desk = await openConsole(browser.browser, server);
    phone = await openMemberApp(browser.browser, server);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the owner creates a coupon and sets the welcome gift and the agreement text', async () => {
    await createCoupon(desk, { name: '开卡礼满50减10', yuanOff: 10, overYuan: 50 });

    await desk.getByRole('menuitem', { name: '开卡设置' }).click();
    await desk.getByLabel('赠送积分').fill('200');
    await desk.getByLabel('赠送优惠券').click();
    await desk.getByTitle('开卡礼满50减10').click();
    await desk.getByLabel('会员协议').fill(TERMS);
    await desk.getByRole('button', { name: /保\s*存/ }).click();
    await toast(desk, '开卡设置已保存');
    await check(desk, 'console-join-settings');
  });

  it('a visitor sees an invitation, not a tier to climb; cannot join before agreeing; reads the brand’s terms', async () => {
    await phone.getByText('免费开卡').waitFor();
    await phone.getByText('开通会员卡，即享积分与会员礼遇').waitFor();
    assert.equal(await phone.getByText(/再获得 0 成长值/).count(), 0);
    await check(phone, 'miniapp-home-visitor');

    await appButton(phone, '免费开卡').click();
    await phone.getByTestId('join-gift').getByText('200 积分 + 优惠券「开卡礼满50减10」').waitFor();
    const chooser = phone.waitForEvent('filechooser');
    await phone.getByTestId('avatar-picker').click();
    await (await chooser).setFiles(PHOTO);
    await phone.locator('[data-testid=avatar-picker] img').waitFor();
    await appInput(phone, '怎么称呼您').fill(nickname);
    await appInput(phone, '手机号（开发环境模拟微信授权）').fill(mobile);
    await appButton(phone, '授权').click();
    await phone.getByText('✓ 已授权，门店会员将自动合并积分与等级').waitFor();

    await appButton(phone, '立即开卡').click();
    await toast(phone, '请先阅读并同意会员协议和隐私政策');
    assert.equal(await phone.getByText('开卡成功').count(), 0, 'not joined without agreeing');
    assert.equal(await phone.getByTestId('join-agree').getAttribute('aria-checked'), 'false');
    await check(phone, 'miniapp-join');

    await phone.getByText('《会员协议》').click();
    await phone.getByText(TERMS).waitFor();
    await check(phone, 'miniapp-agreement');
    await phone.goBack();
    await phone.getByTestId('join-agree').click();
    assert.equal(await phone.getByTestId('join-agree').getAttribute('aria-checked'), 'true');
  });

  it('joins and is told of the welcome gift, which is in the balance and the wallet', async () => {
    await appButton(phone, '立即开卡').click();
    await phone.getByText('开卡礼已到账：200 积分 + 优惠券「开卡礼满50减10」').waitFor();
    await check(phone, 'miniapp-welcome');
    await phone.getByText('去会员卡').click();
    await phone.getByTestId('points-balance').getByText('200').waitFor();
    assert.equal(await phone.getByTestId('member-card').getAttribute('data-theme'), 'normal');
    await check(phone);

    await phone.getByText('我的券包').click();
    await phone.getByText('开卡礼满50减10').first().waitFor();
    await check(phone);
    await phone.getByText('开卡礼满50减10').first().click();
    const qr = phone.getByTestId('coupon-qr').locator('img');
    await qr.waitFor();
    await phone.waitForTimeout(450);
    const box = (await qr.boundingBox())!;
    assert.ok(box.width >= 200, `QR ${box.width} px wide`);
    const centre = box.x + box.width / 2;
    assert.ok(Math.abs(centre - 195) <= 4, `QR centred at ${centre} on a 390 px screen`);
    const code = (await phone.locator('[data-code]').first().getAttribute('data-code')) ?? '';
    const words = await visibleLatinWords(phone);
    assert.deepEqual(
      words.filter((w) => !code.includes(w)),
      [],
      'only the coupon code itself is in Latin letters',
    );
    await phone.screenshot({ path: 'docs/screenshots/miniapp-coupon.png' });
  });

  it('after a purchase recorded in the console passes 银卡, the app celebrates with the silver card', async () => {
    await desk.getByRole('menuitem', { name: '会员', exact: true }).click();
    await desk.getByRole('cell', { name: nickname }).click();
    await recordPurchase(desk, 1200);
    await toast(desk, '已补录消费 ¥1,200.00，获得 1,200 积分');
    await check(desk, 'console-member');

    await phone.goto(phone.url().replace(/#.*$/, '#/pages/home/index'));
    await phone.getByTestId('upgrade').getByText('恭喜升级为银卡会员').waitFor();
    assert.equal(
      await phone.getByTestId('upgrade').locator('[data-theme]').getAttribute('data-theme'),
      'silver',
    );
    await check(phone, 'miniapp-upgrade');
    await appButton(phone, '知道了').click();
    await phone.getByTestId('upgrade').waitFor({ state: 'detached' });
    assert.equal(await phone.getByTestId('member-card').getAttribute('data-theme'), 'silver');
    await phone.getByTestId('points-balance').getByText('1,400').waitFor();
    await check(phone, 'miniapp-home');
    // Once celebrated, not again.
    await phone.reload();
    await phone.getByTestId('points-balance').waitFor();
    await phone.waitForTimeout(500);
    assert.equal(await phone.getByTestId('upgrade').count(), 0);
  });

  it('exports their data from 我的 and sees it, then closes their membership with confirmation', async () => {
    await phone.locator('.weui-tabbar__label', { hasText: '我的' }).click();
    await cell('我的资料').click();
    // 我的 lists 导出我的数据 too: the profile page is in when its phone row, masked, shows.
    await phone.getByText(`${mobile.slice(0, 3)}****${mobile.slice(7)}`).waitFor();
    await cell('导出我的数据').waitFor();
    await check(phone, 'miniapp-profile');

    await cell('导出我的数据').click();
    await phone.getByTestId('export').getByText(mobile).waitFor();
    await phone.getByTestId('export').getByText(nickname).first().waitFor();
    await check(phone, 'miniapp-export');
    const download = phone.waitForEvent('download');
    await appButton(phone, '下载数据文件').click();
    const file = await (await download).path();
    const data = JSON.parse(readFileSync(file, 'utf8')) as {
      member: { nickname: string; phone: string; avatar: string | null };
      points: { balance: number };
    };
    assert.equal(data.member.nickname, nickname);
    assert.equal(data.member.phone, mobile);
    assert.match(data.member.avatar ?? '', /^data:image\/jpeg;base64,/);
    assert.equal(data.points.balance, 1_400);

    await phone.goBack();
    await cell('注销会员').click();
    await appButton(phone, '注销会员').waitFor();
    await check(phone, 'miniapp-close');
    await appButton(phone, '注销会员').click();
    await toast(phone, '请先勾选“我已了解以上后果”');
    await phone.getByTestId('close-understood').click();
    await appButton(phone, '注销会员').click();
    await phone.getByText('确定注销会员？').waitFor();
    await phone.getByText('确定注销', { exact: true }).click();
    await phone.getByText('您的会员已注销，个人信息已删除。感谢一路相伴。').waitFor();
    await phone.getByText('好的', { exact: true }).click();
    await phone.getByText('免费开卡').waitFor();
    await phone.getByText('开通会员卡，即享积分与会员礼遇').waitFor();
    await check(phone);
  });

  it('the console shows the membership closed, with the personal data gone', async () => {
    await desk.reload();
    await desk.getByRole('menuitem', { name: '会员', exact: true }).click();
    // The list shows members and visitors; closed accounts are a choice of its 状态 filter.
    await desk.getByLabel('状态', { exact: true }).click();
    await dropdownOption(desk, '已注销').click();
    await desk.getByRole('cell', { name: '已注销' }).first().waitFor();
    assert.equal(await desk.getByRole('cell', { name: nickname }).count(), 0);
    await desk.getByPlaceholder('卡号、手机号、手机尾号后 4 位或昵称').fill(mobile);
    await desk.getByRole('button', { name: /搜\s*索/ }).click();
    await desk.getByText('没有符合条件的会员').waitFor();
    await check(desk);
  });
});
