import { Controller, Inject, Query } from '@nestjs/common';
import { addDays, brandDay, routes } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { EngagementService } from '../engagement/index.js';
import { PointsReports } from '../points/index.js';

const r = routes.engagement;

/** The console dashboard's daily series, from the engagement log and the points ledger. */
@Controller()
export class DashboardController {
  constructor(
    private readonly engagement: EngagementService,
    private readonly points: PointsReports,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Contract(r.dailyActivity)
  async daily(@Query() query: In<typeof r.dailyActivity.query>) {
    const today = brandDay(new Date(), this.config.brandTimezone);
    const from = addDays(today, -(query.days - 1));
    const [counts, totals] = await Promise.all([
      this.engagement.dailyCounts(from),
      this.points.dailyTotals(from),
    ]);
    const items = [];
    for (let day = from; day <= today; day = addDays(day, 1)) {
      const c = counts.get(day) ?? { checkins: 0, redemptions: 0, purchases: 0 };
      const t = totals.get(day) ?? { issued: 0, spent: 0 };
      items.push({ day, ...c, pointsIssued: t.issued, pointsSpent: t.spent });
    }
    return { items };
  }
}
