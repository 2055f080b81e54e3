import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addDays, type occurrenceReport } from '@huoyue/shared';
import type { z } from 'zod';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { notFound } from '../../infra/http/domain-error.js';
import { EngagementService } from '../engagement/index.js';
import { PointsReports } from '../points/index.js';
import { MemberDay, MemberDayOccurrence, MemberDayParticipation } from './member-day.entities.js';
import { windowOf } from './schedule.js';

type Report = z.output<typeof occurrenceReport>;

/** One occurrence's report: what happened inside its window, beside the same window on the four weekdays before. */
@Injectable()
export class MemberDayReports {
  constructor(
    private readonly dataSource: DataSource,
    private readonly engagement: EngagementService,
    private readonly points: PointsReports,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * An occurrence's figures from the engagement log and the ledger, inside its window, beside the same window on
   * the four same weekdays before it (averaged); and how many of its audience took part.
   */
  async report(occurrenceId: number): Promise<Report> {
    const o = await this.dataSource
      .getRepository(MemberDayOccurrence)
      .findOneBy({ id: occurrenceId });
    if (!o) throw notFound('会员日场次');
    const def = await this.dataSource.getRepository(MemberDay).findOneBy({ id: o.memberDayId });
    const day = String(o.day).slice(0, 10);
    const figures = await this.figures(o.startsAt, o.endsAt);
    const baselineDays = [7, 14, 21, 28].map((n) => addDays(day, -n));
    const before = await Promise.all(
      baselineDays
        .map((d) => windowOf(d, def!.startTime, def!.endTime, this.config.brandTimezone))
        .map((w) => this.figures(w.startsAt, w.endsAt)),
    );
    const keys = Object.keys(figures) as (keyof typeof figures)[];
    const baseline = Object.fromEntries(
      keys.map((k) => [k, before.reduce((s, f) => s + f[k], 0) / before.length]),
    ) as typeof figures;
    const audienceParticipants = await this.dataSource
      .getRepository(MemberDayParticipation)
      .countBy({ memberDayId: o.memberDayId, day });
    return {
      occurrenceId: o.id,
      memberDayId: o.memberDayId,
      day,
      status: o.status,
      figures,
      audienceParticipants,
      baseline,
      baselineDays,
    };
  }

  private async figures(from: Date, to: Date): Promise<Report['figures']> {
    const [activity, pointsIssued] = await Promise.all([
      this.engagement.windowFigures(from, to),
      this.points.issuedBetween(from, to),
    ]);
    return {
      participants: activity.participants,
      orders: activity.orders,
      spend: activity.spend,
      pointsIssued,
      couponsClaimed: activity.claimed,
      couponsUsed: activity.used,
    };
  }
}
