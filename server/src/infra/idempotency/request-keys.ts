import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { insertIgnore } from '../database/dialect.js';
import { DomainError } from '../http/domain-error.js';
import { RequestKey } from './request-key.entity.js';

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/** The same request in the same words hashes the same, whatever the key order of its JSON. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}

/**
 * Claims a client's request id for this request, in the caller's transaction (so a rolled-back write leaves the id
 * free): the first use stores the request's hash and answers 'first'; a repeat of the same request answers
 * 'repeat' (the caller replays its first answer); the same id with a different request is a 409. A first use is
 * the rule, so it costs one INSERT IGNORE, and the look-up happens only when the id was taken. Two first uses at
 * once: the second waits on the first's row, then finds it committed ('repeat') or rolled back (its insert goes in).
 */
export async function claimRequestKey(
  em: EntityManager,
  scope: string,
  requestKey: string,
  request: unknown,
): Promise<'first' | 'repeat'> {
  const requestHash = canonicalHash(request);
  const row = { scope, request_key: requestKey, request_hash: requestHash };
  if (await insertIgnore(em, 'request_key', row)) return 'first';
  const existing = await em.findOneBy(RequestKey, { scope, requestKey });
  if (!existing) throw new Error(`request key ${scope}/${requestKey} neither new nor found`);
  if (existing.requestHash !== requestHash)
    throw new DomainError(
      'REQUEST_ID_REUSED',
      '该请求编号已用于内容不同的另一次操作；重试请原样重发，新的操作请使用新的请求编号',
    );
  return 'repeat';
}
