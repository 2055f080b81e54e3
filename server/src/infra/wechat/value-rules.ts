/**
 * WeChat's rules for subscribe/template message values (reference/wechat.md §3.4). The fake refuses what
 * WeChat refuses (47003) and the server validates with the same rules before sending.
 */
export type KeywordType =
  | 'thing'
  | 'number'
  | 'letter'
  | 'symbol'
  | 'character_string'
  | 'time'
  | 'date'
  | 'amount'
  | 'phone_number'
  | 'car_number'
  | 'name'
  | 'phrase';

export function keywordType(key: string): KeywordType | undefined {
  const match = /^([a-z_]+?)\d+$/.exec(key);
  const prefix = match?.[1];
  const known: KeywordType[] = [
    'thing',
    'number',
    'letter',
    'symbol',
    'character_string',
    'time',
    'date',
    'amount',
    'phone_number',
    'car_number',
    'name',
    'phrase',
  ];
  return known.find((k) => k === prefix);
}

const CHINESE = /\p{Script=Han}/u;
const chars = (s: string) => Array.from(s).length;

/**
 * Whether the text holds a control character (U+0000 to U+001F, line breaks included). Compared by code unit
 * rather than with a regex, which would have to spell the control characters out.
 */
function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20) return true;
  return false;
}

export function isValidValue(type: KeywordType, value: string): boolean {
  if (value.length === 0 || hasControlCharacter(value)) return false;
  switch (type) {
    case 'thing':
      return chars(value) <= 20;
    case 'number':
      return /^\d+(\.\d+)?$/.test(value) && value.replace('.', '').length <= 32;
    case 'letter':
      return /^[A-Za-z]{1,32}$/.test(value);
    case 'symbol':
      return /^[^\p{L}\p{N}\s]{1,5}$/u.test(value);
    case 'character_string':
      return chars(value) <= 32 && !CHINESE.test(value);
    case 'time':
      return /^(\d{4}年\d{1,2}月\d{1,2}日 |\d{4}-\d{2}-\d{2} )?\d{1,2}:\d{2}(:\d{2})?(~.+)?$/.test(
        value,
      );
    case 'date':
      return /^(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2})( \d{1,2}:\d{2}(:\d{2})?)?(~.+)?$/.test(
        value,
      );
    case 'amount':
      return /^[¥$€£]?\d{1,10}(\.\d{1,2})?元?$/.test(value);
    case 'phone_number':
      return /^[\d+\-() ]{1,17}$/.test(value);
    case 'car_number':
      return chars(value) <= 8;
    case 'name':
      return CHINESE.test(value) ? chars(value) <= 10 : chars(value) <= 20;
    case 'phrase':
      return /^\p{Script=Han}{1,5}$/u.test(value);
  }
}
