import { Body, Controller, Param } from '@nestjs/common';
import { beyondClockSkew, routes } from '@huoyue/shared';
import { CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { Contract, type In } from '../../infra/http/contract.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { JobScheduler } from '../../infra/jobs/job-scheduler.js';
import { AuditService } from '../staff/index.js';
import { IntegrationKeysService } from '../staff/index.js';

const r = routes.system;

/** Owner-only operations: run a scheduled job now; integration keys (create, list, rotate, revoke). */
@Controller()
export class OpsController {
  constructor(
    private readonly jobs: JobScheduler,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly keys: IntegrationKeysService,
  ) {}

  @Contract(r.runJob)
  async runJob(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.runJob.params>,
    @Body() body: In<typeof r.runJob.body>,
  ) {
    if (!this.jobs.names().includes(params.name))
      throw new DomainError('NOT_FOUND', '没有这个任务');
    const asOf = body.asOf ? new Date(body.asOf) : new Date();
    // Every job writes (expiries, releases, snapshots): run as of the future, it would do now what is not due.
    if (beyondClockSkew(asOf))
      throw new DomainError(
        'VALIDATION_FAILED',
        '执行时间不能晚于当前时间（允许 5 分钟时钟误差）',
        {
          issues: [{ in: 'body', path: 'asOf', message: '执行时间在未来' }],
        },
      );
    const affected = await this.jobs.runNow(params.name, asOf);
    await this.uow.run((tx) =>
      this.audit.record(tx, staff, {
        action: 'job.run',
        entityType: 'job',
        entityId: params.name,
        after: { asOf: asOf.toISOString(), affected },
      }),
    );
    return { name: params.name, affected };
  }

  @Contract(r.createIntegrationKey)
  createKey(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: In<typeof r.createIntegrationKey.body>,
  ) {
    return this.uow.run((tx) => this.keys.create(tx, staff, body.name));
  }

  @Contract(r.listIntegrationKeys)
  listKeys() {
    return this.keys.list();
  }

  @Contract(r.rotateIntegrationKey)
  rotateKey(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.rotateIntegrationKey.params>,
    @Body() body: In<typeof r.rotateIntegrationKey.body>,
  ) {
    return this.uow.run((tx) => this.keys.rotate(tx, staff, params.keyId, body.overlapHours));
  }

  @Contract(r.revokeIntegrationKey)
  revokeKey(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.revokeIntegrationKey.params>,
  ) {
    return this.uow.run((tx) => this.keys.revoke(tx, staff, params.keyId));
  }
}
