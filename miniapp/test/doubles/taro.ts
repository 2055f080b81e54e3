/**
 * A stand-in for @tarojs/taro in component tests: storage in memory, Taro.request answered by the test's
 * scripted backend, UI calls (toast, modal, navigation) recorded, page hooks captured so a test can fire them.
 */
export interface RequestOptions {
  url: string;
  method?: string;
  header?: Record<string, string>;
  data?: unknown;
  timeout?: number;
}
export type Backend = (req: {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}) => { status: number; data: unknown } | Promise<{ status: number; data: unknown }>;

export const state = {
  storage: new Map<string, unknown>(),
  backend: (() => ({
    status: 404,
    data: { error: { code: 'NOT_FOUND', message: 'no route' } },
  })) as Backend,
  requests: [] as Array<{
    method: string;
    path: string;
    body: unknown;
    headers: Record<string, string>;
    timeout?: number;
  }>,
  calls: [] as Array<{ api: string; arg: unknown }>,
  modalConfirm: true,
  routerParams: {} as Record<string, string>,
  hooks: {
    didShow: [] as Array<() => void>,
    didHide: [] as Array<() => void>,
    pullDown: [] as Array<() => void>,
    reachBottom: [] as Array<() => void>,
    launch: [] as Array<(o: unknown) => void>,
  },
  loginCodes: 0,
};

export function reset(): void {
  state.storage.clear();
  state.requests.length = 0;
  state.calls.length = 0;
  state.modalConfirm = true;
  state.routerParams = {};
  state.loginCodes = 0;
  for (const list of Object.values(state.hooks)) list.length = 0;
}

const record = (api: string) => async (arg?: unknown) => {
  state.calls.push({ api, arg });
  return {};
};

async function request(options: RequestOptions) {
  const url = new URL(options.url, 'http://api.test');
  const body = typeof options.data === 'string' ? JSON.parse(options.data) : options.data;
  const headers = options.header ?? {};
  state.requests.push({
    method: options.method ?? 'GET',
    path: url.pathname,
    body,
    headers,
    timeout: options.timeout,
  });
  const answer = await state.backend({
    method: options.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    body,
    headers,
  });
  return { statusCode: answer.status, data: answer.data, header: {} };
}

const Taro = {
  request,
  getStorageSync: (key: string) => state.storage.get(key) ?? '',
  setStorageSync: (key: string, value: unknown) => void state.storage.set(key, value),
  removeStorageSync: (key: string) => void state.storage.delete(key),
  login: async () => ({ code: `code-${++state.loginCodes}` }),
  showToast: record('showToast'),
  showModal: async (arg: unknown) => {
    state.calls.push({ api: 'showModal', arg });
    return { confirm: state.modalConfirm, cancel: !state.modalConfirm };
  },
  navigateTo: record('navigateTo'),
  redirectTo: record('redirectTo'),
  switchTab: record('switchTab'),
  stopPullDownRefresh: record('stopPullDownRefresh'),
  requestSubscribeMessage: record('requestSubscribeMessage'),
  scanCode: async () => ({ result: '' }),
  getScreenBrightness: async () => ({ value: 0.5 }),
  setScreenBrightness: record('setScreenBrightness'),
  requestPayment: record('requestPayment'),
};

export default Taro;
export const useRouter = () => ({ params: state.routerParams, path: '' });
export const useDidShow = (cb: () => void) => void state.hooks.didShow.push(cb);
export const useDidHide = (cb: () => void) => void state.hooks.didHide.push(cb);
export const usePullDownRefresh = (cb: () => void) => void state.hooks.pullDown.push(cb);
export const useReachBottom = (cb: () => void) => void state.hooks.reachBottom.push(cb);
export const useLaunch = (cb: (o: unknown) => void) => void state.hooks.launch.push(cb);
