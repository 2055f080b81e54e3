import { ERROR_STATUS, type ErrorCode } from '@huoyue/shared';

/** An expected failure with a stable code; the global filter turns it into the one error shape. */
export class DomainError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what}不存在`);
