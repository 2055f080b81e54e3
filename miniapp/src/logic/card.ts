import type { RouteOutput } from '@huoyue/shared';
import type { routes } from '@huoyue/shared';
import { formatNumber } from './format.js';

type MyTiers = RouteOutput<typeof routes.points.tiers>;

export interface GrowthView {
  tierName: string;
  /** 0-100: how far along the way to the next tier. */
  percent: number;
  /** "再获得 320 成长值升级为金卡" or "已是最高等级". */
  toNextLabel: string;
  /** What keeps the current tier this period, if anything is at stake. */
  keepLabel: string | null;
}

/** The growth bar on the card: position between this tier's threshold and the next one's. */
export function growthView(tiers: MyTiers, joined = true): GrowthView {
  const { current, ladder } = tiers;
  // A visitor has no tier to climb from: the card invites them to open one instead.
  if (!joined)
    return {
      tierName: '访客',
      percent: 0,
      toNextLabel: '开通会员卡，即享积分与会员礼遇',
      keepLabel: null,
    };
  const tier = ladder.find((t) => t.code === current.code) ?? null;
  const next = current.toNext
    ? (ladder.find((t) => t.code === current.toNext!.code) ?? null)
    : null;
  const tierName = tier?.name ?? '普通会员';
  let percent = 100;
  let toNextLabel = '已是最高等级，尊享全部权益';
  if (current.toNext) {
    const from = tier?.growthThreshold ?? 0;
    const to = next?.growthThreshold ?? current.growth + current.toNext.growthNeeded;
    const span = Math.max(1, to - from);
    percent = Math.min(99, Math.max(0, Math.floor(((current.growth - from) / span) * 100)));
    toNextLabel = `再获得 ${formatNumber(current.toNext.growthNeeded)} 成长值升级为${current.toNext.name}`;
  }
  let keepLabel: string | null = null;
  if (current.toKeep !== null && current.toKeep > 0 && current.expiresAt) {
    keepLabel = `${current.expiresAt.slice(0, 10)} 前再获得 ${formatNumber(current.toKeep)} 成长值可保级`;
  } else if (current.toKeep === 0 && current.expiresAt) {
    keepLabel = `本期已保级，有效期至 ${current.expiresAt.slice(0, 10)}`;
  }
  return { tierName, percent, toNextLabel, keepLabel };
}
