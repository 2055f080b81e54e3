import type { RouteOutput, routes } from '@huoyue/shared';

export type Voucher = RouteOutput<typeof routes.mall.redemption>['vouchers'][number];

export const VOUCHER_STATUS_LABELS: Record<Voucher['status'], string> = {
  available: '可使用',
  used: '已核销',
  expired: '已过期',
  void: '已作废',
};

/** ABCD EFGH JKMN PQRS: a 16-character code in fours, easier to read out to a clerk. */
export const groupCode = (code: string): string => code.replace(/(.{4})(?=.)/g, '$1 ');

/** How many of a redemption's vouchers can still be used ("2 张可用"), for 我的兑换. */
export function vouchersLabel(vouchers: Voucher[]): string {
  const left = vouchers.filter((v) => v.status === 'available').length;
  return left > 0
    ? `${left} 张兑换券可用`
    : `兑换券${VOUCHER_STATUS_LABELS[vouchers[0]?.status ?? 'used']}`;
}
