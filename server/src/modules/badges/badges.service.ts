import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { z } from 'zod';
import type { BadgeMetric, badgeAward, badgeInput, badgeView, myBadges } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { bulkInsert, sqlInstant } from '../../infra/database/bulk.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { insertIgnoreVerb } from '../../infra/database/dialect.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { SwrCache } from '../../infra/settings/swr-cache.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import { PointsService } from '../points/index.js';
import { AuditService } from '../staff/index.js';
import { Badge, MemberBadge, MemberStat } from './badge.entity.js';
import {
  metricsOf,
  metricValue,
  type StatChange,
  statChangeAssignments,
  YEAR_MS,
} from './badge-metrics.js';

type BadgeView = z.output<typeof badgeView>;
type BadgeAward = z.output<typeof badgeAward>;
type MyBadges = z.output<typeof myBadges>;

/**
 * Badges: definitions, the per-member facts they read, and awarding. Evaluation reacts to domain events (not a
 * nightly scan); an event applies once (its key is stored with the change) and a level is awarded once (unique
 * member, badge, level), so duplicate or concurrent deliveries award nothing twice.
 */
@Injectable()
export class BadgesService {
  private readonly cache = new SwrCache(
    () => this.dataSource.getRepository(Badge).find({ order: { id: 'ASC' } }),
    10_000,
  );

  /** Other modules that refer to badges by code (the check-in ladder) say here why one is still needed. */
  private readonly usageChecks: ((code: string) => Promise<string | null>)[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly points: PointsService,
    private readonly members: MemberDirectory,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  all(): Promise<Badge[]> {
    return this.cache.get();
  }

  /** Reloads the definitions now (after they were written outside this service, e.g. the demo seed). */
  async reload(): Promise<void> {
    await this.cache.refresh();
  }

  toView(b: Badge): BadgeView {
    return {
      id: b.id,
      code: b.code,
      name: b.name,
      artworkUrl: b.artworkUrl,
      description: b.description,
      rule: { metric: b.metric, thresholds: b.thresholds },
      rewardPoints: b.rewardPoints,
      active: b.active,
    };
  }

  /** A module that names badges by code registers why a badge is still in use (null: it is not). */
  addUsageCheck(check: (code: string) => Promise<string | null>): void {
    this.usageChecks.push(check);
  }

  async create(actor: StaffPrincipal, input: z.output<typeof badgeInput>): Promise<BadgeView> {
    try {
      const badge = await this.uow.run(async (tx) => {
        const row = tx.em.create(Badge, {
          // Staff never type a code: the console leaves it out and the badge gets one nobody has to read.
          code: input.code ?? `badge-${randomUUID().slice(0, 8)}`,
          name: input.name,
          artworkUrl: input.artworkUrl,
          description: input.description,
          metric: input.rule.metric,
          thresholds: input.rule.thresholds,
          rewardPoints: input.rewardPoints,
          active: input.active,
        });
        await tx.em.insert(Badge, row);
        await this.audit.record(tx, actor, {
          action: 'badge.create',
          entityType: 'badge',
          entityId: row.code,
          after: this.toView(row),
        });
        return row;
      });
      await this.cache.refresh();
      return this.toView(badge);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError('BADGE_CODE_TAKEN', '勋章编码已存在');
      throw err;
    }
  }

  async update(
    actor: StaffPrincipal,
    code: string,
    input: Partial<Omit<z.output<typeof badgeInput>, 'code'>>,
  ): Promise<BadgeView> {
    const badge = await this.uow.run(async (tx) => {
      const row = await tx.em.findOneBy(Badge, { code });
      if (!row) throw new DomainError('NOT_FOUND', '勋章不存在');
      const before = this.toView(row);
      await tx.em.update(
        Badge,
        { id: row.id },
        {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.artworkUrl !== undefined ? { artworkUrl: input.artworkUrl } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.rule !== undefined
            ? { metric: input.rule.metric, thresholds: input.rule.thresholds }
            : {}),
          ...(input.rewardPoints !== undefined ? { rewardPoints: input.rewardPoints } : {}),
          ...(input.active !== undefined ? { active: input.active } : {}),
        },
      );
      const after = await tx.em.findOneByOrFail(Badge, { id: row.id });
      await this.audit.record(tx, actor, {
        action: 'badge.update',
        entityType: 'badge',
        entityId: code,
        before,
        after: this.toView(after),
      });
      return after;
    });
    await this.cache.refresh();
    return this.toView(badge);
  }

