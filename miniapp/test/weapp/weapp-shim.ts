/* eslint-disable @typescript-eslint/no-require-imports -- the compiled weapp bundle is CommonJS, loaded by path
   as WeChat loads it */
/**
 * Runs Taro's compiled weapp output (dist/weapp) on miniprogram-simulate's `wx` (its API stand-ins), with the
 * small shim Taro's pages need: global App() and Page() that capture their options, an app and page instance
 * whose setData keeps the data the real renderer would get, and `wx.request` / `wx.login` answered by the test.
 */
import * as path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';

export const WEAPP_DIR = path.resolve(__dirname, '../../dist/weapp');

type Options = Record<string, (...args: unknown[]) => unknown> & { data?: Record<string, unknown> };
export type Node = {
  sid?: string;
  nn?: string | number;
  v?: string;
  cl?: string;
  src?: string;
  cn?: Node[];
  [key: string]: unknown;
};
export type Answer = { status: number; data: unknown };

const captured: { app?: Options; pages: Map<string, Options> } = { pages: new Map() };
let booted = false;

export const network = {
  answer: (_method: string, _url: string, _body: unknown): Answer => ({ status: 404, data: {} }),
  requests: [] as Array<{ method: string; url: string; body: unknown }>,
};

/** Sets `root.cn[0].v`-style paths, as the mini-program's setData does. */
function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.replace(/\.?\[(\d+)\]/g, '.$1').split('.');
  let at: Record<string, unknown> = target;
  parts.slice(0, -1).forEach((p, i) => {
    if (at[p] === undefined || at[p] === null) at[p] = /^\d+$/.test(parts[i + 1]!) ? [] : {};
    at = at[p] as Record<string, unknown>;
  });
  at[parts[parts.length - 1]!] = value;
}

export function boot(): void {
  if (booted) return;
  if (!existsSync(path.join(WEAPP_DIR, 'app.js')))
    throw new Error('no weapp build: run `npm run build:weapp` first');
  require('miniprogram-simulate'); // global wx with the platform's API stand-ins
  const g = global as unknown as Record<string, unknown>;
  g.App = (o: Options) => (captured.app = o);
  g.Page = (o: Options) => captured.pages.set(currentRoute, o);
  g.getApp = () => captured.app;
  g.getCurrentPages = () => [];
  const wx = g.wx as Record<string, unknown>;
  wx.request = (o: {
    url: string;
    method?: string;
    data?: unknown;
    success?: (r: unknown) => void;
    fail?: (e: unknown) => void;
    complete?: (r: unknown) => void;
  }) => {
    const body = typeof o.data === 'string' && o.data ? JSON.parse(o.data) : o.data;
    network.requests.push({ method: o.method ?? 'GET', url: o.url, body });
    setTimeout(() => {
      const a = network.answer(o.method ?? 'GET', o.url, body);
      if (process.env.SHIM_DEBUG) console.log('answer', o.url, Object.keys(o), a.status);
      const res = { statusCode: a.status, data: a.data, header: {}, errMsg: 'request:ok' };
      o.success?.(res);
      o.complete?.(res);
    }, 1);
    return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
  };
  wx.login = (o: { success?: (r: unknown) => void; complete?: (r: unknown) => void }) => {
    const res = { code: 'weapp-login-code', errMsg: 'login:ok' };
    setTimeout(() => (o.success?.(res), o.complete?.(res)), 1);
  };
  require(path.join(WEAPP_DIR, 'app.js'));
  const app = Object.assign(Object.create(captured.app!), {});
  (captured.app!.onLaunch as (o: unknown) => void).call(app, {
    path: 'pages/home/index',
    query: {},
    scene: 1001,
  });
  booted = true;
}

let currentRoute = '';

let bound: Set<string> | undefined;
/** The node kinds (nn) whose template in base.wxml binds tap, i.e. those WeChat would call eh on. */
function tapBound(): Set<string> {
  if (bound) return bound;
  const wxml = readFileSync(path.join(WEAPP_DIR, 'base.wxml'), 'utf8');
  bound = new Set<string>();
  for (const m of wxml.matchAll(/<template name="tmpl_0_(\d+)">\s*<[^>]*?bindtap="eh"/g))
    bound.add(m[1]!);
  return bound;
}

export interface LoadedPage {
  data: { root?: Node };
  instance: Record<string, unknown>;
  texts(): string[];
  find(predicate: (n: Node) => boolean): Node | undefined;
  tap(node: Node): void;
  settle(ms?: number): Promise<void>;
}

/** Loads a compiled page as WeChat would: require its module, onLoad(query), onShow; setData fills `data`. */
export function loadPage(route: string, query: Record<string, string> = {}): LoadedPage {
  boot();
  currentRoute = route;
  require(path.join(WEAPP_DIR, `${route}.js`));
  const options = captured.pages.get(route)!;
  const data: Record<string, unknown> = JSON.parse(JSON.stringify(options.data ?? {}));
  const instance: Record<string, unknown> = Object.assign(Object.create(options), {
    route,
    __route__: route,
    options: query,
    data,
    setData(patch: Record<string, unknown>, cb?: () => void) {
      if (process.env.SHIM_DEBUG) console.log('setData', Object.keys(patch).join(','));
      for (const [k, v] of Object.entries(patch)) setPath(data, k, v);
      cb?.();
    },
  });
  (options.onLoad as (q: unknown) => void).call(instance, query);
  (options.onShow as () => void).call(instance);
  options.onReady?.call(instance);

  const all = (n: Node | undefined, out: Node[] = []): Node[] => {
    if (!n) return out;
    out.push(n);
    for (const c of n.cn ?? []) all(c, out);
    return out;
  };
  return {
    data: data,
    instance,
    texts: () =>
      all(data.root as Node)
        .filter((n) => typeof n.v === 'string')
        .map((n) => n.v!),
    find: (p) => all(data.root as Node).find(p),
    tap(node) {
      // As WeChat bubbles a tap: eh runs on the tapped element and then on each ancestor whose template binds
      // tap (Taro defers the inner dispatches to the outermost bound one).
      const trail: Node[] = [];
      const walk = (n: Node, up: Node[]): boolean =>
        n === node ? (trail.push(...up, n), true) : (n.cn ?? []).some((c) => walk(c, [...up, n]));
      walk(data.root as Node, []);
      const target = { id: node.sid, dataset: { sid: node.sid } };
      for (const n of trail.reverse()) {
        if (!n.sid || !tapBound().has(String(n.nn))) continue;
        const e = {
          type: 'tap',
          timeStamp: Date.now(),
          detail: {},
          target,
          currentTarget: { id: n.sid, dataset: { sid: n.sid } },
          touches: [],
          changedTouches: [],
        };
        (options.eh as (e: unknown) => void).call(instance, e);
      }
    },
    settle: (ms = 50) => new Promise((r) => setTimeout(r, ms)),
  };
}

/** The texts under a node, joined. */
export function textOf(n: Node): string {
  return (typeof n.v === 'string' ? n.v : '') + (n.cn ?? []).map(textOf).join('');
}
