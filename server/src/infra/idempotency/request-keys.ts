import { createHash } from 'node:crypto';
import { type EntityManager, In } from 'typeorm';
import { bulkInsert } from '../database/bulk.js';
import { dialectOf, insertIgnore } from '../database/dialect.js';
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

/** Of these request ids, the ones already claimed in `scope` (a group of commands sends those the single way). */
export async function claimedRequestKeys(
  em: EntityManager,
  scope: string,
  requestKeys: string[],
): Promise<Set<string>> {
  if (requestKeys.length === 0) return new Set();
  const rows = await em.find(RequestKey, {
    select: { requestKey: true },
    where: { scope, requestKey: In([...new Set(requestKeys)]) },
  });
  return new Set(rows.map((r) => r.requestKey));
}

/**
 * Claims many first uses at once, in the caller's transaction, with one multi-row INSERT. The caller checked they
 * were free (claimedRequestKeys); one taken meanwhile by a parallel request fails the insert, and with it the
 * caller's transaction, whose commands then go the single way (claimRequestKey).
 */
export async function claimRequestKeys(
  em: EntityManager,
  scope: string,
  requests: { requestKey: string; request: unknown }[],
): Promise<void> {
  await bulkInsert(
    em,
    dialectOf(em),
    'request_key',
    ['scope', 'request_key', 'request_hash'],
    requests.map((r) => [scope, r.requestKey, canonicalHash(r.request)]),
  );
}
