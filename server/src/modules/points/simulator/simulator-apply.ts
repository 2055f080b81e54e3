import { Injectable } from '@nestjs/common';
import type { memberDayBody, SimulationProposal, SimulationView } from '@huoyue/shared';
import { DataSource, IsNull } from 'typeorm';
import type { z } from 'zod';
import type { StaffPrincipal } from '../../../infra/auth/token.service.js';
import { type Tx, UnitOfWork } from '../../../infra/events/unit-of-work.js';
import { DomainError, notFound } from '../../../infra/http/domain-error.js';
import { CheckinsService } from '../../checkins/index.js';
import { MemberDaysService } from '../../memberdays/index.js';
import { TierService } from '../../members/index.js';
import { AuditService } from '../../staff/index.js';
import { POINTS_RULES_KEY } from '../points-rules.js';
import { PointsService } from '../points.service.js';
import { PointsSimulation } from './points-simulation.entity.js';
import { toView } from './simulator.service.js';

/**
 * "Apply this rule": a finished run's proposal becomes the brand's rules through the same services and audit
 * entries as the rule pages (points rules, check-in rules, tier updates, member-day updates), in one transaction:
 * all of it or nothing. Only what differs from today is changed (and audited).
 */
@Injectable()
export class PointsSimulatorApply {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly points: PointsService,
    private readonly tiers: TierService,
    private readonly checkins: CheckinsService,
    private readonly memberDays: MemberDaysService,
    private readonly audit: AuditService,
  ) {}

  async apply(staff: StaffPrincipal, id: number): Promise<SimulationView> {
    const run = await this.dataSource.getRepository(PointsSimulation).findOneBy({ id });
    if (!run) throw notFound('模拟记录');
    if (run.status !== 'done') throw new DomainError('BUSINESS_RULE', '模拟完成后才能应用这套规则');
    if (run.appliedAt) throw new DomainError('CONFLICT', '这套规则已经应用过了');
    const p = run.proposal;
    await this.uow.run(async (tx) => {
      await this.applyPointsRules(tx, staff, p);
      await this.applyCheckinLadder(tx, staff, p);
      await this.applyTiers(tx, staff, p);
      await this.applyMemberDays(tx, staff, p);
      const marked = await tx.em.update(
        PointsSimulation,
        { id, appliedAt: IsNull() },
        { appliedAt: new Date() },
      );
      if ((marked.affected ?? 0) !== 1) throw new DomainError('CONFLICT', '这套规则已经应用过了');
      await this.audit.record(tx, staff, {
        action: 'points.simulation.apply',
        entityType: 'points_simulation',
        entityId: id,
        after: p,
      });
    });
    return toView((await this.dataSource.getRepository(PointsSimulation).findOneBy({ id }))!);
  }

  /** As PUT /admin/points/rules: the setting and its audit entry. */
  private async applyPointsRules(tx: Tx, staff: StaffPrincipal, p: SimulationProposal) {
    const before = await this.points.rules(tx);
    const next = {
      ...before,
      pointsPerYuan: p.pointsPerYuan,
      perOrderCap: p.perOrderCap,
      expiry: p.expiry,
    };
    if (JSON.stringify(next) === JSON.stringify(before)) return;
    const after = await this.points.setRules(tx, next);
    await this.audit.record(tx, staff, {
      action: 'points.rules.update',
      entityType: 'setting',
      entityId: POINTS_RULES_KEY,
      before,
      after,
    });
  }

  private async applyCheckinLadder(tx: Tx, staff: StaffPrincipal, p: SimulationProposal) {
    const before = await this.checkins.rules(tx);
    const ladder = p.checkinLadder;
    if (
      ladder.cycleDays === before.cycleDays &&
      JSON.stringify(ladder.rewards) === JSON.stringify(before.rewards)
    )
      return;
    await this.checkins.setRules(
      staff,
      { ...before, cycleDays: ladder.cycleDays, rewards: ladder.rewards },
      tx,
    );
  }

  /**
   * Multipliers, then thresholds: raised ones from the top down, lowered ones from the bottom up, so every step
   * keeps the ladder strictly rising (the tier update refuses anything else).
   */
  private async applyTiers(tx: Tx, staff: StaffPrincipal, p: SimulationProposal) {
    const ladder = await this.tiers.ladder();
    for (const t of ladder) {
      const multiplier = p.tierMultipliers[t.code];
      const today = t.benefits?.pointsMultiplier ?? 1;
      if (multiplier !== undefined && multiplier !== today)
        await this.tiers.update(staff, t.code, { benefits: { pointsMultiplier: multiplier } }, tx);
    }
    if (!p.tierLadder) return;
    const target = new Map(p.tierLadder.map((t) => [t.code, t.growthThreshold]));
    const raised = ladder.filter(
      (t) => (target.get(t.code) ?? t.growthThreshold) > t.growthThreshold,
    );
    const lowered = ladder.filter(
      (t) => (target.get(t.code) ?? t.growthThreshold) < t.growthThreshold,
    );
    for (const t of [...raised.reverse(), ...lowered])
      await this.tiers.update(staff, t.code, { growthThreshold: target.get(t.code)! }, tx);
  }

  private async applyMemberDays(tx: Tx, staff: StaffPrincipal, p: SimulationProposal) {
    for (const d of await this.memberDays.definitions()) {
      const multiplier = p.memberDayMultipliers[String(d.id)];
      if (multiplier === undefined || multiplier === d.benefits.pointsMultiplier) continue;
      const body: z.output<typeof memberDayBody> = {
        name: d.name,
        schedule: d.schedule,
        startTime: d.startTime,
        endTime: d.endTime,
        audience: d.audience,
        benefits: { ...d.benefits, pointsMultiplier: multiplier },
        active: d.active,
      };
      await this.memberDays.save(staff, body, d.id, tx);
    }
  }
}
