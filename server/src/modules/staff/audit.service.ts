import { Injectable } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import type { Tx } from '../../infra/events/unit-of-work.js';
import type { Actor } from '../../infra/auth/token.service.js';
import { AuditLog } from './entities/audit-log.entity.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Secrets never enter the audit log, whatever the caller passes. */
const SECRET_FIELDS = new Set(['password', 'passwordHash', 'token', 'secret']);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of any shape
function scrub(value: unknown): any {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(scrub);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubField(k, v)]));
}

function scrubField(key: string, value: unknown): unknown {
  if (SECRET_FIELDS.has(key)) return '[redacted]';
  if (value instanceof Date) return value.toISOString();
  return scrub(value);
}

/** Who the audit log names: the staff member's username, or the integration key. */
function auditUsername(actor: Actor | null): string | null {
  if (actor === null) return null;
  return actor.kind === 'staff' ? actor.username : `integration:${actor.keyId}`;
}

@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /** Records a staff write in the caller's transaction: the change and its audit entry commit together. */
  async record(tx: Tx, actor: Actor | null, entry: AuditEntry): Promise<void> {
    await this.recordMany(tx, actor, [entry]);
  }

  /** Many records of one actor in one multi-row INSERT (a group of orders). */
  async recordMany(tx: Tx, actor: Actor | null, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((entry) => ({
      staffId: actor?.kind === 'staff' ? actor.staffId : null,
      staffUsername: auditUsername(actor),
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId === null ? null : String(entry.entityId),
      before: scrub(entry.before),
      after: scrub(entry.after),
    }));
    // updateEntity(false): nothing generated is needed back.
    await tx.em
      .createQueryBuilder()
      .insert()
      .into(AuditLog)
      .values(rows)
      .updateEntity(false)
      .execute();
  }

  async list(
    limit: number,
    cursor: string | undefined,
    filter: { staffId?: number; entityType?: string },
  ) {
    const before = cursor && /^\d+$/.test(cursor) ? Number(cursor) : undefined;
    const rows = await this.dataSource.getRepository(AuditLog).find({
      where: {
        ...(before ? { id: LessThan(before) } : {}),
        ...(filter.staffId ? { staffId: filter.staffId } : {}),
        ...(filter.entityType ? { entityType: filter.entityType } : {}),
      },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      items: page.map((a) => ({
        id: a.id,
        staffId: a.staffId,
        staffUsername: a.staffUsername,
        action: a.action,
        entityType: a.entityType,
        entityId: a.entityId,
        before: a.before ?? null,
        after: a.after ?? null,
        at: a.at.toISOString(),
      })),
      nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
    };
  }
}
