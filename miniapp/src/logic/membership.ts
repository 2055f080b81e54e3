import type { EngagementType, RouteOutput, routes, WelcomeGiftView } from '@huoyue/shared';
import { formatNumber } from './format.js';

type Ladder = RouteOutput<typeof routes.points.tiers>['ladder'];

/** "100 积分、满100减20" — what the welcome gift brings, in one line; null when the brand gives nothing. */
export function welcomeGiftText(gift: WelcomeGiftView): string | null {
  const parts: string[] = [];
  if (gift.points > 0) parts.push(`${formatNumber(gift.points)} 积分`);
  if (gift.coupon) parts.push(`优惠券「${gift.coupon.name}」`);
  return parts.length ? parts.join(' + ') : null;
}

export type CardTheme = 'visitor' | 'normal' | 'silver' | 'gold' | 'diamond';

/**
 * Each rung of the ladder has its own card: the entry tier warm orange, then silver, gold and a dark diamond
 * card. By position, so a brand that renames its tiers keeps the colours.
 */
export function cardTheme(tierCode: string | null, ladder: Ladder): CardTheme {
  const tier = ladder.find((t) => t.code === tierCode);
  if (!tier) return 'visitor';
  const themes: CardTheme[] = ['normal', 'silver', 'gold', 'diamond'];
  return themes[Math.min(tier.rank, themes.length - 1)] ?? 'normal';
}

/**
 * The tier to celebrate: the member is on a higher rung than the last time this phone saw the card. The first
 * sight of a card (nothing remembered yet) is not an upgrade.
 */
export function upgradeToCelebrate(
  lastSeenCode: string | null,
  currentCode: string | null,
  ladder: Ladder,
): Ladder[number] | null {
  if (!lastSeenCode || !currentCode || lastSeenCode === currentCode) return null;
  const before = ladder.find((t) => t.code === lastSeenCode);
  const now = ladder.find((t) => t.code === currentCode);
  return before && now && now.rank > before.rank ? now : null;
}

/** How the export's engagement types read to the member. */
const EVENT_LABELS: Record<EngagementType, string> = {
  app_open: '打开小程序',
  join: '开通会员',
  checkin: '签到',
  purchase: '消费',
  redemption: '积分兑换',
  coupon_claim: '领取优惠券',
  coupon_use: '使用优惠券',
  refund: '退款',
  message_sent: '收到消息',
  message_opened: '打开消息',
};

export const eventLabel = (type: string): string =>
  EVENT_LABELS[type as EngagementType] ?? '其他记录';
