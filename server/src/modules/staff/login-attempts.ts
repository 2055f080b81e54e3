import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { affectedRows, sqlInstant } from '../../infra/database/bulk.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { Staff } from './entities/staff.entity.js';

export const ACCOUNT_LOCKED_MESSAGE = '登录失败次数过多，账号已锁定，请联系店主解锁';

/**
 * Per-account limits on staff logins, kept in the staff row. Each attempt is counted *before* the password is
 * checked, by one conditional UPDATE that also sets the next backoff: concurrent wrong attempts cannot slip
 * past the backoff or the lock, as each needs its own row change (no read-then-write). A good password resets
 * the count. After `lockAfter` wrong passwords in a row the account stays locked until an owner unlocks it.
 */
@Injectable()
export class LoginAttempts {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Takes one attempt for this account, or refuses with the lock or the time left to wait. */
  async claim(staffId: number): Promise<void> {
    const { backoffAfter, lockAfter } = this.config.loginLimits;
    const kind = this.config.database.kind;
    const now = new Date();
    // The count this attempt makes if it fails, and the wait that follows it; CASE over the old count.
    const waits: unknown[] = [];
    let cases = '';
    for (let failed = backoffAfter; failed < lockAfter; failed++) {
      cases += ' WHEN ? THEN ?';
      waits.push(failed - 1, sqlInstant(kind, new Date(now.getTime() + this.waitMs(failed))));
    }
    const blockedUntil = cases ? `CASE failed_logins${cases} ELSE NULL END` : 'NULL';
    const claimed = await this.uow.run((tx) =>
      affectedRows(
        tx.em,
        // MySQL assigns left to right and later ones see earlier ones: the CASE reads the old count first.
        `UPDATE staff SET login_blocked_until = ${blockedUntil}, failed_logins = failed_logins + 1
         WHERE id = ? AND failed_logins < ?
           AND (login_blocked_until IS NULL OR login_blocked_until <= ?)`,
        [...waits, staffId, lockAfter, sqlInstant(kind, now)],
      ),
    );
    if (claimed === 1) return;
    const row = await this.dataSource.getRepository(Staff).findOne({
      where: { id: staffId },
      select: { id: true, failedLogins: true, loginBlockedUntil: true },
    });
    if (!row || row.failedLogins >= lockAfter)
      throw new DomainError('ACCOUNT_LOCKED', ACCOUNT_LOCKED_MESSAGE);
    const retryAfter = Math.max(
      1,
      Math.ceil(((row.loginBlockedUntil?.getTime() ?? now.getTime()) - now.getTime()) / 1000),
    );
    throw new DomainError('RATE_LIMITED', `登录失败次数过多，请 ${retryAfter} 秒后再试`, {
      retryAfter,
    });
  }

  /** The password was right: the count starts again. */
  async succeeded(staffId: number): Promise<void> {
    await this.dataSource
      .getRepository(Staff)
      .update({ id: staffId }, { failedLogins: 0, loginBlockedUntil: null });
  }

  /** After a wrong password: whether this one locked the account. */
  async lockedNow(staffId: number): Promise<boolean> {
    const row = await this.dataSource
      .getRepository(Staff)
      .findOne({ where: { id: staffId }, select: { id: true, failedLogins: true } });
    return (row?.failedLogins ?? 0) >= this.config.loginLimits.lockAfter;
  }

  /** The wait after the `failed`-th wrong password in a row: backoffSeconds, doubling, at most an hour. */
  private waitMs(failed: number): number {
    const { backoffAfter, backoffSeconds } = this.config.loginLimits;
    return Math.min(3600, backoffSeconds * 2 ** (failed - backoffAfter)) * 1000;
  }
}
