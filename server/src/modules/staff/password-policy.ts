import { dictionary } from '@zxcvbn-ts/language-common';
import { DomainError } from '../../infra/http/domain-error.js';

/**
 * The ~49,000 most common passwords from leaks (zxcvbn-ts's maintained list), lower-cased. Length (at least 10) is
 * checked by the contract; this is the part the console cannot carry in its bundle.
 */
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** A staff password: refused when it is a common one, or one with a digit or two added (password12, qwerty2024). */
export function assertStaffPassword(password: string, field = 'password'): void {
  if (isCommonPassword(password))
    throw new DomainError('VALIDATION_FAILED', '密码太常见，容易被猜中，请换一个', {
      issues: [{ in: 'body', path: field, message: '密码太常见，容易被猜中，请换一个' }],
    });
}

export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  const stripped = lower.replace(/[\d!@#$%^&*.\-_]+$/, '');
  return COMMON.has(lower) || (stripped.length >= 4 && COMMON.has(stripped)) || oneCharacter(lower);
}

/** aaaaaaaaaa, 1111111111. */
const oneCharacter = (p: string) => new Set(p).size <= 2;
