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

/** An integration key as listed: never its secret, only its last 4 characters. */
export const integrationKeyView = z.object({
  keyId: z.string(),
  name: z.string(),
  /** false once revoked: every request signed with it is refused. */
  active: z.boolean(),
  /** The secret's last 4 characters (null for keys made before they were kept). */
  secretHint: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  rotatedAt: z.string().nullable(),
  /** After a rotation, the previous secret is still accepted until then (the overlap window). */
  previousValidUntil: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
const keyIdParam = z.strictObject({
  keyId: z.string().regex(/^ik_[0-9a-f]{16}$/, '密钥编号不正确'),
});

export const systemRoutes = {
  health: defineRoute({
    method: 'GET',
    path: '/health',
    auth: PUBLIC,
    tag: 'system',
    summary: 'Liveness, database reachability and how far domain-event delivery is behind',
    response: z.object({
      status: z.literal('ok'),
      database: z.enum(['sqlite', 'mysql']),
      time: z.string(),
      /** Domain events not yet delivered to every handler, and the oldest one's age (0 when none). */
      outbox: z.object({
        undelivered: z.number().int(),
        oldestAgeSeconds: z.number().int(),
      }),
    }),
  }),
  live: defineRoute({
    method: 'GET',
    path: '/health/live',
    auth: PUBLIC,
    tag: 'system',
    summary: 'Liveness: the process is up and answering (no database call)',
    response: z.object({ status: z.literal('ok') }),
  }),
  ready: defineRoute({
    method: 'GET',
    path: '/health/ready',
    auth: PUBLIC,
    tag: 'system',
    summary:
      'Readiness: the database answers and no migration is pending; 503 (SERVICE_UNAVAILABLE) otherwise',
    response: z.object({
      status: z.literal('ready'),
      role: z.enum(['api', 'worker', 'all']),
      database: z.enum(['sqlite', 'mysql']),
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
  listIntegrationKeys: defineRoute({
    method: 'GET',
    path: '/admin/integration-keys',
    auth: staff('owner'),
    tag: 'admin-ops',
    summary: 'Integration keys, newest first (never their secrets)',
    response: z.object({ items: z.array(integrationKeyView) }),
  }),
  rotateIntegrationKey: defineRoute({
    method: 'POST',
    path: '/admin/integration-keys/:keyId/rotate',
    auth: staff('owner'),
    tag: 'admin-ops',
    summary:
      'A new secret (shown once); the previous one stays valid for overlapHours ' +
      '(default INTEGRATION_KEY_OVERLAP_HOURS)',
    params: keyIdParam,
    body: z.strictObject({ overlapHours: z.number().min(0).max(720).optional() }),
    response: integrationKeyView.extend({ secret: z.string() }),
  }),
  revokeIntegrationKey: defineRoute({
    method: 'POST',
    path: '/admin/integration-keys/:keyId/revoke',
    auth: staff('owner'),
    tag: 'admin-ops',
    summary: 'Revoke a key at once: every request signed with it (old or new secret) is refused',
    params: keyIdParam,
    response: integrationKeyView,
  }),
} as const;
