import type { z } from 'zod';
import type { StaffRole } from './constants.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route: anyone, a member (or visitor) token, or a staff token with one of the roles. */
export type RouteAuth =
  { kind: 'public' } | { kind: 'member' } | { kind: 'staff'; roles: readonly StaffRole[] };

/**
 * One entry of the API contract. Server controllers bind to these (validation, auth, OpenAPI);
 * clients call through them, so a path or a shape is written down exactly once.
 */
export interface RouteDef<
  TBody extends z.ZodType | undefined = z.ZodType | undefined,
  TQuery extends z.ZodType | undefined = z.ZodType | undefined,
  TParams extends z.ZodType | undefined = z.ZodType | undefined,
  TResponse extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** Fastify-style path under /api, e.g. `/admin/members/:id`. */
  path: string;
  auth: RouteAuth;
  summary: string;
  tag: string;
  status?: number;
  body?: TBody;
  query?: TQuery;
  params?: TParams;
  response: TResponse;
  /**
   * A route that streams its answer in this content type instead of JSON (a CSV export): its handler writes to the
   * reply itself, and `response` describes the text it streams.
   */
  stream?: 'text/csv';
  /** Routes whose body is not JSON (CSV uploads) skip body validation. */
  rawBody?: boolean;
  /**
   * Staff routes that POS and e-commerce systems may also call with an integration key: an HMAC-SHA256 signature
   * of `${METHOD}\n${path with query}\n${timestamp}\n${raw body}` in `x-huoyue-signature`, the key id in
   * `x-huoyue-key`, the Unix time in `x-huoyue-timestamp` (±5 minutes), each signature accepted once.
   */
  integration?: boolean;
}

export function defineRoute<
  TBody extends z.ZodType | undefined = undefined,
  TQuery extends z.ZodType | undefined = undefined,
  TParams extends z.ZodType | undefined = undefined,
  TResponse extends z.ZodType = z.ZodType,
>(route: RouteDef<TBody, TQuery, TParams, TResponse>): RouteDef<TBody, TQuery, TParams, TResponse> {
  return route;
}

/** A route that streams text (a CSV export): its type says so, so its handler may write to the reply itself. */
export function defineStreamRoute<
  TQuery extends z.ZodType | undefined = undefined,
  TParams extends z.ZodType | undefined = undefined,
  TResponse extends z.ZodType = z.ZodType,
>(
  route: RouteDef<undefined, TQuery, TParams, TResponse> & { stream: 'text/csv' },
): RouteDef<undefined, TQuery, TParams, TResponse> & { stream: 'text/csv' } {
  return route;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type BodyOf<R> = R extends RouteDef<infer B, any, any, any> ? B : undefined;
type QueryOf<R> = R extends RouteDef<any, infer Q, any, any> ? Q : undefined;
type ParamsOf<R> = R extends RouteDef<any, any, infer P, any> ? P : undefined;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** What a caller passes: only the parts the route declares. */
export type RouteInput<R extends RouteDef> = ([BodyOf<R>] extends [z.ZodType]
  ? { body: z.input<BodyOf<R>> }
  : { body?: undefined }) &
  ([QueryOf<R>] extends [z.ZodType] ? { query?: z.input<QueryOf<R>> } : { query?: undefined }) &
  ([ParamsOf<R>] extends [z.ZodType] ? { params: z.input<ParamsOf<R>> } : { params?: undefined });

export type RouteOutput<R extends RouteDef> = z.output<R['response']>;

export const PUBLIC: RouteAuth = { kind: 'public' };
export const MEMBER: RouteAuth = { kind: 'member' };
export const staff = (...roles: StaffRole[]): RouteAuth => ({ kind: 'staff', roles });
