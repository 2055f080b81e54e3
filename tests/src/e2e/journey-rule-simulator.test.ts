import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routes } from '@huoyue/shared';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { expectChineseOnly, openMenu, screenshot } from '../support/engage-steps.js';
import { brandNoonDaysAgo, joinedMember, staffLogin } from '../support/flows.js';
import { openConsole } from '../support/journey.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Orders paid months ago (days before today, yuan): inside the simulator's default window, the last 12 months. */
const HISTORY = [
  { member: 0, daysAgo: 200, yuan: 120 },
  { member: 0, daysAgo: 95, yuan: 88 },
  { member: 1, daysAgo: 60, yuan: 256 },
  { member: 1, daysAgo: 12, yuan: 99 },
];
/** Today's rules earn 1 point per whole yuan (no tier above 1×, no member day, no cap). */
const ACTUAL_ORDER_POINTS = HISTORY.reduce((sum, o) => sum + o.yuan, 0);

const OPERATOR = { username: 'sim-operator', password: 'operator-password-1' };

const points = (text: string | null) => Number((text ?? '').replace(/[^\d-]/g, ''));

/**
 * Journey (issue 22): from an empty brand with some order history (made through the API, paid months ago), the
 * owner looks at the points liability, opens the rule simulator, proposes a doubled earn rate, runs it over the last 12 months, sees the comparison
 * (the simulated order points are exactly twice the actual ones, check-ins unchanged), applies it after confirming,
 * and the points rules page then shows the new rate.
 */
describe('journey: simulate a doubled earn rate, compare, apply', () => {
  let server: TestServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let owner: Page;

  before(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    const api = await staffLogin(server);
    await api.call(routes.staff.create, {
      body: { ...OPERATOR, role: 'operator', displayName: '运营小周' },
    });
    const members = [
      await joinedMember(server, '老顾客阿满'),
      await joinedMember(server, '老顾客小林'),
    ];
    for (const [i, o] of HISTORY.entries())
      await api.call(routes.points.createOrder, {
        body: {
          orderNo: `SIM-HISTORY-${i + 1}`,
          member: { id: members[o.member]!.member.id },
          amount: o.yuan * 100,
          paidAt: brandNoonDaysAgo(server.config.brandTimezone, o.daysAgo),
        },
      });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the owner opens the points liability page: the history’s points are there', async () => {
    owner = await openConsole(browser.browser, server);
    await openMenu(owner, '积分负债');
    await owner.locator('.ant-statistic', { hasText: '未使用积分' }).waitFor();
    assert.equal(await owner.getByTestId('liability-empty').count(), 0, 'points were issued');
    await expectChineseOnly(owner, 'the points liability page');
  });

  it('the owner opens the rule simulator: the form holds today’s rules', async () => {
    await openMenu(owner, '规则模拟');
    const rate = owner.getByLabel('每消费 1 元获得积分');
    await rate.waitFor();
    assert.equal(Number(await rate.inputValue()), 1, 'prefilled from today’s points rules');
    await owner.getByText('以往的模拟').waitFor();
    await owner.locator('.ant-empty-description', { hasText: '暂无数据' }).waitFor(); // no run yet
    await expectChineseOnly(owner, 'the rule simulator');
    await screenshot(owner, 'console-rule-simulator');
  });

  it('a doubled earn rate, run over the last 12 months, doubles the order points and nothing else', async () => {
    await owner.getByLabel('模拟名称（可不填）').fill('积分翻倍方案');
    await owner.getByLabel('每消费 1 元获得积分').fill('2');
    await owner.getByRole('button', { name: '开始模拟' }).click();
    await owner.getByText('已开始模拟').waitFor();
    const run = owner.getByTestId('sim-run');
    await run.getByText('模拟结果：积分翻倍方案').waitFor();
    await run.getByTestId('sim-result').waitFor({ timeout: 30_000 });
    const actual = points(await run.getByTestId('sim-orders-actual').textContent());
    const simulated = points(await run.getByTestId('sim-orders-simulated').textContent());
    assert.equal(actual, ACTUAL_ORDER_POINTS, 'the real ledger’s order points');
    assert.equal(simulated, 2 * actual, 'a doubled earn rate doubles order points');
    assert.equal(
      await run.getByTestId('sim-checkins-simulated').textContent(),
      await run.getByTestId('sim-checkins-actual').textContent(),
      'check-in points unchanged',
    );
    await run.getByTestId('sim-chart-month').locator('canvas').waitFor();
    await run.getByText('受影响最大的会员（前 20 位）').waitFor();
    await run.getByRole('cell', { name: /^老/ }).first().waitFor(); // masked names of the two members
    await owner
      .getByRole('row', { name: /积分翻倍方案/ })
      .getByText('已完成')
      .waitFor();
    await expectChineseOnly(owner, 'the simulation result');
    await screenshot(owner, 'console-rule-simulator-result');
  });

  it('an operator finds the run among the earlier ones, and may not apply it', async () => {
    const operator = await openConsole(browser.browser, server, OPERATOR);
    await openMenu(operator, '规则模拟');
    await operator
      .getByRole('row', { name: /积分翻倍方案/ })
      .getByRole('button', { name: /查\s*看/ })
      .click();
    const run = operator.getByTestId('sim-run');
    await run.getByTestId('sim-result').waitFor();
    await run.getByText('只有店长可以把模拟的规则设为正式规则。').waitFor();
    assert.equal(await run.getByRole('button', { name: '应用此规则' }).count(), 0);
    await expectChineseOnly(operator, 'the run as an operator sees it');
    await operator.context().close();
  });

  it('the owner applies it after confirming, and the points rules page shows the new rate', async () => {
    const run = owner.getByTestId('sim-run');
    await run.getByRole('button', { name: '应用此规则' }).click();
    const confirm = owner.locator('.ant-modal-confirm');
    await confirm
      .locator('.ant-modal-confirm-title', { hasText: '把这套规则设为正式规则？' })
      .waitFor();
    await expectChineseOnly(owner, 'the apply confirmation');
    await confirm.getByRole('button', { name: /应\s*用/ }).click();
    await owner.getByText('新规则已生效').waitFor();
    await run.getByTestId('sim-applied').waitFor();
    await owner
      .getByRole('row', { name: /积分翻倍方案/ })
      .getByText('已应用')
      .waitFor();
    await run.getByRole('link', { name: '查看积分规则' }).click();
    const rate = owner.getByLabel('每消费 1 元获得积分');
    await rate.waitFor();
    assert.equal(Number(await rate.inputValue()), 2, 'the rules page shows the applied rate');
    await expectChineseOnly(owner, 'the points rules after applying');
    const api = await staffLogin(server);
    assert.equal((await api.call(routes.points.getRules)).pointsPerYuan, 2);
  });
});
