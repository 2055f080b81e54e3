import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { createStaffBody, staffSessionView, staffView, updateStaffBody } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { type StaffAccountState, StaffStatusChecker } from '../../infra/auth/auth.guard.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { DomainError, notFound } from '../../infra/http/domain-error.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { AuditService } from './audit.service.js';
import { Staff } from './entities/staff.entity.js';
import { StoresService } from './stores.service.js';
import { ACCOUNT_LOCKED_MESSAGE, LoginAttempts } from './login-attempts.js';
import { assertStaffPassword, isCommonPassword } from './password-policy.js';

type StaffView = z.output<typeof staffView>;

/**
 * How long the guard may use an account's role, store, status and token version without reading the row again.
 * Changes made through this process drop the entry at once; other processes see them within this time.
 */
export const STAFF_CACHE_TTL_MS = 5_000;

/** A hash of nothing, verified against when the username is unknown, so timing does not tell which usernames exist. */
let dummyHash: Promise<string> | undefined;

@Injectable()
export class StaffService extends StaffStatusChecker {
  private readonly logger = new Logger('Staff');
  private readonly accounts = new Map<number, { state: StaffAccountState | null; at: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly stores: StoresService,
    private readonly attempts: LoginAttempts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  /** The first owner, from ADMIN_USERNAME / ADMIN_PASSWORD, or a random password printed once. */
  async ensureFirstOwner(): Promise<void> {
    const repo = this.dataSource.getRepository(Staff);
    if ((await repo.count()) > 0) return;
    const generated = !this.config.admin.password;
    if (this.config.admin.password && isCommonPassword(this.config.admin.password))
      throw new Error('ADMIN_PASSWORD is a common password: choose one that is hard to guess');
    const password = this.config.admin.password ?? randomBytes(12).toString('base64url');
    try {
      await this.uow.run(async (tx) => {
        const owner = tx.em.create(Staff, {
          username: this.config.admin.username,
          passwordHash: await hash(password),
          displayName: '品牌管理员',
          role: 'owner',
          storeCode: null,
          active: true,
        });
        await tx.em.insert(Staff, owner);
        await this.audit.record(tx, null, {
          action: 'staff.bootstrap_owner',
          entityType: 'staff',
          entityId: owner.id,
          after: { username: owner.username, role: 'owner' },
        });
      });
    } catch (err) {
      // Another instance created it first.
      if ((await repo.count()) > 0) return;
      throw err;
    }
    if (generated) {
      // Printed to stdout once, on purpose, not through the logger: it must not end up in log storage.
      process.stdout.write(
        `\n  First owner account created: ${this.config.admin.username} / ${password}\n` +
          '  Change it after logging in, or set ADMIN_PASSWORD.\n\n',
      );
    }
  }

  async login(username: string, password: string): Promise<Staff> {
    const staff = await this.dataSource.getRepository(Staff).findOneBy({ username });
    if (!staff) {
      dummyHash ??= hash('not-a-password');
      await verify(await dummyHash, password).catch(() => false);
      throw new DomainError('INVALID_CREDENTIALS', '用户名或密码错误');
    }
    await this.attempts.claim(staff.id);
    const ok = await verify(staff.passwordHash, password).catch(() => false);
    if (!ok) {
      if (await this.attempts.lockedNow(staff.id))
        throw new DomainError('ACCOUNT_LOCKED', ACCOUNT_LOCKED_MESSAGE);
      throw new DomainError('INVALID_CREDENTIALS', '用户名或密码错误');
    }
    await this.attempts.succeeded(staff.id);
    // Said only to whoever knows the password: that the account exists but may not sign in, and why.
    if (!staff.active) throw new DomainError('ACCOUNT_DISABLED', '该账号已停用，请联系店长');
    const store = staff.storeCode ? await this.stores.byCode(staff.storeCode) : null;
    if (staff.role === 'clerk' && !store?.active)
      throw new DomainError('ACCOUNT_DISABLED', '所属门店已停用，请联系店长');
    await this.dataSource
      .getRepository(Staff)
      .update({ id: staff.id }, { lastLoginAt: new Date() });
    return staff;
  }

  /** The account as the guard needs it, read through a cache of STAFF_CACHE_TTL_MS. */
  async current(staffId: number): Promise<StaffAccountState | null> {
    const cached = this.accounts.get(staffId);
    if (cached && Date.now() - cached.at < STAFF_CACHE_TTL_MS) return cached.state;
    const staff = await this.dataSource.getRepository(Staff).findOne({
      where: { id: staffId },
      select: {
        id: true,
        username: true,
        role: true,
        storeCode: true,
        active: true,
        tokenVersion: true,
      },
    });
    const state: StaffAccountState | null = staff
      ? {
          username: staff.username,
          role: staff.role,
          storeCode: staff.storeCode,
          active: Boolean(staff.active),
          tokenVersion: Number(staff.tokenVersion),
        }
      : null;
    if (this.accounts.size > 10_000) this.accounts.clear();
    this.accounts.set(staffId, { state, at: Date.now() });
    return state;
  }

  /** Changes one's own password after checking the current one (counted like a login); ends other sessions. */
  async changeOwnPassword(me: StaffPrincipal, current: string, next: string): Promise<Staff> {
    const staff = await this.dataSource.getRepository(Staff).findOneBy({ id: me.staffId });
    if (!staff) throw notFound('员工账号');
    await this.attempts.claim(staff.id);
    if (!(await verify(staff.passwordHash, current).catch(() => false))) {
      if (await this.attempts.lockedNow(staff.id))
        throw new DomainError('ACCOUNT_LOCKED', ACCOUNT_LOCKED_MESSAGE);
      // Not a 401: the session itself is fine, and the console ends sessions on 401.
      throw new DomainError('VALIDATION_FAILED', '当前密码不正确', {
        issues: [{ in: 'body', path: 'currentPassword', message: '当前密码不正确' }],
      });
    }
    await this.attempts.succeeded(staff.id);
    assertStaffPassword(next, 'newPassword');
    if (current === next) throw new DomainError('BUSINESS_RULE', '新密码不能与当前密码相同');
    const passwordHash = await hash(next);
    await this.uow.run(async (tx) => {
      await tx.em.update(Staff, { id: staff.id }, { passwordHash });
      await tx.em.increment(Staff, { id: staff.id }, 'tokenVersion', 1);
      await this.audit.record(tx, me, {
        action: 'staff.change_own_password',
        entityType: 'staff',
        entityId: staff.id,
      });
    });
    this.accounts.delete(staff.id);
    return this.dataSource.getRepository(Staff).findOneByOrFail({ id: staff.id });
  }

  /** Lifts the lock (and any backoff) after wrong passwords; audited. */
  async unlock(actor: StaffPrincipal, staffId: number): Promise<StaffView> {
    return this.uow.run(async (tx) => {
      const staff = await tx.em.findOneBy(Staff, { id: staffId });
      if (!staff) throw notFound('员工账号');
      const names = await this.stores.names(tx);
      const before = this.view(staff, names);
      await tx.em.update(Staff, { id: staffId }, { failedLogins: 0, loginBlockedUntil: null });
      const after = this.view(await tx.em.findOneByOrFail(Staff, { id: staffId }), names);
      await this.audit.record(tx, actor, {
        action: 'staff.unlock',
        entityType: 'staff',
        entityId: staffId,
        before: { locked: before.locked, failedLogins: staff.failedLogins },
        after: { locked: after.locked },
      });
      return after;
    });
  }

  async get(staffId: number): Promise<StaffView> {
    const staff = await this.dataSource.getRepository(Staff).findOneBy({ id: staffId });
    if (!staff) throw notFound('员工账号');
    return this.view(staff, await this.stores.names());
  }

  private view(staff: Staff, storeNames: Map<string, string>): StaffView {
    return toStaffView(staff, storeNames, this.config.loginLimits.lockAfter);
  }

  /** The signed-in account, with the brand's time zone the console shows times in. */
  async session(staffId: number): Promise<z.output<typeof staffSessionView>> {
    return { ...(await this.get(staffId)), brandTimeZone: this.config.brandTimezone };
  }

  async list(): Promise<StaffView[]> {
    const names = await this.stores.names();
    return (await this.dataSource.getRepository(Staff).find({ order: { id: 'ASC' } })).map((s) =>
      this.view(s, names),
    );
  }

  async create(actor: StaffPrincipal, input: z.output<typeof createStaffBody>): Promise<StaffView> {
    assertStaffPassword(input.password);
    const passwordHash = await hash(input.password);
    return this.uow.run(async (tx) => {
      if (await tx.em.existsBy(Staff, { username: input.username }))
        throw new DomainError('USERNAME_TAKEN', '该登录账号已被使用');
      // Owners and operators work across stores: only a clerk is bound to one.
      const storeCode = input.role === 'clerk' ? (input.storeCode ?? null) : null;
      if (storeCode) await this.stores.assertBindable(tx, storeCode);
      const staff = tx.em.create(Staff, {
        username: input.username,
        passwordHash,
        displayName: input.displayName ?? null,
        role: input.role,
        storeCode,
        active: true,
      });
      await tx.em.insert(Staff, staff).catch((err: unknown) => {
        // Two creates of one username at once: the unique key decides, the loser hears why.
        if (isUniqueViolation(err)) throw new DomainError('USERNAME_TAKEN', '该登录账号已被使用');
        throw err;
      });
      const view = this.view(
        await tx.em.findOneByOrFail(Staff, { id: staff.id }),
        await this.stores.names(tx),
      );
      await this.audit.record(tx, actor, {
        action: 'staff.create',
        entityType: 'staff',
        entityId: staff.id,
        after: view,
      });
      return view;
    });
  }

  async update(
    actor: StaffPrincipal,
    staffId: number,
    input: z.output<typeof updateStaffBody>,
  ): Promise<StaffView> {
    if (input.password) assertStaffPassword(input.password);
    const passwordHash = input.password ? await hash(input.password) : undefined;
    const view = await this.uow.run(async (tx) => {
      const staff = await tx.em.findOneBy(Staff, { id: staffId });
      if (!staff) throw notFound('员工账号');
      const names = await this.stores.names(tx);
      const before = this.view(staff, names);
      const role = input.role ?? staff.role;
      const requested = input.storeCode === undefined ? staff.storeCode : input.storeCode;
      const storeCode = role === 'clerk' ? requested : null;
      if (role === 'clerk' && !storeCode)
        throw new DomainError('VALIDATION_FAILED', '店员必须绑定门店');
      if (storeCode && storeCode !== staff.storeCode)
        await this.stores.assertBindable(tx, storeCode);
      if (
        staff.id === actor.staffId &&
        (input.active === false || (input.role && input.role !== 'owner'))
      ) {
        throw new DomainError('BUSINESS_RULE', '不能停用自己或降低自己的角色');
      }
      await tx.em.update(
        Staff,
        { id: staffId },
        {
          role,
          storeCode,
          ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
          ...(input.active !== undefined ? { active: input.active } : {}),
          ...(passwordHash ? { passwordHash } : {}),
        },
      );
      // A new password or a change of status ends the account's sessions; role and store follow at once anyway.
      if (passwordHash || (input.active !== undefined && input.active !== Boolean(staff.active)))
        await tx.em.increment(Staff, { id: staffId }, 'tokenVersion', 1);
      const after = this.view(await tx.em.findOneByOrFail(Staff, { id: staffId }), names);
      await this.audit.record(tx, actor, {
        action: staffAction(before, after, Boolean(passwordHash)),
        entityType: 'staff',
        entityId: staffId,
        before,
        after,
      });
      return after;
    });
    this.accounts.delete(staffId);
    return view;
  }
}

/**
 * The audit action of an account change: 停用, 启用, a password reset, a change of role or store are named (before
 * and after always show every field).
 */
function staffAction(before: StaffView, after: StaffView, password: boolean): string {
  if (before.active !== after.active) return after.active ? 'staff.activate' : 'staff.deactivate';
  if (password) return 'staff.update_with_password';
  if (before.role !== after.role) return 'staff.change_role';
  if (before.storeCode !== after.storeCode) return 'staff.change_store';
  return 'staff.update';
}

export function toStaffView(
  s: Staff,
  storeNames: Map<string, string>,
  lockAfter: number,
): StaffView {
  return {
    id: s.id,
    username: s.username,
    displayName: s.displayName,
    role: s.role,
    storeCode: s.storeCode,
    storeName: s.storeCode ? (storeNames.get(s.storeCode) ?? null) : null,
    active: Boolean(s.active),
    locked: s.failedLogins >= lockAfter,
    lastLoginAt: s.lastLoginAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
  };
}
