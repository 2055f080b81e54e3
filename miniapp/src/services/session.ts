import {
  ApiClient,
  ApiError,
  routes,
  type RouteDef,
  type RouteInput,
  type RouteOutput,
  type Transport,
} from '@huoyue/shared';

/** Where the token is kept: Taro storage in the mini-program, memory in tests. */
export interface TokenStorage {
  get(): string | null;
  set(token: string | null): void;
}

export interface SessionOptions {
  baseUrl: string;
  storage: TokenStorage;
  /** wx.login / Taro.login: a fresh single-use code. */
  login: () => Promise<string>;
  transport?: Transport;
  timeoutMs?: number;
}

/**
 * The mini-program's API client: typed by the shared contract, keeps the token, and on an expired or
 * invalid token logs in again silently (wx.login → /api/auth/wechat) and repeats the call once.
 */
export class MemberSession {
  private readonly client: ApiClient;
  private relogin: Promise<string> | undefined;

  constructor(private readonly options: SessionOptions) {
    this.client = new ApiClient({
      baseUrl: options.baseUrl,
      transport: options.transport,
      timeoutMs: options.timeoutMs ?? 10_000,
      getToken: () => options.storage.get(),
    });
  }

  async call<R extends RouteDef>(route: R, input?: RouteInput<R>): Promise<RouteOutput<R>> {
    if (!this.options.storage.get() && route.auth.kind === 'member') await this.login();
    try {
      return await this.client.call(route, input);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && route.auth.kind === 'member') {
        await this.login();
        return this.client.call(route, input);
      }
      throw err;
    }
  }

  /** One login at a time, however many calls found the token stale together. */
  login(): Promise<string> {
    this.relogin ??= (async () => {
      try {
        const code = await this.options.login();
        const session = await this.client.call(routes.members.wechatLogin, { body: { code } });
        this.options.storage.set(session.token);
        return session.token;
      } finally {
        this.relogin = undefined;
      }
    })();
    return this.relogin;
  }

  /** After joining, the server may hand back a token for a merged record: keep it. */
  async join(input: RouteInput<typeof routes.members.join>['body']) {
    const result = await this.call(routes.members.join, { body: input });
    this.options.storage.set(result.token);
    return result;
  }

  logout(): void {
    this.options.storage.set(null);
  }
}

export const memoryStorage = (): TokenStorage => {
  let token: string | null = null;
  return { get: () => token, set: (t) => (token = t) };
};

/** The one message a member sees for any failure. */
export function friendlyError(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return '网络不太稳定，请稍后再试';
}
