/** A WeChat API answered with a non-zero errcode (or did not answer usefully). Callers switch on errcode. */
export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly path: string,
  ) {
    super(`WeChat ${path} errcode ${errcode}: ${errmsg}`);
    this.name = 'WechatApiError';
  }

  /** Transient: worth retrying later with backoff. */
  get transient(): boolean {
    return TRANSIENT.has(this.errcode);
  }
}

/** Pseudo errcodes for transport failures, so one switch covers everything. */
export const ERRCODE_TIMEOUT = -1001;
export const ERRCODE_HTTP = -1002;

const TRANSIENT = new Set([-1, 45009, 45011, ERRCODE_TIMEOUT, ERRCODE_HTTP]);
export const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
