import type { Locator, Page } from 'playwright-core';

/**
 * Console steps the journeys share: what the owner does on 员工与门店, 优惠券 and 积分商城, as a person would (menus,
 * forms, pickers). The journeys that test these screens themselves are journey-staff.test.ts (staff and stores),
 * journey-coupon-mall.test.ts and journey-voucher.test.ts (coupons and mall items, looking at the forms through the
 * helpers' hooks); the others only need their outcome.
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
  await dialog.getByPlaceholder('至少 10 位').fill(clerk.password);
  await dialog.getByLabel('所属门店').click();
  await dialog.getByLabel('所属门店').fill(clerk.store.slice(0, 2));
  await owner.locator('.ant-select-dropdown:visible').getByText(clerk.store).first().click();
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await owner.getByText(`已新建员工「${clerk.name}」`).waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

/** A name as a regular expression that finds it inside a row's text. */
const within = (name: string) => new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

/** The options of the antd dropdown open now. */
const openOptions = (owner: Page) =>
  owner.locator('.ant-select-dropdown:visible .ant-select-item-option');

export interface CouponSpec {
  name: string;
  /** 减免金额 in yuan: a cash coupon, the form's default type. */
  yuanOff: number;
  /** 使用门槛 in yuan; 0, the default, for none. */
  overYuan?: number;
  /** 使用说明（会员可见）. */
  description?: string;
  /** 发放渠道 ticked besides 领券中心 (ticked already), by their labels: 积分商城 … */
  alsoOfferedIn?: string[];
  /** 适用门店 by name; none for every store. */
  stores?: string[];
}

/**
 * 优惠券 → 新建优惠券: a cash coupon (valid 30 days after it is received, one per member, the form's defaults),
 * saved and listed. `beforeSave` looks at the filled form (a screenshot, a language check) before 保存.
 */
export async function createCoupon(
  owner: Page,
  coupon: CouponSpec,
  beforeSave?: (dialog: Locator) => Promise<void>,
): Promise<void> {
  await owner.getByRole('menuitem', { name: '优惠券', exact: true }).click();
  await owner.getByRole('button', { name: '新建优惠券' }).click();
  const dialog = owner.getByRole('dialog', { name: '新建优惠券' });
  await dialog.getByLabel('名称', { exact: true }).fill(coupon.name);
  if (coupon.description) await dialog.getByLabel('使用说明（会员可见）').fill(coupon.description);
  await dialog.getByLabel('减免金额').fill(String(coupon.yuanOff));
  await dialog.getByLabel('使用门槛（0 为无门槛）').fill(String(coupon.overYuan ?? 0));
  for (const channel of coupon.alsoOfferedIn ?? [])
    await dialog.getByRole('checkbox', { name: new RegExp(`^${channel}`) }).check();
  if (coupon.stores?.length) {
    await dialog.getByLabel('适用门店（不选为全部门店）').click();
    for (const store of coupon.stores) await openOptions(owner).filter({ hasText: store }).click();
    await dialog.getByText('发放渠道').click(); // closes the store list
  }
  await beforeSave?.(dialog);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  await owner.getByText('优惠券已创建').last().waitFor();
  await owner.getByRole('row', { name: within(coupon.name) }).waitFor();
}

export interface MallItemSpec {
  name: string;
  /** 积分价格. */
  points: number;
  /**
   * 优惠券 (the form's default type): the coupon a redemption gives, picked from the list by its name (it must be
   * offered in the mall). Without one, the item is a 虚拟商品: a voucher shown and verified at a store; or, with
   * `physical`, 实物: shipped to the address the member gives.
   */
  coupon?: string;
  physical?: boolean;
  /** 另加现金（积分 + 现金）in yuan: paid with WeChat Pay on top of the points. */
  cashYuan?: number;
  /** A 虚拟商品's 兑换券有效期 in days (the form starts at 30). */
  voucherDays?: number;
  /** 每人限兑 (the form starts at 1). */
  perMemberLimit?: number;
  /** 商品图片: a file uploaded from the computer. */
  picture?: { name: string; mimeType: string; buffer: Buffer };
  /** 商品说明（会员可见）. */
  description?: string;
}

/**
 * 积分商城 → 新建商品: an item of 10 in stock (the form's default), saved and listed. `couponOption` looks at the
 * coupon's option in the open picker before it is chosen; `beforeSave` looks at the filled form before 保存.
 */
export async function createMallItem(
  owner: Page,
  item: MallItemSpec,
  look: {
    couponOption?: (option: Locator) => Promise<void>;
    beforeSave?: (dialog: Locator) => Promise<void>;
  } = {},
): Promise<void> {
  await owner.getByRole('menuitem', { name: '积分商城', exact: true }).click();
  await owner.getByRole('button', { name: '新建商品' }).click();
  const dialog = owner.getByRole('dialog', { name: '新建商品' });
  await dialog.getByLabel('名称', { exact: true }).fill(item.name);
  if (item.coupon) {
    const picker = dialog.getByLabel('兑换出的优惠券');
    await picker.click();
    await picker.fill(item.coupon);
    const option = openOptions(owner).filter({ hasText: item.coupon });
    await option.waitFor();
    await look.couponOption?.(option);
    await option.click();
  } else {
    await dialog.getByLabel('类型').click();
    await openOptions(owner)
      .filter({ hasText: item.physical ? '实物' : '虚拟商品' })
      .click();
    if (item.voucherDays) await dialog.getByLabel('兑换券有效期').fill(String(item.voucherDays));
  }
  await dialog.getByLabel('积分价格').fill(String(item.points));
  if (item.cashYuan) await dialog.getByLabel('另加现金（积分 + 现金）').fill(String(item.cashYuan));
  if (item.perMemberLimit) await dialog.getByLabel('每人限兑').fill(String(item.perMemberLimit));
  if (item.picture) {
    await dialog.locator('input[type=file]').setInputFiles(item.picture);
    await owner.getByText('图片已上传').last().waitFor();
    await dialog.locator('img[alt="商品图片"]').waitFor();
  }
  if (item.description) await dialog.getByLabel('商品说明（会员可见）').fill(item.description);
  await look.beforeSave?.(dialog);
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  await owner.getByText('商品已创建').last().waitFor();
  await owner.getByRole('row', { name: within(item.name) }).waitFor();
}
