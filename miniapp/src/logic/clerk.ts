/** What a clerk scanned: a member's dynamic card code (digits) or a coupon code (16 letters and digits). */
export type Scanned =
  | { kind: 'card'; code: string }
  | { kind: 'coupon'; code: string }
  | { kind: 'invalid'; reason: string };

export function classifyScan(raw: string): Scanned {
  const text = raw.trim().replace(/\s+/g, '');
  if (/^\d{10,24}$/.test(text)) return { kind: 'card', code: text };
  if (/^[A-Za-z0-9]{8,32}$/.test(text)) return { kind: 'coupon', code: text.toUpperCase() };
  return { kind: 'invalid', reason: '无法识别的码，请扫描会员码或优惠券码' };
}
