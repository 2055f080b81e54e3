import { discountLabel, formatYuan } from './money.js';

/** A coupon's face and threshold in one line: "满100减20", "无门槛减20", "8折（最多减30）", "赠 帆布袋", "包邮". */
export function couponFaceLabel(c: {
  kind: 'cash' | 'percent' | 'gift' | 'shipping';
  value: number;
  threshold: number;
  cap: number | null;
  giftName: string | null;
}): string {
  const plain = (fen: number) => formatYuan(fen).replace('¥', '');
  const over = c.threshold > 0 ? `满${plain(c.threshold)}` : '无门槛';
  switch (c.kind) {
    case 'cash':
      return `${over}减${plain(c.value)}`;
    case 'percent':
      return `${c.threshold > 0 ? over : ''}${discountLabel(c.value)}${c.cap !== null ? `（最多减${plain(c.cap)}）` : ''}`;
    case 'gift':
      return `${c.threshold > 0 ? over : ''}赠 ${c.giftName ?? '礼品'}`;
    case 'shipping':
      return `${c.threshold > 0 ? over : ''}包邮`;
  }
}

/** A template's validity as staff read it: "领取后 30 天内有效" or "2026-12-01 至 2026-12-31". */
export function couponValidityLabel(
  v: { kind: 'days'; days: number } | { kind: 'fixed'; from: string; to: string },
  timeZone = 'Asia/Shanghai',
): string {
  if (v.kind === 'days') return `领取后 ${v.days} 天内有效`;
  const day = (iso: string) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date(iso));
  return `${day(v.from)} 至 ${day(v.to)}`;
}

/** An instant as a clerk reads it in the brand's zone: "12月6日 10:32". */
export function monthDayTimeLabel(instant: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(instant)
      .map((x) => [x.type, x.value]),
  );
  return `${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}
