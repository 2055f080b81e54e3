import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { brandDay } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { PointsAccount } from './entities/points-account.entity.js';
import { PointsLot } from './entities/points-lot.entity.js';
import { PointsLedgerRepository } from './points-ledger.repository.js';
import { lastDay } from './points-time.js';
import { PointsService } from './points.service.js';

/**
 * The points ledger's scheduled work (registered by PointsModule): pending lots become spendable, lots past their
 * date expire, and members hear about points that are about to. Each lot or member is one transaction of its own
 * (this class's UnitOfWork).
 */
@Injectable()
export class PointsJobs {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly points: PointsService,
    private readonly ledger: PointsLedgerRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Makes pending lots whose protection period ended spendable. */
  async releasePending(asOf: Date): Promise<number> {
    const due = await this.dataSource
      .getRepository(PointsLot)
      .createQueryBuilder('l')
      .where("l.status = 'pending' AND l.available_at <= :asOf", { asOf })
      .orderBy('l.id')
      .limit(1000)
      .getMany();
    let released = 0;
    for (const lot of due) {
      await this.uow.run(async (tx) => {
        await this.ledger.lockAccount(tx, lot.memberId);
        const flipped = await tx.em.update(
          PointsLot,
          { id: lot.id, status: 'pending' },
          { status: 'available' },
        );
        if ((flipped.affected ?? 0) !== 1) return; // released by another run, or cancelled by a refund
        const current = (await tx.em.findOneBy(PointsLot, { id: lot.id }))!;
        await tx.em.decrement(
          PointsAccount,
          { memberId: lot.memberId },
          'pending',
          current.remaining,
        );
        await tx.em
          .createQueryBuilder()
          .update(PointsAccount)
          .set({
            balance: () => `balance + ${current.remaining}`,
            growth: () => `growth + ${current.growth}`,
            version: () => 'version + 1',
          })
          .where({ memberId: lot.memberId })
          .execute();
        const [entry, account] = await this.ledger.writeEntry(tx, {
          source: {
            memberId: lot.memberId,
            key: lot.idempotencyKey,
            sourceType: lot.sourceType,
            sourceRef: lot.sourceRef,
          },
          type: 'earn',
          points: current.remaining,
          growth: current.growth,
          expiresAt: current.expiresAt,
          breakdown: null,
          at: asOf,
        });
        if (account.owed > 0)
          await this.points.payOwed(tx, account, entry.idempotencyKey, lot.sourceRef, asOf);
        released++;
      });
    }
    return released;
  }

  /** Expires what is left of lots whose date has passed, one ledger entry per lot. */
  async expireLots(asOf: Date): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await this.dataSource
        .getRepository(PointsLot)
        .createQueryBuilder('l')
        .where("l.status = 'available' AND l.remaining > 0 AND l.expires_at <= :asOf", { asOf })
        .orderBy('l.id')
        .limit(500)
        .getMany();
      if (due.length === 0) return expired;
      for (const lot of due) {
        await this.uow.run(async (tx) => {
          await this.ledger.lockAccount(tx, lot.memberId);
          const [current] = await this.ledger.lockedLots(tx, 'l.id = :id', {
            id: lot.id,
          });
          if (!current || current.remaining === 0) return;
          await tx.em.update(PointsLot, { id: lot.id }, { remaining: 0 });
          await tx.em
            .createQueryBuilder()
            .update(PointsAccount)
            .set({ balance: () => `balance - ${current.remaining}`, version: () => 'version + 1' })
            .where({ memberId: lot.memberId })
            .execute();
          await this.ledger.writeEntry(tx, {
            source: {
              memberId: lot.memberId,
              key: `expire:${lot.id}`,
              sourceType: 'expiry',
              sourceRef: lot.sourceRef,
              reason: '积分到期',
            },
            type: 'expire',
            points: -current.remaining,
            growth: 0,
            expiresAt: null,
            breakdown: null,
            at: asOf,
          });
          await tx.publish('points.expired', {
            memberId: lot.memberId,
            points: current.remaining,
            at: asOf.toISOString(),
          });
          expired++;
        });
      }
    }
  }

  /** Tells members, once per lot, that points expire within the notice period (messaging sends it). */
  async expiryNotices(asOf: Date): Promise<number> {
    const rules = await this.points.rules();
    const until = new Date(asOf.getTime() + rules.noticeDays * 86_400_000);
    const lots = await this.dataSource
      .getRepository(PointsLot)
      .createQueryBuilder('l')
      .where(
        `l.status = 'available' AND l.remaining > 0 AND l.notice_sent_on IS NULL
         AND l.expires_at > :asOf AND l.expires_at <= :until`,
        { asOf, until },
      )
      .orderBy('l.member_id')
      .addOrderBy('l.expires_at')
      .limit(5000)
      .getMany();
    const byMemberDay = new Map<string, PointsLot[]>();
    for (const lot of lots) {
      const key = `${lot.memberId}|${lastDay(lot.expiresAt!, this.config.brandTimezone)}`;
      byMemberDay.set(key, [...(byMemberDay.get(key) ?? []), lot]);
    }
    const today = brandDay(asOf, this.config.brandTimezone);
    for (const [key, group] of byMemberDay) {
      const [memberId, expiresOn] = key.split('|') as [string, string];
      await this.uow.run(async (tx) => {
        const claimed = await tx.em
          .createQueryBuilder()
          .update(PointsLot)
          .set({ noticeSentOn: today })
          .where('id IN (:...ids) AND notice_sent_on IS NULL', { ids: group.map((l) => l.id) })
          .execute();
        if ((claimed.affected ?? 0) === 0) return;
        await tx.publish('points.expiring', {
          memberId: Number(memberId),
          points: group.reduce((s, l) => s + l.remaining, 0),
          expiresOn,
          at: asOf.toISOString(),
        });
      });
    }
    return byMemberDay.size;
  }
}
