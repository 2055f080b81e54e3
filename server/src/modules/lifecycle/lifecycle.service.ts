import { Inject, Injectable } from '@nestjs/common';
import {
  brandDay,
  zoneOffsetMinutes,
  DEFAULT_LIFECYCLE_SETTINGS,
  lifecycleSettings,
  type LifecycleSettings,
  type LifecycleStage,
} from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { Actor } from '../../infra/auth/token.service.js';
import { UnitOfWork, type Tx } from '../../infra/events/unit-of-work.js';
import { SettingsService } from '../../infra/settings/settings.service.js';
import { affectedRows } from '../../infra/database/bulk.js';
import { AuditService } from '../staff/index.js';
import { LifecycleTransition } from './lifecycle.entities.js';
import { memberStageSql, type Dialect } from './lifecycle-sql.js';

const SETTINGS_KEY = 'lifecycle';
/** The nightly job's name, and the lease every recompute and fit holds. */
export const LIFECYCLE_LEASE = 'lifecycle.nightly';

/**
 * Lifecycle stages, RFM, low-frequency and at-risk flags. The decisions are set-based SQL over the whole member base
 * (docs/lifecycle.md): per-member purchase aggregates are kept current at order time (LifecycleRefresh), and the
 * nightly recompute (LifecycleRecompute) scans those one-row-per-member aggregates instead of the orders; the reads
 * and exports are LifecycleReports. `member.stage` is this module's column (it lives on the member row because every
 * reader of a member needs it); nothing else writes it after creation.
 *
 * This service holds what all of them share: the brand's settings, the brand-local clock, the stage SQL and the
 * single-member stage change.
 */
@Injectable()
export class LifecycleService {
  readonly kind: Dialect;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly settingsService: SettingsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.kind = config.database.kind;
  }

  settings(tx?: Tx): Promise<LifecycleSettings> {
    return this.settingsService.get(
      SETTINGS_KEY,
      lifecycleSettings,
      DEFAULT_LIFECYCLE_SETTINGS,
      tx,
    );
  }

  async setSettings(actor: Actor, input: LifecycleSettings): Promise<LifecycleSettings> {
    return this.uow.run(async (tx) => {
      const before = await this.settings(tx);
      const after = await this.settingsService.set(tx, SETTINGS_KEY, lifecycleSettings, input);
      await this.audit.record(tx, actor, {
        action: 'lifecycle.settings',
        entityType: 'settings',
        entityId: SETTINGS_KEY,
        before,
        after,
      });
      return after;
    });
  }

  today(now = new Date()): string {
    return brandDay(now, this.config.brandTimezone);
  }

  /** The brand zone's offset from UTC now, in minutes. */
  offset(): number {
    return zoneOffsetMinutes(this.config.brandTimezone, new Date());
  }

  /**
   * One member's stage change, in the caller's transaction: the member row (only if it is still `from`), the
   * transition, and `member.stage_changed`. Members calls it on join; answers whether it changed anything.
   */
  async setStage(
    tx: Tx,
    memberId: number,
    from: LifecycleStage,
    to: LifecycleStage,
    cause: string,
    day = this.today(),
  ): Promise<boolean> {
    if (from === to) return false;
    if (
      (await affectedRows(tx.em, 'UPDATE member SET stage = ? WHERE id = ? AND stage = ?', [
        to,
        memberId,
        from,
      ])) === 0
    )
      return false;
    await tx.em.insert(LifecycleTransition, { memberId, fromStage: from, toStage: to, day, cause });
    await tx.publish('member.stage_changed', {
      memberId,
      from,
      to,
      day,
      cause,
      at: new Date().toISOString(),
    });
    return true;
  }

  /** The stage of members `m` as of day number `asOf`, with their aggregates under the alias `agg`. */
  stageSql(s: LifecycleSettings, asOf: number, agg: string): string {
    return memberStageSql(this.kind, this.offset(), s, asOf, agg);
  }
}
