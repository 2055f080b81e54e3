import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { brandDay, type EngagementType } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { bulkInsert, sqlInstant } from '../../infra/database/bulk.js';
import { EngagementEvent } from './engagement-event.entity.js';

export interface EngagementInput {
  memberId: number;
  type: EngagementType;
  occurredAt?: Date;
  properties?: Record<string, string | number | boolean | null> | null;
  sourceRef?: string | null;
}

/** Appends member actions to the engagement log, in the caller's transaction so the action and its record are one. */
@Injectable()
export class EngagementService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Bulk append for imports: one multi-row statement; entries whose (type, source) is already logged are skipped. */
  async recordMany(em: EntityManager, inputs: (EngagementInput & { occurredAt: Date; sourceRef: string })[]): Promise<void> {
    const kind = this.config.database.kind;
    const rows = inputs.map((i) => [i.memberId, i.type, sqlInstant(kind, i.occurredAt), brandDay(i.occurredAt, this.config.brandTimezone), i.properties ? JSON.stringify(i.properties) : null, i.sourceRef]);
    await bulkInsert(em, kind, 'engagement_event', ['member_id', 'type', 'occurred_at', 'day', 'properties', 'source_ref'], rows, { ignore: true });
  }

  async record(em: EntityManager, input: EngagementInput): Promise<void> {
    const occurredAt = input.occurredAt ?? new Date();
    const row = {
      memberId: input.memberId,
      type: input.type,
      occurredAt,
      day: brandDay(occurredAt, this.config.brandTimezone),
      properties: input.properties ?? null,
      sourceRef: input.sourceRef ?? null,
    };
    if (row.sourceRef) {
      // A replayed action (same type and source) is logged once.
      await em.createQueryBuilder().insert().into(EngagementEvent).values(row).orIgnore().execute();
    } else {
      await em.insert(EngagementEvent, row);
    }
  }

  recent(memberId: number, limit: number): Promise<EngagementEvent[]> {
    return this.dataSource.getRepository(EngagementEvent).find({ where: { memberId }, order: { occurredAt: 'DESC', id: 'DESC' }, take: limit });
  }

  all(memberId: number): Promise<EngagementEvent[]> {
    return this.dataSource.getRepository(EngagementEvent).find({ where: { memberId }, order: { occurredAt: 'ASC', id: 'ASC' } });
  }

  /** When two member records turn out to be one person, the history follows the survivor. */
  async reassign(em: EntityManager, fromMemberId: number, toMemberId: number): Promise<void> {
    await em.update(EngagementEvent, { memberId: fromMemberId }, { memberId: toMemberId });
  }

  /** On account closure the history stays for anonymous statistics, but without its personal details. */
  async anonymise(em: EntityManager, memberId: number): Promise<void> {
    await em.update(EngagementEvent, { memberId }, { properties: null });
  }
}
