import type { ErrorCode } from './errors.js';
import { isErrorBody } from './errors.js';
import type { HttpMethod, RouteDef, RouteInput, RouteOutput } from './route.js';

export interface TransportRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}
export interface TransportResponse {
  status: number;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  data: unknown;
}
/** How bytes move: fetch in browsers and Node, Taro.request in the mini-program. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK_ERROR',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const fetchTransport: Transport = async (request) => {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK_ERROR', '网络不太稳定，请稍后再试', String(err));
  }
  const text = await response.text();
  let data: unknown = text;
  if (text && (response.headers.get('content-type') ?? '').includes('json'))
    data = JSON.parse(text);
  return { status: response.status, data };
};

export interface ApiClientOptions {
  /** e.g. http://localhost:3000/api */
  baseUrl: string;
  transport?: Transport;
  getToken?: () => string | null | undefined;
  timeoutMs?: number;
}

/** Substitutes `:name` segments; values are URI-encoded. */
export function buildPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

export function buildQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A typed client over the route table in `contracts/`: the same definitions the server validates with. */
export class ApiClient {
  private readonly transport: Transport;
  constructor(private readonly options: ApiClientOptions) {
    this.transport = options.transport ?? fetchTransport;
  }

  async call<R extends RouteDef>(
    route: R,
    input?: RouteInput<R>,
    extraHeaders: Record<string, string> = {},
  ): Promise<RouteOutput<R>> {
    const { status, data } = await this.raw(route, input, extraHeaders);
    if (status >= 200 && status < 300) return data as RouteOutput<R>;
    if (isErrorBody(data)) {
      const { code, message, details } = data.error;
      throw new ApiError(status, code, message, details);
    }
    throw new ApiError(status, 'INTERNAL', '服务暂时不可用，请稍后再试', data);
  }

  /** The status and body as they came, for callers (and tests) that look at failures themselves. */
  async raw<R extends RouteDef>(
    route: R,
    input?: RouteInput<R>,
    extraHeaders: Record<string, string> = {},
  ): Promise<TransportResponse> {
    const i = (input ?? {}) as {
      body?: unknown;
      query?: Record<string, unknown>;
      params?: Record<string, unknown>;
    };
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    const token = this.options.getToken?.();
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (i.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(i.body);
    }
    const url =
      this.options.baseUrl.replace(/\/$/, '') +
      buildPath(route.path, i.params) +
      buildQuery(i.query);
    return this.transport({
      method: route.method,
      url,
      headers,
      body,
      timeoutMs: this.options.timeoutMs ?? 10_000,
    });
  }
}
