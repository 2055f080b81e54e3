import { routes, type RouteDef } from '@huoyue/shared';
import { z } from 'zod';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};

function toSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'openapi-3.0',
  }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** The OpenAPI document, built from the same contract the server validates with and the clients call through. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const group of Object.values(routes)) {
    for (const [name, route] of Object.entries(group as Record<string, RouteDef>)) {
      const path = `/api${route.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`;
      const parameters: unknown[] = [];
      for (const [where, schema] of [
        ['path', route.params],
        ['query', route.query],
      ] as const) {
        if (!schema) continue;
        const json = toSchema(schema, 'input') as {
          properties?: Record<string, unknown>;
          required?: string[];
        };
        for (const [key, value] of Object.entries(json.properties ?? {})) {
          parameters.push({
            name: key,
            in: where,
            required: where === 'path' || Boolean(json.required?.includes(key)),
            schema: value,
          });
        }
      }
      const status = String(route.status ?? 200);
      paths[path] ??= {};
      paths[path][route.method.toLowerCase()] = {
        operationId: `${route.tag}.${name}`,
        summary: route.summary,
        tags: [route.tag],
        ...(route.auth.kind === 'public' ? {} : { security: [{ bearer: [] }] }),
        ...(route.auth.kind === 'staff'
          ? { description: `Staff roles: ${route.auth.roles.join(', ')}` }
          : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(route.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: toSchema(route.body, 'input') } },
              },
            }
          : {}),
        responses: {
          [status]: {
            description: 'OK',
            content: {
              [route.stream ?? 'application/json']: { schema: toSchema(route.response, 'output') },
            },
          },
          default: {
            description: 'Error (the one error shape)',
            content: { 'application/json': { schema: ERROR_SCHEMA } },
          },
        },
      };
    }
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Huoyue API',
      version: '0.1.0',
      description:
        '活跃 member engagement platform. Every error: { error: { code, message, details? } }.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths,
  };
}
