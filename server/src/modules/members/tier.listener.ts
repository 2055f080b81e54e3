import { Injectable } from '@nestjs/common';
import { OnDomainEvent } from '../../infra/events/event-bus.js';
import type { DomainEventMap } from '../../infra/events/event-map.js';
import { TierService } from './tier.service.js';

/** Upgrades happen as soon as growth passes a threshold: the points ledger says when growth rose. */
@Injectable()
export class TierListener {
  constructor(private readonly tiers: TierService) {}

  @OnDomainEvent('points.changed')
  async onPointsChanged(event: DomainEventMap['points.changed']): Promise<void> {
    if (event.growth <= 0) return;
    // Most growth changes cannot reach any tier above the entry one: no query, no transaction for them.
    const ladder = await this.tiers.ladder();
    const lowestAboveEntry = ladder.find((t) => t.rank > 0)?.growthThreshold;
    if (lowestAboveEntry === undefined || event.growthTotal < lowestAboveEntry) return;
    await this.tiers.upgradeIfDue(event.memberId);
  }
}
