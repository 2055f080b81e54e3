import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { SimulationProposal, SimulationView, startSimulationBody } from '@huoyue/shared';
import { randomUUID } from 'node:crypto';
import { DataSource, LessThan } from 'typeorm';
import type { z } from 'zod';
import { APP_CONFIG } from '../../../config/config.module.js';
import type { AppConfig } from '../../../config/config.js';
import type { StaffPrincipal } from '../../../infra/auth/token.service.js';
import { dialectOf } from '../../../infra/database/dialect.js';
import { UnitOfWork } from '../../../infra/events/unit-of-work.js';
import { BackgroundRuns } from '../../../infra/jobs/background-runs.js';
import { notFound } from '../../../infra/http/domain-error.js';
import { CheckinsService } from '../../checkins/index.js';
import { MemberDaysService } from '../../memberdays/index.js';
import { StaffService } from '../../staff/index.js';
import { MemberDirectory } from '../../members/member-directory.module.js';
import { TierService } from '../../members/index.js';
import { PointsService } from '../points.service.js';
import { PointsSimulation } from './points-simulation.entity.js';
import {
  aliveSince,
  currentProposal,
  memberDayWindows,
  planWindow,
  resolveProposal,
  resolveWindow,
  type TodayRules,
} from './simulator-inputs.js';
import { replay } from './simulator-run.js';

/** A running run whose heartbeat is older than this was abandoned (its process died): it is run again. */
const STALE_MS = 2 * 60_000;
const LIST_LIMIT = 50;

/**
 * The points rule simulator (docs/points-simulator.md): runs are queued, replayed in the background with progress
 * and kept with their result. A run of a process that died is picked up by `resumeAbandoned` and replayed from
 * the start (a replay writes nothing but its scratch rows, which it clears first).
 */
@Injectable()
export class PointsSimulatorService implements OnApplicationShutdown {
  private readonly logger = new Logger('PointsSimulator');
  private readonly owner = randomUUID();
  private readonly runs = new BackgroundRuns(this.logger, 'simulation');

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly points: PointsService,
    private readonly tiers: TierService,
    private readonly checkins: CheckinsService,
    private readonly memberDays: MemberDaysService,
    private readonly directory: MemberDirectory,
    private readonly staffAccounts: StaffService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async todayRules(): Promise<TodayRules> {
    const [points, checkins, ladder, days] = await Promise.all([
      this.points.rules(),
      this.checkins.rules(),
      this.tiers.ladder(),
      this.memberDays.definitions(),
    ]);
    return {
      points,
      checkins,
      tiers: ladder.map((t) => ({
        code: t.code,
        name: t.name,
        growthThreshold: t.growthThreshold,
        pointsMultiplier: t.benefits?.pointsMultiplier ?? 1,
      })),
      memberDays: days.map((d) => ({ ...d, audience: { ...d.audience } })),
    };
  }

  async current(): Promise<SimulationProposal> {
    return currentProposal(await this.todayRules());
  }

  async start(
    staff: StaffPrincipal,
    body: z.output<typeof startSimulationBody>,
  ): Promise<SimulationView> {
    const now = new Date();
    const window = resolveWindow(body.window, now, this.config.brandTimezone);
    const proposal = resolveProposal(await this.todayRules(), body.proposal);
    const repo = this.dataSource.getRepository(PointsSimulation);
    // The name staff know each other by (the console shows it beside the run), not the login name.
    const creator = await this.staffAccounts.get(staff.staffId);
    const run = await this.uow.run(async (tx) =>
      tx.em.save(
        PointsSimulation,
        tx.em.create(PointsSimulation, {
          name: body.name ?? `规则模拟 ${window.from} 至 ${window.to}`,
          status: 'queued',
          progress: 0,
          windowFrom: window.from,
          windowTo: window.to,
          proposal,
          result: null,
          error: null,
          owner: null,
          heartbeatAt: null,
          createdBy: staff.staffId,
          createdByName: creator.displayName ?? staff.username,
          finishedAt: null,
          appliedAt: null,
        }),
      ),
    );
    this.startJob(run.id);
    return toView((await repo.findOneBy({ id: run.id }))!);
  }

  async list(): Promise<{ items: Omit<SimulationView, 'result'>[] }> {
    const rows = await this.dataSource.getRepository(PointsSimulation).find({
      select: { result: false } as never,
      order: { id: 'DESC' },
      take: LIST_LIMIT,
    });
    return {
      items: rows.map((r) => {
        const { result: _, ...rest } = toView(r);
        return rest;
      }),
    };
  }

