import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import {
  addMonths,
  brandDay,
  type Leaderboard,
  LEADERBOARDS,
  type leaderboardView,
  maskNickname,
  startOfBrandDay,
} from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { bulkInsert, sqlInstant } from '../../infra/database/bulk.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { CheckinsService } from '../checkins/index.js';
import { MembersService } from '../members/index.js';
import { PointsReports } from '../points/index.js';
import { LeaderboardEntry, LeaderboardOptout } from './leaderboard.entity.js';

type LeaderboardView = z.output<typeof leaderboardView>;

/** Rows kept per board and month; members below them see their score without a rank ("1000 名以外"). */
const SNAPSHOT_SIZE = 1000;
const TOP = 100;
/** How long a process serves the top 100 from memory before reading the snapshot again. */
const CACHE_MS = 30_000;

/**
 * This month's leaderboards: the longest check-in streak and the points earned. A job precomputes the top
 * 1,000 of each into `leaderboard_entry` (every 5 minutes); a read is the top 100 from memory plus one indexed
 * row for me, so reads stay cheap under load with no Redis. Nicknames are masked; opted-out members are left out.
 */
@Injectable()
export class LeaderboardsService {
  private readonly cache = new Map<
    string,
    {
      at: number;
      top: { rank: number; memberId: number; nickname: string; score: number }[];
      updatedAt: Date | null;
    }
  >();
  private refreshing: Promise<number> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly checkins: CheckinsService,
    private readonly points: PointsReports,
    private readonly members: MembersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  period(now: Date): string {
    return brandDay(now, this.config.brandTimezone).slice(0, 7);
  }

  /** Recomputes both boards for the month of `asOf`. Answers the rows written. */
  refresh(asOf = new Date()): Promise<number> {
    this.refreshing ??= this.doRefresh(asOf).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  async read(board: Leaderboard, memberId: number, now = new Date()): Promise<LeaderboardView> {
    const period = this.period(now);
    const optedOut = await this.dataSource.getRepository(LeaderboardOptout).existsBy({ memberId });
    let cached = this.cache.get(`${board}|${period}`);
    if (!cached || Date.now() - cached.at > CACHE_MS) {
      let rows = await this.dataSource
        .getRepository(LeaderboardEntry)
        .find({ where: { board, period }, order: { rank: 'ASC' }, take: TOP });
      if (
        rows.length === 0 &&
        !(await this.dataSource.getRepository(LeaderboardEntry).existsBy({ period }))
      ) {
        await this.refresh(now); // first read of a month: compute once rather than show an empty board
        rows = await this.dataSource
          .getRepository(LeaderboardEntry)
          .find({ where: { board, period }, order: { rank: 'ASC' }, take: TOP });
      }
      const names = await this.members.nicknames(rows.map((r) => r.memberId));
      cached = {
        at: Date.now(),
        top: rows.map((r) => ({
          rank: r.rank,
          memberId: r.memberId,
          nickname: maskNickname(names.get(r.memberId)),
          score: r.score,
        })),
        updatedAt: rows[0]?.computedAt ?? null,
      };
      this.cache.set(`${board}|${period}`, cached);
    }
    let me: LeaderboardView['me'] = null;
    if (!optedOut) {
      const row = await this.dataSource
        .getRepository(LeaderboardEntry)
        .findOneBy({ board, period, memberId });
      me = row
        ? { rank: row.rank, score: row.score }
        : { rank: null, score: await this.score(board, memberId, period) };
    }
    return {
      board,
      period,
      top: cached.top.map((t) => ({
        rank: t.rank,
        nickname: t.nickname,
        score: t.score,
        me: t.memberId === memberId,
      })),
      me,
      optedOut,
      updatedAt: cached.updatedAt?.toISOString() ?? null,
    };
  }

  async privacy(memberId: number): Promise<{ leaderboard: boolean }> {
    return {
      leaderboard: !(await this.dataSource.getRepository(LeaderboardOptout).existsBy({ memberId })),
    };
  }

  /** Opting out removes the member from the boards at once, not at the next refresh. */
  async setPrivacy(
    memberId: number,
    showOnLeaderboards: boolean,
  ): Promise<{ leaderboard: boolean }> {
    await this.uow.run(async (tx) => {
      if (showOnLeaderboards) {
        await tx.em.delete(LeaderboardOptout, { memberId });
      } else {
        await tx.em
          .createQueryBuilder()
          .insert()
          .into(LeaderboardOptout)
          .values({ memberId })
          .orIgnore()
          .execute();
        await tx.em.delete(LeaderboardEntry, { memberId });
      }
    });
    this.cache.clear();
    return { leaderboard: showOnLeaderboards };
  }

  private async score(board: Leaderboard, memberId: number, period: string): Promise<number> {
    if (board === 'checkin-streak') return this.checkins.memberBestStreak(memberId, period);
    const [from, to] = this.monthRange(period);
    return this.points.earnedBetween(memberId, from, to);
  }

  private monthRange(period: string): [Date, Date] {
    const tz = this.config.brandTimezone;
    return [startOfBrandDay(`${period}-01`, tz), startOfBrandDay(addMonths(`${period}-01`, 1), tz)];
  }

  private async doRefresh(asOf: Date): Promise<number> {
    const period = this.period(asOf);
    const optouts = new Set(
      (
        await this.dataSource.getRepository(LeaderboardOptout).find({ select: { memberId: true } })
      ).map((o) => o.memberId),
    );
    const [from, to] = this.monthRange(period);
    let written = 0;
    for (const board of LEADERBOARDS) {
      const source =
        board === 'checkin-streak'
          ? await this.checkins.bestStreaks(period, SNAPSHOT_SIZE + optouts.size)
          : await this.points.topEarners(from, to, SNAPSHOT_SIZE + optouts.size);
      const ranked: { memberId: number; score: number; rank: number }[] = [];
      for (const row of source
        .filter((r) => !optouts.has(r.memberId) && r.score > 0)
        .slice(0, SNAPSHOT_SIZE)) {
        // Standard competition ranking: equal scores share a rank, the next rank skips (1, 2, 2, 4).
        const prev = ranked[ranked.length - 1];
        ranked.push({
          ...row,
          rank: prev && prev.score === row.score ? prev.rank : ranked.length + 1,
        });
      }
      const kind = this.config.database.kind;
      const now = sqlInstant(kind, new Date());
      await this.uow.run(async (tx) => {
        await tx.em.delete(LeaderboardEntry, { board, period });
        await bulkInsert(
          tx.em,
          kind,
          'leaderboard_entry',
          ['board', 'period', 'member_id', 'rank', 'score', 'computed_at'],
          ranked.map((r) => [board, period, r.memberId, r.rank, r.score, now]),
        );
      });
      written += ranked.length;
    }
    for (const key of [...this.cache.keys()]) if (key.endsWith(period)) this.cache.delete(key);
    return written;
  }
}
