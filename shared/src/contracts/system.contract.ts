import { z } from 'zod';
import { defineRoute, PUBLIC, staff } from '../route.js';

export const jobName = z.enum([
  'points.release_pending',
  'points.expire',
  'points.expiry_notice',
  'tiers.period_end',
  'tiers.retention_notice',
  'imports.resume',
  'badges.anniversary',
  'leaderboards.refresh',
  'coupons.expire',
  'coupons.expiry_notice',
  'mall.payment_timeout',
  'lifecycle.nightly',
  'lifecycle.model_fit',
  'automations.daily',
  'member_days.tick',
  'checkins.prune_limits',
]);
export const runJobBody = z.strictObject({ asOf: z.iso.datetime({ offset: true }).optional() });

export const integrationKeyView = z.object({
  keyId: z.string(),
  name: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
});

export const systemRoutes = {
  health: defineRoute({
    method: 'GET',
    path: '/health',
    auth: PUBLIC,
    tag: 'system',
    summary: 'Liveness and database reachability',
    response: z.object({
      status: z.literal('ok'),
      database: z.enum(['sqlite', 'mysql']),
      time: z.string(),
    }),
  }),
  runJob: defineRoute({
    method: 'POST',
    path: '/admin/jobs/:name/run',
    auth: staff('owner'),
    tag: 'admin-ops',
    summary: 'Run a scheduled job now (optionally as of a moment, for backfill)',
    params: z.strictObject({ name: jobName }),
    body: runJobBody,
    response: z.object({ name: jobName, affected: z.number().int() }),
  }),
  createIntegrationKey: defineRoute({
    method: 'POST',
    path: '/admin/integration-keys',
    auth: staff('owner'),
    tag: 'admin-ops',
    status: 201,
    summary: 'A key for POS and e-commerce webhooks; the secret is shown once',
    body: z.strictObject({ name: z.string().trim().min(1).max(64) }),
    response: integrationKeyView.extend({ secret: z.string() }),
  }),
} as const;