  async get(id: number): Promise<SimulationView> {
    const run = await this.dataSource.getRepository(PointsSimulation).findOneBy({ id });
    if (!run) throw notFound('模拟记录');
    return toView(run);
  }

  /** Picks up queued runs and runs whose process died (stale heartbeat). Registered as a scheduled job. */
  async resumeAbandoned(now = new Date()): Promise<number> {
    const repo = this.dataSource.getRepository(PointsSimulation);
    const candidates = await repo.find({
      select: { id: true },
      where: [
        { status: 'queued' },
        { status: 'running', heartbeatAt: LessThan(new Date(now.getTime() - STALE_MS)) },
      ],
      take: 5,
    });
    for (const run of candidates) this.startJob(run.id);
    return candidates.length;
  }

  /** Resolves when the run is no longer being processed by this instance (tests and benchmarks wait on it). */
  settled(id: number): Promise<void> {
    return this.runs.settled(id);
  }

  onApplicationShutdown(): Promise<void> {
    return this.runs.stop();
  }

  private startJob(id: number): void {
    this.runs.start(id, () => this.process(id));
  }

  /** Claims the run (queued, or abandoned by a dead process) and replays it; failure is kept, readable. */
  private async process(id: number): Promise<void> {
    const repo = this.dataSource.getRepository(PointsSimulation);
    const now = new Date();
    const claimed = await this.uow.run((tx) =>
      tx.em
        .createQueryBuilder()
        .update(PointsSimulation)
        .set({ status: 'running', owner: this.owner, heartbeatAt: now, progress: 0 })
        .where(
          "id = :id AND (status = 'queued' OR (status = 'running' AND " +
            '(heartbeat_at IS NULL OR heartbeat_at < :stale)))',
          { id, stale: new Date(now.getTime() - STALE_MS) },
        )
        .execute(),
    );
    if ((claimed.affected ?? 0) !== 1) return;
    const run = (await repo.findOneBy({ id }))!;
    try {
      const result = await this.replayRun(run);
      await this.finish(id, { status: 'done', progress: 100, result });
    } catch (err) {
      // The cause goes to the log; staff get a message they can act on, never a database error.
      this.logger.error({ err, simulationId: id }, 'simulation replay failed');
      await this.finish(id, {
        status: 'failed',
        error: '模拟失败：运行时出现问题，请稍后重新发起；如果一再失败，请联系技术支持',
      });
    }
  }

  private async finish(id: number, set: Partial<PointsSimulation>): Promise<void> {
    await this.uow.run((tx) =>
      tx.em.update(
        PointsSimulation,
        { id, owner: this.owner },
        { ...set, finishedAt: new Date(), heartbeatAt: new Date() },
      ),
    );
  }

  private async replayRun(run: PointsSimulation) {
    const tz = this.config.brandTimezone;
    const today = await this.todayRules();
    const window = { from: run.windowFrom, to: run.windowTo };
    const kind = dialectOf(this.dataSource);
    const context = {
      kind,
      runId: run.id,
      plan: planWindow(window, tz),
      today,
      proposal: run.proposal,
      hasSpans: true,
      hasWindows: true,
      aliveActual: aliveSince(today.points.expiry, window, tz),
      aliveSimulated: aliveSince(run.proposal.expiry, window, tz),
    };
    const deps = {
      dataSource: this.dataSource,
      uow: this.uow,
      contacts: (ids: number[]) => this.directory.contacts(ids),
      tierNames: new Map(today.tiers.map((t) => [t.code, t.name])),
    };
    const windows = memberDayWindows(today.memberDays, run.proposal, window, tz);
    return replay(deps, context, windows, (progress) => this.progress(run.id, progress));
  }

  private async progress(id: number, progress: number): Promise<void> {
    await this.uow.run((tx) =>
      tx.em.update(
        PointsSimulation,
        { id, owner: this.owner },
        { progress: Math.min(99, progress), heartbeatAt: new Date() },
      ),
    );
  }
}

export function toView(r: PointsSimulation): SimulationView {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    progress: r.progress,
    window: { from: r.windowFrom, to: r.windowTo },
    proposal: r.proposal,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy === null ? null : { id: r.createdBy, name: r.createdByName ?? '' },
    finishedAt: r.finishedAt?.toISOString() ?? null,
    error: r.error,
    appliedAt: r.appliedAt?.toISOString() ?? null,
    result: r.result ?? null,
  };
}
