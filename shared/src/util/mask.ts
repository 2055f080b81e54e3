/** 13812345678 → 138****5678. Used wherever a phone number is shown or logged. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** 小明同学 → 小** (for leaderboards and anywhere a nickname is shown to other members). */
export function maskNickname(nickname: string | null | undefined): string {
  if (!nickname) return '会员';
  const chars = Array.from(nickname);
  return chars.length <= 1
    ? `${chars[0]}*`
    : `${chars[0]}${'*'.repeat(Math.min(chars.length - 1, 2))}`;
}