  /**
   * Deletes a badge nobody holds and nothing refers to; otherwise 409 with the reason (switching it off keeps the
   * members' badges and stops new awards).
   */
  async remove(actor: StaffPrincipal, code: string): Promise<void> {
    const row = await this.dataSource.getRepository(Badge).findOneBy({ code });
    if (!row) throw new DomainError('NOT_FOUND', '勋章不存在');
    for (const check of this.usageChecks) {
      const reason = await check(code);
      if (reason)
        throw new DomainError('CONFLICT', `${reason}，不能删除；可以停用它`, {
          suggest: 'deactivate',
        });
    }
    await this.uow.run(async (tx) => {
      const held = await tx.em.countBy(MemberBadge, { badgeId: row.id });
      if (held > 0)
        throw new DomainError(
          'CONFLICT',
          `已有 ${held} 位会员获得这枚勋章，不能删除；可以停用它（已获得的会员仍保留）`,
          { suggest: 'deactivate' },
        );
      await tx.em.delete(Badge, { id: row.id });
      await this.audit.record(tx, actor, {
        action: 'badge.delete',
        entityType: 'badge',
        entityId: code,
        before: this.toView(row),
        after: null,
      });
    });
    await this.cache.refresh();
  }

  /**
   * Applies one event's change to a member's facts, once (the event key is unique), and awards what the new
   * values reach. `direct` awards a named badge outright (the check-in ladder's badge).
   */
  async apply(
    eventKey: string,
    memberId: number,
    change: StatChange,
    triggerRef: string,
    direct?: string | null,
    // When the trigger happened (an order paid earlier, replayed history): the award is dated then.
    now = new Date(),
  ): Promise<void> {
    try {
      await this.uow.run(async (tx) => {
        if (!(await this.markApplied(tx, eventKey))) return; // applied before
        await this.updateStats(tx, memberId, change);
        await this.awardReached(tx, memberId, change, triggerRef, now);
        if (direct) {
          const badge = (await this.all()).find((b) => b.code === direct && b.active);
          if (badge) await this.award(tx, memberId, badge, 1, triggerRef, now);
        }
      });
    } catch (err) {
      if (isUniqueViolation(err)) return; // the same event applied concurrently: the other delivery did it
      throw err;
    }
  }

  /** Awards every member who already qualifies for a badge (a new badge, or thresholds lowered). Set-based. */
  async backfill(actor: StaffPrincipal, code: string): Promise<number> {
    const badge = (await this.dataSource.getRepository(Badge).findOneBy({ code })) ?? undefined;
    if (!badge) throw new DomainError('NOT_FOUND', '勋章不存在');
    const run = `backfill:${randomUUID().slice(0, 8)}`;
    const now = new Date();
    const kind = this.config.database.kind;
    let awarded = 0;
    for (let level = 1; level <= badge.thresholds.length; level++) {
      const threshold = badge.thresholds[level - 1]!;
      const [condition, value] = this.condition(badge.metric, threshold, now);
      await this.dataSource.query(
        `${insertIgnoreVerb(kind)} INTO member_badge (member_id, badge_id, level, awarded_at, trigger_ref) ` +
          `SELECT member_id, ?, ?, ?, ? FROM member_stat WHERE ${condition}`,
        [badge.id, level, sqlInstant(kind, now), run, value],
      );
    }
    // Rewards and announcements for what this run awarded, member by member (each in its own transaction).
    const fresh = await this.dataSource
      .getRepository(MemberBadge)
      .find({ where: { badgeId: badge.id, triggerRef: run } });
    for (const row of fresh) {
      await this.uow.run(async (tx) => this.announce(tx, row.memberId, badge, row.level, run, now));
      awarded++;
    }
    await this.uow.run((tx) =>
      this.audit.record(tx, actor, {
        action: 'badge.backfill',
        entityType: 'badge',
        entityId: code,
        after: { awarded },
      }),
    );
    return awarded;
  }

