import { Inject, Injectable } from '@nestjs/common';
import { brandDay } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { bulkInsert, sqlInstant } from '../../infra/database/bulk.js';
import { OnDomainEvent, type DomainEventMap } from '../../infra/events/event-bus.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { MemberDaysService } from './member-days.service.js';

/**
 * Purchases, check-ins, redemptions and coupon claims inside one of the member's member days count as taking part:
 * recorded once per member day, date and member (the occurrence report counts them), and announced once with
 * `member_day.participated` (badges count member days this way).
 */
@Injectable()
export class MemberDaysListener {
  constructor(
    private readonly days: MemberDaysService,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnDomainEvent('order.paid')
  async paid(e: DomainEventMap['order.paid']): Promise<void> {
    await this.participated(e.memberId, new Date(e.paidAt), 'purchase');
  }

  @OnDomainEvent('checkin.created')
  async checkedIn(e: DomainEventMap['checkin.created']): Promise<void> {
    if (e.kind === 'daily') await this.participated(e.memberId, new Date(e.at), 'checkin');
  }

  @OnDomainEvent('mall.redeemed')
  async redeemed(e: DomainEventMap['mall.redeemed']): Promise<void> {
    await this.participated(e.memberId, new Date(e.at), 'redemption');
  }

  @OnDomainEvent('coupon.claimed')
  async claimed(e: DomainEventMap['coupon.claimed']): Promise<void> {
    if (e.channel === 'center') await this.participated(e.memberId, new Date(e.at), 'coupon_claim');
  }

  private async participated(memberId: number, at: Date, via: string): Promise<void> {
    const active = await this.days.activeFor(memberId, at);
    if (active.length === 0) return;
    const day = brandDay(at, this.config.brandTimezone);
    await this.uow.run(async (tx) => {
      for (const d of active) {
        // The unique (member day, date, member) keeps the first; a later action or a redelivery adds nothing.
        const inserted = await bulkInsert(
          tx.em,
          this.config.database.kind,
          'member_day_participation',
          ['member_day_id', 'day', 'member_id', 'via', 'first_at'],
          [[d.id, day, memberId, via, sqlInstant(this.config.database.kind, at)]],
          { ignore: true },
        );
        if (inserted > 0)
          await tx.publish('member_day.participated', {
            memberId,
            memberDayId: d.id,
            day,
            at: at.toISOString(),
          });
      }
    });
  }
}
