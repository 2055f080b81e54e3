import type { Page } from 'playwright-core';

/**
 * Console steps the journeys share: what the owner does on 员工与门店, as a person would (menus, forms, pickers).
 * The journey that tests these screens themselves is journey-staff.test.ts; the others only need their outcome.
 */

export interface ClerkAccount {
  name: string;
  username: string;
  password: string;
  /** The store's name, as the picker shows it. */
  store: string;
}

/** 员工与门店 → 新建门店: a store with this name (its code generated and shown). */
export async function createStore(owner: Page, name: string, address = '上海市'): Promise<void> {
  await owner.getByRole('menuitem', { name: '员工与门店' }).click();
  await owner.getByRole('tab', { name: '门店' }).click();
  await owner.getByRole('button', { name: '新建门店' }).click();
  const dialog = owner.getByRole('dialog');
  await dialog.getByLabel('门店名称').fill(name);
  await dialog.getByLabel('门店地址').fill(address);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await owner.getByText(`已新建门店「${name}」`).waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

/** 员工与门店 → 员工账号 → 新建员工: a clerk of this store (the role picker starts at 店员). */
export async function createClerk(owner: Page, clerk: ClerkAccount): Promise<void> {
  await owner.getByRole('menuitem', { name: '员工与门店' }).click();
  await owner.getByRole('tab', { name: '员工账号' }).click();
  await owner.getByRole('button', { name: '新建员工' }).click();
  const dialog = owner.getByRole('dialog');
  await dialog.getByLabel('姓名').fill(clerk.name);
  await dialog.getByLabel('登录账号').fill(clerk.username);
  await dialog.getByPlaceholder('至少 8 位').fill(clerk.password);
  await dialog.getByLabel('所属门店').click();
  await dialog.getByLabel('所属门店').fill(clerk.store.slice(0, 2));
  await owner.locator('.ant-select-dropdown:visible').getByText(clerk.store).first().click();
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await owner.getByText(`已新建员工「${clerk.name}」`).waitFor();
  await dialog.waitFor({ state: 'hidden' });
}
