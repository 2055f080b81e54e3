import type { z } from 'zod';
import {
  applyDecorators,
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  Put,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import type { RouteDef, RouteOutput } from '@huoyue/shared';
import { ContractValidationInterceptor } from './contract-validation.interceptor.js';

import { CONTRACT_ROUTE } from './contract-route.js';
export { CONTRACT_ROUTE };

const METHOD = { GET: Get, POST: Post, PUT: Put, PATCH: Patch, DELETE: Delete } as const;

/** What a handler of this route may answer: the response schema's shape, or anything for a streamed route. */
export type HandlerResult<R extends RouteDef> = R extends { stream: string }
  ? unknown
  : RouteOutput<R>;

/**
 * Binds a controller method to its entry in the shared contract: path, method, status, input validation and auth
 * all come from the one definition the clients use too. The method's return type is checked against the route's
 * response schema at compile time: a handler that answers another shape does not build.
 */
export function Contract<R extends RouteDef>(route: R) {
  const decorate = applyDecorators(
    METHOD[route.method](route.path),
    HttpCode(route.status ?? 200),
    SetMetadata(CONTRACT_ROUTE, route),
    UseInterceptors(ContractValidationInterceptor),
  );
  return <M extends (...args: never[]) => HandlerResult<R> | Promise<HandlerResult<R>>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    decorate(target, key, descriptor);
  };
}

/** What a controller parameter holds after validation: the parsed output of a route part's schema. */
export type In<T extends z.ZodType | undefined> = T extends z.ZodType ? z.output<T> : never;
