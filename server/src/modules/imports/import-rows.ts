import { beyondClockSkew, isCalendarDay, startOfBrandDay } from '@huoyue/shared';
import { PHONE_REF } from '../members/index.js';
import type { ImportedOrder } from '../orders/index.js';

/** The rows of an import's CSV file, and the checks each row passes before it is imported. */

export interface Row {
  no: number;
  fields: string[];
  raw: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface OrderRow {
  ref: string;
  order: Omit<ImportedOrder, 'memberId'>;
}

export interface MemberRow {
  ref: string;
  phone: string | null;
  nickname: string | null;
  birthday: string | null;
  tierCode: string | null;
  points: number;
  expiresAt: Date | null | undefined;
}

const REF = /^[A-Za-z0-9_.:-]{1,64}$/;
const ORDER_NO = /^[A-Za-z0-9_.:-]{1,64}$/;
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

export function isHeader(fields: string[]): boolean {
  return fields[0]?.toLowerCase() === 'member_ref';
}

export function checkOrderRow(f: string[], timeZone: string): Checked<OrderRow> {
  if (f.length < 4 || f.length > 5)
    return {
      ok: false,
      reason: `应为 4 或 5 列（member_ref,order_no,paid_at,amount[,store_code]），实际 ${f.length} 列`,
    };
  const [ref, orderNo, paidAtText, amountText, storeCode] = f as [
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  if (!REF.test(ref))
    return {
      ok: false,
      reason: 'member_ref 应为手机号或客户编号（字母、数字、_ . : -，最多 64 位）',
    };
  if (!ORDER_NO.test(orderNo))
    return { ok: false, reason: 'order_no 只能包含字母、数字和 _ . : -，最多 64 位' };
  const paidAt = parseTime(paidAtText, timeZone);
  if (!paidAt)
    return {
      ok: false,
      reason: `paid_at 无法识别：${paidAtText.slice(0, 40)}（请用 ISO 8601 或 YYYY-MM-DD HH:mm:ss）`,
    };
  if (beyondClockSkew(paidAt))
    return { ok: false, reason: 'paid_at 在未来（允许 5 分钟时钟误差）' };
  if (!/^\d{1,10}$/.test(amountText) || Number(amountText) > 1_000_000_000)
    return { ok: false, reason: `amount 应为以分为单位的非负整数：${amountText.slice(0, 20)}` };
  if (storeCode !== undefined && storeCode !== '' && !/^[A-Za-z0-9_-]{1,32}$/.test(storeCode))
    return { ok: false, reason: 'store_code 只能包含字母、数字、_ 和 -' };
  return {
    ok: true,
    value: {
      ref,
      order: { orderNo, amount: Number(amountText), paidAt, storeCode: storeCode || null },
    },
  };
}

export function checkMemberRow(
  f: string[],
  tiers: Set<string>,
  timeZone: string,
): Checked<MemberRow> {
  if (f.length !== 7)
    return {
      ok: false,
      reason: `应为 7 列（member_ref,phone,nickname,birthday,tier_code,points_balance,points_expire_at），实际 ${f.length} 列`,
    };
  const [ref, phone, nickname, birthday, tierCode, pointsText, expireText] = f as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!REF.test(ref)) return { ok: false, reason: 'member_ref 应为手机号或客户编号' };
  if (phone && !PHONE_REF.test(phone))
    return { ok: false, reason: `手机号格式不正确：${phone.slice(0, 20)}` };
  if (PHONE_REF.test(ref) && phone && phone !== ref)
    return { ok: false, reason: 'member_ref 是手机号时，phone 须为空或相同' };
  if (nickname.length > 32) return { ok: false, reason: '昵称最多 32 个字' };
  if (birthday && !isCalendarDay(birthday))
    return { ok: false, reason: `生日应为 YYYY-MM-DD：${birthday.slice(0, 20)}` };
  if (tierCode && !tiers.has(tierCode))
    return { ok: false, reason: `等级 ${tierCode.slice(0, 32)} 不存在` };
  if (pointsText && !/^\d{1,9}$/.test(pointsText))
    return { ok: false, reason: `积分余额应为非负整数：${pointsText.slice(0, 20)}` };
  let expiresAt: Date | null | undefined;
  if (expireText) {
    if (!isCalendarDay(expireText))
      return { ok: false, reason: `积分到期日应为 YYYY-MM-DD：${expireText.slice(0, 20)}` };
    // Usable through that day: the lot expires when the next brand-local day begins.
    expiresAt = new Date(startOfBrandDay(expireText, timeZone).getTime() + 86_400_000);
  }
  return {
    ok: true,
    value: {
      ref,
      phone: phone || null,
      nickname: nickname || null,
      birthday: birthday || null,
      tierCode: tierCode || null,
      points: Number(pointsText || 0),
      expiresAt,
    },
  };
}

/** ISO 8601 with an offset, or a brand-local 'YYYY-MM-DD[ HH:mm[:ss]]'. */
function parseTime(text: string, timeZone: string): Date | null {
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) && text.includes('T')) {
    const t = Date.parse(text);
    return Number.isNaN(t) ? null : new Date(t);
  }
  const m = LOCAL_TIME.exec(text);
  if (!m) return null;
  const [, day, h = '0', min = '0', s = '0'] = m;
  if (Number(h) > 23 || Number(min) > 59 || Number(s) > 59 || !isCalendarDay(day!)) return null;
  return new Date(
    startOfBrandDay(day!, timeZone).getTime() +
      ((Number(h) * 60 + Number(min)) * 60 + Number(s)) * 1000,
  );
}
