import { Readable } from 'node:stream';
import { Body, Controller, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { routes } from '@huoyue/shared';
import { DomainError } from '../../infra/http/domain-error.js';
import { CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { AuditService } from '../staff/index.js';
import { ChurnService } from './churn.service.js';
import { LifecycleRecompute } from './lifecycle-recompute.service.js';
import { LifecycleReports } from './lifecycle-reports.service.js';
import { LIFECYCLE_LEASE, LifecycleService } from './lifecycle.service.js';

const r = routes.lifecycle;

@Controller()
export class LifecycleController {
  constructor(
    private readonly lifecycle: LifecycleService,
    private readonly recomputes: LifecycleRecompute,
    private readonly reports: LifecycleReports,
    private readonly churn: ChurnService,
    private readonly jobs: JobScheduler,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
  ) {}

  @Contract(r.getSettings)
  settings() {
    return this.lifecycle.settings();
  }

  @Contract(r.putSettings)
  setSettings(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.putSettings.body>) {
    return this.lifecycle.setSettings(staff, body);
  }

  /** Shares the nightly job's lease: one recompute at a time across every instance. */
  @Contract(r.recompute)
  async recompute(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: In<typeof r.recompute.body>,
  ) {
    const asOf = body.asOf ?? this.lifecycle.today();
    // A what-if (dryRun) may look ahead; a recompute that writes stages may not run as of a day still to come.
    if (!body.dryRun) this.refuseFuture(asOf);
    const result = await this.jobs.exclusive(LIFECYCLE_LEASE, () =>
      this.recomputes.recompute(asOf, { dryRun: body.dryRun, rebuild: body.rebuild }),
    );
    if (!body.dryRun)
      await this.uow.run((tx) =>
        this.audit.record(tx, staff, {
          action: 'lifecycle.recompute',
          entityType: 'lifecycle',
          entityId: asOf,
          after: { transitions: result.transitions, newlyAtRisk: result.newlyAtRisk },
        }),
      );
    return result;
  }

  @Contract(r.snapshots)
  async snapshots(@Query() query: In<typeof r.snapshots.query>) {
    return { items: await this.reports.snapshots(query.days) };
  }

  @Contract(r.flows)
  async flows(@Query() query: In<typeof r.flows.query>) {
    const month = query.month ?? this.lifecycle.today().slice(0, 7);
    return { month, items: await this.reports.flows(month) };
  }

  @Contract(r.summary)
  summary() {
    return this.reports.summary();
  }

  @Contract(r.rfmGrid)
  grid() {
    return this.reports.rfmGrid();
  }

  @Contract(r.export)
  export(@Query() query: In<typeof r.export.query>, @Res() reply: FastifyReply) {
    const name = `members-${query.stage ?? query.segment ?? 'all'}-${this.lifecycle.today()}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(Readable.from(this.reports.exportRows(query)));
  }

  @Contract(r.fitModel)
  fit(@Body() body: In<typeof r.fitModel.body>) {
    if (body.asOf) this.refuseFuture(body.asOf);
    return this.jobs.exclusive(LIFECYCLE_LEASE, () =>
      this.churn.fit(body.asOf ?? this.lifecycle.today()),
    );
  }

  @Contract(r.getModel)
  model(@Query() query: In<typeof r.getModel.query>) {
    return this.churn.latest(query.model);
  }

  private refuseFuture(asOf: string): void {
    if (asOf > this.lifecycle.today())
      throw new DomainError(
        'VALIDATION_FAILED',
        '计算日期不能晚于今天（只预览、不写入时可以：dryRun）',
        {
          issues: [{ in: 'body', path: 'asOf', message: '计算日期在未来' }],
        },
      );
  }
}
