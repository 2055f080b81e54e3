import { isValidValue, keywordType, type KeywordType } from '../../infra/wechat/value-rules.js';

export type Variables = Record<string, string | number | null | undefined>;

/** Replaces {{name}} with the variable's value; an unknown or empty variable becomes an empty string. */
export function fill(text: string, variables: Variables): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => {
    const v = variables[name];
    return v === null || v === undefined ? '' : String(v);
  });
}

const LIMITS: Partial<Record<string, number>> = { thing: 20, character_string: 32, car_number: 8 };

/**
 * A run of C0 control characters or DEL. Built from the character codes because a regex literal spelling them
 * out trips no-control-regex, and matching them is the point here.
 */
const CONTROL_RUN = new RegExp(
  `[${String.fromCharCode(0x00)}-${String.fromCharCode(0x1f)}${String.fromCharCode(0x7f)}]+`,
  'g',
);

/** The most characters a value of this type may have: a name 10 when it has Chinese characters, else 20. */
function lengthLimit(type: KeywordType, value: string): number | undefined {
  if (type !== 'name') return LIMITS[type];
  return /\p{Script=Han}/u.test(value) ? 10 : 20;
}

/**
 * The template's fields filled for one member, made to obey WeChat's value rules (reference/wechat.md §3.4):
 * control characters removed, over-long text cut with an ellipsis. A value that still breaks the rules (an empty
 * field, a phrase that is not 1-5 Chinese characters, a malformed date) is reported instead of being sent, so no
 * send ever fails with 47003.
 */
export function renderFields(
  fields: { key: string; value: string }[],
  variables: Variables,
): { data: Record<string, string> } | { invalid: string } {
  const data: Record<string, string> = {};
  for (const field of fields) {
    const type = keywordType(field.key);
    if (!type) return { invalid: field.key };
    let value = fill(field.value, variables).replace(CONTROL_RUN, ' ').trim();
    const limit = lengthLimit(type, value);
    if (limit && Array.from(value).length > limit)
      value = `${Array.from(value)
        .slice(0, limit - 1)
        .join('')}…`;
    if (!isValidValue(type, value)) return { invalid: field.key };
    data[field.key] = value;
  }
  return { data };
}
