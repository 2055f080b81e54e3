import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addDays, startOfBrandDay, zoneOffsetMinutes } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { localDateSql, sqlInstant } from '../../infra/database/bulk.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { PointsEntry } from './entities/points-entry.entity.js';
import { PointsLot } from './entities/points-lot.entity.js';

/**
 * Reads of the points ledger that change nothing: a member's entries and open lots, and the sums the leaderboard
 * and the dashboard show.
 */
@Injectable()
export class PointsReports {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Per member, the points whose last usable brand-local day is `day` (for "expiring in N days" journeys). */
  async expiringOn(day: string): Promise<{ memberId: number; points: number }[]> {
    const tz = this.config.brandTimezone;
    const rows = await this.dataSource
      .getRepository(PointsLot)
      .createQueryBuilder('l')
      .select('l.member_id', 'memberId')
      .addSelect('SUM(l.remaining)', 'points')
      .where(
        "l.status = 'available' AND l.remaining > 0 AND l.expires_at > :from AND l.expires_at <= :to",
        { from: startOfBrandDay(day, tz), to: startOfBrandDay(addDays(day, 1), tz) },
      )
      .groupBy('l.member_id')
      .getRawMany<{ memberId: number; points: number }>();
    return rows.map((r) => ({ memberId: Number(r.memberId), points: Number(r.points) }));
  }

  async ledger(
    memberId: number,
    limit: number,
    cursor?: string,
  ): Promise<{ items: PointsEntry[]; nextCursor: string | null }> {
    const before = cursor ? Number(cursor) : undefined;
    if (cursor !== undefined && (!Number.isInteger(before) || before! <= 0))
      throw new DomainError('VALIDATION_FAILED', '分页游标无效');
    const qb = this.dataSource
      .getRepository(PointsEntry)
      .createQueryBuilder('e')
      .where('e.member_id = :memberId', { memberId });
    if (before) qb.andWhere('e.id < :before', { before });
    const rows = await qb
      .orderBy('e.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null };
  }

  /** Balances and growth of a page of members at once (lists and exports), one query. */
  async balancesOf(memberIds: number[]): Promise<Map<number, { balance: number; growth: number }>> {
    if (memberIds.length === 0) return new Map();
    const rows: { member_id: number; balance: number; growth: number }[] =
      await this.dataSource.query(
        `SELECT member_id, balance, growth FROM points_account WHERE member_id IN (${memberIds
          .map(() => '?')
          .join(',')})`,
        memberIds,
      );
    return new Map(
      rows.map((r) => [
        Number(r.member_id),
        { balance: Number(r.balance), growth: Number(r.growth) },
      ]),
    );
  }

  /** Available lots with points left, soonest expiry first. */
  openLots(memberId: number): Promise<PointsLot[]> {
    return this.dataSource
      .getRepository(PointsLot)
      .createQueryBuilder('l')
      .where("l.member_id = :memberId AND l.status = 'available' AND l.remaining > 0", { memberId })
      .orderBy('CASE WHEN l.expires_at IS NULL THEN 1 ELSE 0 END')
      .addOrderBy('l.expires_at')
      .addOrderBy('l.id')
      .getMany();
  }

  /** Points earned (orders and rewards) between two instants, best first: the points leaderboard's source. */
  async topEarners(
    from: Date,
    to: Date,
    limit: number,
  ): Promise<{ memberId: number; score: number }[]> {
    const kind = this.config.database.kind;
    const rows: { member_id: number; score: number | string }[] = await this.dataSource.query(
      `SELECT member_id, SUM(points) AS score FROM points_entry
        WHERE type IN ('earn', 'reward') AND created_at >= ? AND created_at < ?
        GROUP BY member_id ORDER BY score DESC, member_id ASC LIMIT ${Math.floor(limit)}`,
      [sqlInstant(kind, from), sqlInstant(kind, to)],
    );
    return rows.map((r) => ({ memberId: Number(r.member_id), score: Number(r.score) }));
  }

  /** Per brand-local day from `fromDay` on: points issued (earn, reward) and spent (spend). */
  async dailyTotals(fromDay: string): Promise<Map<string, { issued: number; spent: number }>> {
    const kind = this.config.database.kind;
    const day = localDateSql(
      kind,
      'created_at',
      zoneOffsetMinutes(this.config.brandTimezone, new Date()),
    );
    const rows = (await this.dataSource.query(
      `SELECT ${day} AS day,
              SUM(CASE WHEN type IN ('earn', 'reward') THEN points ELSE 0 END) AS issued,
              SUM(CASE WHEN type = 'spend' THEN ABS(points) ELSE 0 END) AS spent
       FROM points_entry WHERE created_at >= ? GROUP BY ${day}`,
      [sqlInstant(kind, startOfBrandDay(fromDay, this.config.brandTimezone))],
    )) as { day: string | Date; issued: number | string | null; spent: number | string | null }[];
    return new Map(
      rows.map((r) => [
        typeof r.day === 'string' ? r.day.slice(0, 10) : r.day.toISOString().slice(0, 10),
        { issued: Number(r.issued ?? 0), spent: Number(r.spent ?? 0) },
      ]),
    );
  }

  /** Points issued to everyone (earned and rewarded) inside [from, to). */
  async issuedBetween(from: Date, to: Date): Promise<number> {
    const kind = this.config.database.kind;
    const [row] = (await this.dataSource.query(
      'SELECT COALESCE(SUM(points), 0) AS p FROM points_entry ' +
        "WHERE type IN ('earn', 'reward') AND created_at >= ? AND created_at < ?",
      [sqlInstant(kind, from), sqlInstant(kind, to)],
    )) as { p: number | string }[];
    return Number(row?.p ?? 0);
  }

  async earnedBetween(memberId: number, from: Date, to: Date): Promise<number> {
    const kind = this.config.database.kind;
    const [row] = (await this.dataSource.query(
      `SELECT SUM(points) AS score FROM points_entry
        WHERE member_id = ? AND type IN ('earn', 'reward') AND created_at >= ? AND created_at < ?`,
      [memberId, sqlInstant(kind, from), sqlInstant(kind, to)],
    )) as { score: number | string | null }[];
    return Number(row?.score ?? 0);
  }
}
