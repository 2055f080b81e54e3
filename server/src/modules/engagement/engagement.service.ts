import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { brandDay, type EngagementType } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { bulkInsert, sqlInstant } from '../../infra/database/bulk.js';
import type { Tx } from '../../infra/events/unit-of-work.js';
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
  async recordMany(
    tx: Tx,
    inputs: (EngagementInput & { occurredAt: Date; sourceRef: string })[],
  ): Promise<void> {
    const kind = this.config.database.kind;
    const rows = inputs.map((i) => [
      i.memberId,
      i.type,
      sqlInstant(kind, i.occurredAt),
      brandDay(i.occurredAt, this.config.brandTimezone),
      i.properties ? JSON.stringify(i.properties) : null,
      i.sourceRef,
    ]);
    await bulkInsert(
      tx.em,
      kind,
      'engagement_event',
      ['member_id', 'type', 'occurred_at', 'day', 'properties', 'source_ref'],
      rows,
      { ignore: true },
    );
  }

  async record(tx: Tx, input: EngagementInput): Promise<void> {
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
      await tx.em
        .createQueryBuilder()
        .insert()
        .into(EngagementEvent)
        .values(row)
        .orIgnore()
        .execute();
    } else {
      await tx.em.insert(EngagementEvent, row);
    }
  }

  /** Per brand-local day from `fromDay` on: check-ins, redemptions and purchases (the log's (day, type) index). */
  async dailyCounts(
    fromDay: string,
  ): Promise<Map<string, { checkins: number; redemptions: number; purchases: number }>> {
    const rows = (await this.dataSource.query(
      'SELECT day, type, COUNT(*) AS n FROM engagement_event ' +
        "WHERE day >= ? AND type IN ('checkin', 'redemption', 'purchase') GROUP BY day, type",
      [fromDay],
    )) as { day: string | Date; type: string; n: number }[];
    const days = new Map<string, { checkins: number; redemptions: number; purchases: number }>();
    for (const r of rows) {
      const day = typeof r.day === 'string' ? r.day.slice(0, 10) : brandDay(r.day, 'UTC');
      const entry = days.get(day) ?? { checkins: 0, redemptions: 0, purchases: 0 };
      if (r.type === 'checkin') entry.checkins = Number(r.n);
      else if (r.type === 'redemption') entry.redemptions = Number(r.n);
      else entry.purchases = Number(r.n);
      days.set(day, entry);
    }
    return days;
  }

  /**
   * What members did inside [from, to): how many took part (bought, checked in, redeemed or used a coupon), orders
   * and their spend, coupons claimed and used. Member-day reports.
   */
  async windowFigures(
    from: Date,
    to: Date,
  ): Promise<{
    participants: number;
    orders: number;
    spend: number;
    claimed: number;
    used: number;
  }> {
    const kind = this.config.database.kind;
    const [row] = (await this.dataSource.query(
      `SELECT COUNT(DISTINCT CASE WHEN type IN ('purchase', 'checkin', 'redemption', 'coupon_use')
           THEN member_id END) AS participants,
         SUM(CASE WHEN type = 'purchase' THEN 1 ELSE 0 END) AS orders,
         SUM(CASE WHEN type = 'purchase' THEN COALESCE(JSON_EXTRACT(properties, '$.amount'), 0) ELSE 0 END)
           AS spend,
         SUM(CASE WHEN type = 'coupon_claim' THEN 1 ELSE 0 END) AS claimed,
         SUM(CASE WHEN type = 'coupon_use' THEN 1 ELSE 0 END) AS used
       FROM engagement_event WHERE occurred_at >= ? AND occurred_at < ?`,
      [sqlInstant(kind, from), sqlInstant(kind, to)],
    )) as {
      participants: number;
      orders: number | null;
      spend: number | string | null;
      claimed: number | null;
      used: number | null;
    }[];
    return {
      participants: Number(row?.participants ?? 0),
      orders: Number(row?.orders ?? 0),
      spend: Number(row?.spend ?? 0),
      claimed: Number(row?.claimed ?? 0),
      used: Number(row?.used ?? 0),
    };
  }

  recent(memberId: number, limit: number): Promise<EngagementEvent[]> {
    return this.dataSource
      .getRepository(EngagementEvent)
      .find({ where: { memberId }, order: { occurredAt: 'DESC', id: 'DESC' }, take: limit });
  }

  all(memberId: number): Promise<EngagementEvent[]> {
    return this.dataSource
      .getRepository(EngagementEvent)
      .find({ where: { memberId }, order: { occurredAt: 'ASC', id: 'ASC' } });
  }

  /** When two member records turn out to be one person, the history follows the survivor. */
  async reassign(tx: Tx, fromMemberId: number, toMemberId: number): Promise<void> {
    await tx.em.update(EngagementEvent, { memberId: fromMemberId }, { memberId: toMemberId });
  }

  /** On account closure the history stays for anonymous statistics, but without its personal details. */
  async anonymise(tx: Tx, memberId: number): Promise<void> {
    await tx.em.update(EngagementEvent, { memberId }, { properties: null });
  }
}
