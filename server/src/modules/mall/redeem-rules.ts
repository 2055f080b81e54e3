import { DomainError } from '../../infra/http/domain-error.js';
import type { Tx } from '../../infra/events/unit-of-work.js';
import type { CouponTemplatesService } from '../coupons/index.js';
import type { MemberProfile } from '../members/member-directory.module.js';
import type { MallItem, MallRedemption } from './mall.entity.js';
import type { MemberDayGate } from './member-day-gate.js';

export interface RedeemInput {
  quantity: number;
  address?: { name: string; phone: string; address: string };
  requestId: string;
}

export const OUT_OF_STOCK_MESSAGE = '来晚了，商品已兑完';

/** Unpaid points + cash redemptions are cancelled (and everything restored) after this long. */
export const PAY_WITHIN_MS = 15 * 60_000;

/** A new redemption waits for its cash, or for shipping (goods); else it is complete at once. */
export function statusOnRedeem(cashDue: number, item: MallItem): MallRedemption['status'] {
  if (cashDue > 0) return 'pending_payment';
  return item.kind === 'physical' ? 'pending_shipment' : 'completed';
}

export const limitReached = (item: MallItem) =>
  new DomainError('LIMIT_REACHED', `每人限兑 ${item.perMemberLimit} 件`);

export const insufficientPoints = (needed: number, balance: number) =>
  new DomainError('INSUFFICIENT_POINTS', `积分不足：需要 ${needed}，当前可用 ${balance}`, {
    needed,
    balance,
  });

/** What a redemption asks of the mall's neighbours, in the redemption's transaction. */
export interface RedeemChecks {
  templates: CouponTemplatesService;
  memberDay: MemberDayGate;
  tx: Tx;
}

/**
 * Throws why this member may not redeem this item now: gone or off sale, outside its window, goods without an
 * address, a coupon item whose coupon cannot be given, not a member, blocked, another tier, not their member day.
 * Both the single and the grouped write path ask it, so they refuse alike.
 */
export async function assertRedeemable(
  item: MallItem | null | undefined,
  memberId: number,
  profile: MemberProfile | null | undefined,
  input: Pick<RedeemInput, 'address'>,
  now: Date,
  checks: RedeemChecks,
): Promise<MallItem> {
  if (!item || !item.active) throw new DomainError('NOT_FOUND', '商品不存在或已下架');
  if (
    (item.availableFrom && item.availableFrom > now) ||
    (item.availableTo && item.availableTo <= now)
  )
    throw new DomainError('NOT_ELIGIBLE', '该商品不在兑换时间内');
  if (item.kind === 'physical' && !input.address)
    throw new DomainError('VALIDATION_FAILED', '实物商品请填写收货地址');
  if (item.kind === 'coupon') {
    const refusal = await checks.templates.mallRefusal(item.couponTemplateId ?? 0, checks.tx);
    if (refusal) throw new DomainError('NOT_ELIGIBLE', `该商品暂不可兑换：${refusal}`);
  }
  if (!profile || profile.status !== 'member')
    throw new DomainError('NOT_A_MEMBER', '开通会员后才能兑换');
  if (profile.blocked) throw new DomainError('RISK_REJECTED', '当前账号存在风险，暂时无法兑换');
  if (item.tiers.length > 0 && !item.tiers.includes(profile.tierCode ?? ''))
    throw new DomainError('NOT_ELIGIBLE', '该商品仅限指定等级会员兑换');
  const notToday = await checks.memberDay.refusal(memberId, item, now, profile);
  if (notToday) throw new DomainError('NOT_ELIGIBLE', notToday);
  return item;
}
