import { Inject, Injectable } from '@nestjs/common';
import { brandDay } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { OnDomainEvent, type DomainEventMap } from '../../infra/events/event-bus.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { MemberDaysService } from './member-days.service.js';

/** Purchases and check-ins inside a member day's window count as taking part (badges count member days this way). */
@Injectable()
export class MemberDaysListener {
  constructor(
    private readonly days: MemberDaysService,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnDomainEvent('order.paid')
  async paid(e: DomainEventMap['order.paid']): Promise<void> {
    await this.participated(e.memberId, new Date(e.paidAt));
  }

  @OnDomainEvent('checkin.created')
  async checkedIn(e: DomainEventMap['checkin.created']): Promise<void> {
    if (e.kind === 'daily') await this.participated(e.memberId, new Date(e.at));
  }

  private async participated(memberId: number, at: Date): Promise<void> {
    const active = await this.days.activeFor(memberId, at);
    if (active.length === 0) return;
    const day = brandDay(at, this.config.brandTimezone);
    await this.uow.run(async (tx) => {
      for (const d of active)
        await tx.publish('member_day.participated', {
          memberId,
          memberDayId: d.id,
          day,
          at: at.toISOString(),
        });
    });
  }
}
