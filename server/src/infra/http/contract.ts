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
import type { RouteDef } from '@huoyue/shared';
import { ContractValidationInterceptor } from './contract-validation.interceptor.js';

import { CONTRACT_ROUTE } from './contract-route.js';
export { CONTRACT_ROUTE };

const METHOD = { GET: Get, POST: Post, PUT: Put, PATCH: Patch, DELETE: Delete } as const;

/**
 * Binds a controller method to its entry in the shared contract: path, method, status,
 * input validation and auth all come from the one definition the clients use too.
 */
export function Contract(route: RouteDef): MethodDecorator {
  return applyDecorators(
    METHOD[route.method](route.path),
    HttpCode(route.status ?? 200),
    SetMetadata(CONTRACT_ROUTE, route),
    UseInterceptors(ContractValidationInterceptor),
  );
}

/** What a controller parameter holds after validation: the parsed output of a route part's schema. */
export type In<T extends z.ZodType | undefined> = T extends z.ZodType ? z.output<T> : never;