  /** Anniversary badges are about time passing, not an event: a daily job awards them. */
  async anniversaries(asOf: Date): Promise<number> {
    let awarded = 0;
    for (const badge of (await this.all()).filter((b) => b.active && b.metric === 'anniversary')) {
      for (let level = 1; level <= badge.thresholds.length; level++) {
        const [condition, value] = this.condition(
          'anniversary',
          badge.thresholds[level - 1]!,
          asOf,
        );
        const due: { member_id: number }[] = await this.dataSource.query(
          `SELECT s.member_id FROM member_stat s WHERE ${condition.replace(/joined_at/g, 's.joined_at')} ` +
            'AND NOT EXISTS (SELECT 1 FROM member_badge b ' +
            'WHERE b.member_id = s.member_id AND b.badge_id = ? AND b.level = ?) LIMIT 5000',
          [value, badge.id, level],
        );
        for (const { member_id } of due) {
          await this.uow.run(async (tx) => {
            if (await this.award(tx, Number(member_id), badge, level, `anniversary:${level}`, asOf))
              awarded++;
          });
        }
      }
    }
    return awarded;
  }

  async awardsFor(memberId: number, triggerRef: string): Promise<BadgeAward[]> {
    const rows = await this.dataSource
      .getRepository(MemberBadge)
      .find({ where: { memberId, triggerRef }, order: { id: 'ASC' } });
    const badges = await this.all();
    return rows.flatMap((r) => {
      const b = badges.find((x) => x.id === r.badgeId);
      return b ? [{ code: b.code, name: b.name, level: r.level, artworkUrl: b.artworkUrl }] : [];
    });
  }

  /** Earned badges stay the member's when staff switch a badge off; only active ones show as still to earn. */
  async mine(memberId: number, now = new Date()): Promise<MyBadges> {
    const badges = await this.all();
    const held = await this.dataSource
      .getRepository(MemberBadge)
      .find({ where: { memberId, badgeId: In(badges.map((b) => b.id).concat(0)) } });
    const stat =
      (await this.dataSource.getRepository(MemberStat).findOneBy({ memberId })) ??
      MemberStat.empty(memberId);
    const result: MyBadges = { earned: [], locked: [] };
    for (const b of badges) {
      const mine = held.filter((h) => h.badgeId === b.id).sort((x, y) => y.level - x.level);
      const top = mine[0];
      const base = {
        code: b.code,
        name: b.name,
        artworkUrl: b.artworkUrl,
        description: b.description,
      };
      if (top)
        result.earned.push({
          ...base,
          level: top.level,
          levels: b.thresholds.length,
          awardedAt: top.awardedAt.toISOString(),
        });
      const nextLevel = (top?.level ?? 0) + 1;
      if (b.active && nextLevel <= b.thresholds.length) {
        result.locked.push({
          ...base,
          nextLevel,
          levels: b.thresholds.length,
          progress: {
            current: Math.min(metricValue(stat, b.metric, now), b.thresholds[nextLevel - 1]!),
            target: b.thresholds[nextLevel - 1]!,
          },
        });
      }
    }
    return result;
  }

  // ---- internals ----

  /** Records the event key; answers false when the event was applied before. */
  private async markApplied(tx: Tx, eventKey: string): Promise<boolean> {
    const inserted = await bulkInsert(
      tx.em,
      this.config.database.kind,
      'member_stat_event',
      ['event_key'],
      [[eventKey]],
      { ignore: true },
    );
    return inserted !== 0;
  }

