import { Body, Controller, Inject, Param, Query } from '@nestjs/common';
import { routes } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { CurrentMember, CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { MemberPrincipal, StaffPrincipal } from '../../infra/auth/token.service.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { AuditService } from '../staff/index.js';
import type { PointsEntry } from './entities/points-entry.entity.js';
import { lastDay } from './points-time.js';
import { PointsReports } from './points-reports.js';
import { PointsService } from './points.service.js';

const r = routes.points;

export function toEntryView(e: PointsEntry) {
  return {
    id: e.id,
    type: e.type,
    points: e.points,
    growth: e.growth,
    balanceAfter: e.balanceAfter,
    sourceType: e.sourceType,
    sourceRef: e.sourceRef,
    reason: e.reason,
    expiresAt: e.expiresAt?.toISOString() ?? null,
    breakdown: e.breakdown ?? null,
    at: e.createdAt.toISOString(),
  };
}

@Controller()
export class PointsController {
  constructor(
    private readonly points: PointsService,
    private readonly reports: PointsReports,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Contract(r.summary)
  async summary(@CurrentMember() me: MemberPrincipal) {
    const [account, lots, rules] = await Promise.all([
      this.points.account(me.memberId),
      this.reports.openLots(me.memberId),
      this.points.rules(),
    ]);
    const tz = this.config.brandTimezone;
    const within = rules.noticeDays < 30 ? 30 : rules.noticeDays;
    const horizon = Date.now() + within * 86_400_000;
    const soon = lots.filter((l) => l.expiresAt && l.expiresAt.getTime() <= horizon);
    const byDay = new Map<string | null, number>();
    for (const lot of lots) {
      const day = lot.expiresAt ? lastDay(lot.expiresAt, tz) : null;
      byDay.set(day, (byDay.get(day) ?? 0) + lot.remaining);
    }
    return {
      balance: account?.balance ?? 0,
      growth: account?.growth ?? 0,
      pending: account?.pending ?? 0,
      owed: account?.owed ?? 0,
      expiringSoon: {
        points: soon.reduce((s, l) => s + l.remaining, 0),
        firstDate: soon[0]?.expiresAt ? lastDay(soon[0].expiresAt, tz) : null,
        withinDays: within,
      },
      lots: [...byDay].map(([expiresOn, points]) => ({ points, expiresOn })),
    };
  }

  @Contract(r.ledger)
  async ledger(@CurrentMember() me: MemberPrincipal, @Query() query: In<typeof r.ledger.query>) {
    const page = await this.reports.ledger(me.memberId, query.limit, query.cursor);
    return { items: page.items.map(toEntryView), nextCursor: page.nextCursor };
  }

  @Contract(r.memberLedger)
  async memberLedger(
    @Param() params: In<typeof r.memberLedger.params>,
    @Query() query: In<typeof r.memberLedger.query>,
  ) {
    const page = await this.reports.ledger(params.id, query.limit, query.cursor);
    return { items: page.items.map(toEntryView), nextCursor: page.nextCursor };
  }

  @Contract(r.adjust)
  async adjust(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.adjust.params>,
    @Body() body: In<typeof r.adjust.body>,
  ) {
    const entry = await this.points.adjust(staff, params.id, body);
    return toEntryView(entry);
  }

  @Contract(r.getRules)
  getRules() {
    return this.points.rules();
  }

  @Contract(r.putRules)
  putRules(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.putRules.body>) {
    return this.uow.run(async (tx) => {
      const before = await this.points.rules(tx);
      const after = await this.points.setRules(tx, body);
      await this.audit.record(tx, staff, {
        action: 'points.rules.update',
        entityType: 'setting',
        entityId: 'points.rules',
        before,
        after,
      });
      return after;
    });
  }
}
