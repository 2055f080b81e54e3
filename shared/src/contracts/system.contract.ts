import { z } from 'zod';
import { defineRoute, PUBLIC } from '../route.js';

export const systemRoutes = {
  health: defineRoute({
    method: 'GET', path: '/health', auth: PUBLIC, tag: 'system', summary: 'Liveness and database reachability',
    response: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'mysql']), time: z.string() }),
  }),
} as const;
