import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { LifecycleRecompute } from './lifecycle-recompute.service.js';

/**
 * Replays the stage history of a brand whose orders were loaded after the fact (the demo brand on `npm start`):
 * the stages, transitions and daily snapshots are thrown away and decided again as of each of `days`, oldest first,
 * as the nightly recompute would have left them had it run on those days. Without it every stage change of the
 * loaded history would be dated the day it was loaded.
 */
@Injectable()
export class LifecycleReplay {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly recompute: LifecycleRecompute,
  ) {}

  async replay(days: string[]): Promise<number> {
    await this.uow.run(async (tx) => {
      await tx.em.query('DELETE FROM lifecycle_transition');
      await tx.em.query('DELETE FROM lifecycle_snapshot');
      await tx.em.query(
        "UPDATE member SET stage = 'potential' WHERE status IN ('visitor', 'member')",
      );
    });
    let transitions = 0;
    for (const day of [...days].sort())
      transitions += (await this.recompute.recompute(day)).transitions;
    return transitions;
  }
}
