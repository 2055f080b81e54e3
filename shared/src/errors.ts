/**
 * Every failure the API answers with has this shape:
 *   { "error": { "code": "ALREADY_CHECKED_IN", "message": "...", "details"?: ... } }
 * The code decides the HTTP status; server and clients read the same table.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  INVALID_LOGIN_CODE: 401,
  INVALID_CREDENTIALS: 401,
  SIGNATURE_INVALID: 401,
  REQUEST_REPLAYED: 401,
  ACCOUNT_DISABLED: 401,
  FORBIDDEN: 403,
  /** Too many wrong passwords in a row: an owner unlocks the account (员工与门店 → 解锁). */
  ACCOUNT_LOCKED: 423,
  ADJUST_LIMIT_EXCEEDED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  ALREADY_MEMBER: 409,
  PHONE_TAKEN: 409,
  CONFLICT: 409,
  USERNAME_TAKEN: 409,
  STORE_CODE_TAKEN: 409,
  ORDER_CONFLICT: 409,
  /** A request id sent again with a different request (idempotent writes: docs/security-robust.md). */
  REQUEST_ID_REUSED: 409,
  ALREADY_CHECKED_IN: 409,
  SOLD_OUT: 409,
  OUT_OF_STOCK: 409,
  LIMIT_REACHED: 409,
  COUPON_USED: 409,
  BADGE_CODE_TAKEN: 409,
  REFUND_CONFLICT: 409,
  /** A delete refused because other things depend on it (issued coupons, redemptions, mall items). */
  IN_USE: 409,
  VOUCHER_USED: 409,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_A_MEMBER: 422,
  INVALID_PHONE_CODE: 422,
  CARD_CODE_INVALID: 422,
  BUSINESS_RULE: 422,
  ADJUST_CONFIRMATION_REQUIRED: 422,
  INSUFFICIENT_POINTS: 422,
  MEMBER_NOT_FOUND: 422,
  REFUND_EXCEEDS_ORDER: 422,
  MEMBER_BLOCKED: 403,
  RISK_REJECTED: 403,
  NOT_ELIGIBLE: 403,
  COUPON_NOT_USABLE: 422,
  MAKEUP_NOT_ALLOWED: 422,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  WECHAT_UNAVAILABLE: 503,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}
