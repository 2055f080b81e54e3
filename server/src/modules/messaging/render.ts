import { isValidValue, keywordType } from '../../infra/wechat/value-rules.js';

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
     
    let value = fill(field.value, variables)
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .trim();
    const limit = type === 'name' ? (/\p{Script=Han}/u.test(value) ? 10 : 20) : LIMITS[type];
    if (limit && Array.from(value).length > limit)
      value = `${Array.from(value)
        .slice(0, limit - 1)
        .join('')}…`;
    if (!isValidValue(type, value)) return { invalid: field.key };
    data[field.key] = value;
  }
  return { data };
}
