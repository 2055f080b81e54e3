import {
  ApiClient,
  ApiError,
  type RouteDef,
  type RouteInput,
  type RouteOutput,
} from '@huoyue/shared';

const TOKEN_KEY = 'huoyue.staff.token';

export const session = {
  token: () => localStorage.getItem(TOKEN_KEY),
  save: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

/** The typed client over the shared contract: the same definitions the server validates with. */
export const api = new ApiClient({
  baseUrl: `${location.origin}/api`,
  getToken: () => session.token(),
  timeoutMs: 30_000,
});

export function call<R extends RouteDef>(route: R, input?: RouteInput<R>): Promise<RouteOutput<R>> {
  return api.call(route, input).catch((err: unknown) => {
    if (err instanceof ApiError && (err.status === 401 || err.code === 'TOKEN_EXPIRED')) {
      session.clear();
      location.hash = '#/login';
    }
    throw err;
  });
}

export const message = (err: unknown) =>
  err instanceof ApiError ? err.message : '网络不太稳定，请稍后再试';