  /** Applies the change to the member's facts. */
  private async updateStats(tx: Tx, memberId: number, change: StatChange): Promise<void> {
    // Counters change in SQL (no read-modify-write race); the row is created the first time.
    const { sets, params } = statChangeAssignments(change, this.config.database.kind);
    const update = () =>
      tx.em.queryRunner!.query(
        `UPDATE member_stat SET ${sets.join(', ')} WHERE member_id = ?`,
        [...params, memberId],
        true,
      );
    // A missing row is created before the UPDATE: an UPDATE of a row that is not there takes a gap lock (MariaDB,
    // REPEATABLE READ), and members without a row yet (imported ones) checking in at once then deadlocked on each
    // other's gaps, thousands of retries in a rush (bench:rush, docs/benchmarks.md). The plain read takes no lock.
    if (!(await tx.em.existsBy(MemberStat, { memberId })))
      await tx.em
        .createQueryBuilder()
        .insert()
        .into(MemberStat)
        .values({ memberId })
        .orIgnore()
        .execute();
    await update();
  }

  /** Awards every level the member's new facts reach, for the badges that read what changed. */
  private async awardReached(
    tx: Tx,
    memberId: number,
    change: StatChange,
    triggerRef: string,
    now: Date,
  ): Promise<void> {
    const metrics = metricsOf(change);
    const relevant = (await this.all()).filter((b) => b.active && metrics.has(b.metric));
    // Only read the facts back when some badge looks at what changed.
    const updated =
      relevant.length > 0 ? (await tx.em.findOneBy(MemberStat, { memberId }))! : undefined;
    for (const badge of updated ? relevant : []) {
      const reached = badge.thresholds.filter(
        (t) => metricValue(updated!, badge.metric, now) >= t,
      ).length;
      for (let level = 1; level <= reached; level++)
        await this.award(tx, memberId, badge, level, triggerRef, now);
    }
  }

  /**
   * Inserts one level (once); the first time, pays its reward and announces it. Answers whether it was new. Also
   * used by the batch path (BadgeBatch).
   */
  async award(
    tx: Tx,
    memberId: number,
    badge: Badge,
    level: number,
    triggerRef: string,
    at: Date,
  ): Promise<boolean> {
    const kind = this.config.database.kind;
    const inserted = await bulkInsert(
      tx.em,
      kind,
      'member_badge',
      ['member_id', 'badge_id', 'level', 'awarded_at', 'trigger_ref'],
      [[memberId, badge.id, level, sqlInstant(kind, at), triggerRef]],
      { ignore: true },
    );
    if (inserted === 0) return false;
    await this.announce(tx, memberId, badge, level, triggerRef, at);
    return true;
  }

  private async announce(
    tx: Tx,
    memberId: number,
    badge: Badge,
    level: number,
    triggerRef: string,
    at: Date,
  ): Promise<void> {
    if (badge.rewardPoints > 0 && (await this.members.canEarn(memberId, tx))) {
      await this.points.credit(tx, {
        memberId,
        type: 'reward',
        points: badge.rewardPoints,
        key: `badge:${badge.id}:${level}:${memberId}`,
        sourceType: 'badge',
        sourceRef: badge.code,
        reason: `获得勋章「${badge.name}」`,
        at,
      });
    }
    await tx.publish('badge.awarded', {
      memberId,
      badgeCode: badge.code,
      level,
      rewardPoints: badge.rewardPoints,
      triggerRef,
      at: at.toISOString(),
    });
  }

  /** The SQL condition on member_stat for "metric ≥ threshold", and its parameter. */
  private condition(metric: BadgeMetric, threshold: number, now: Date): [string, unknown] {
    const kind = this.config.database.kind;
    switch (metric) {
      case 'spend':
        return ['spend >= ?', threshold * 100];
      case 'anniversary':
        return [
          'joined_at IS NOT NULL AND joined_at <= ?',
          sqlInstant(kind, new Date(now.getTime() - threshold * YEAR_MS)),
        ];
      default: {
        const column = {
          checkins: 'checkins',
          streak: 'best_streak',
          purchases: 'purchases',
          redemptions: 'redemptions',
          coupons_used: 'coupons_used',
          member_days: 'member_days',
          tier_rank: 'tier_rank',
        }[metric];
        return [`${column} >= ?`, threshold];
      }
    }
  }
}
