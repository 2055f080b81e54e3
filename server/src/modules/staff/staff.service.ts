import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { createStaffBody, staffSessionView, staffView, updateStaffBody } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { StaffStatusChecker } from '../../infra/auth/auth.guard.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { DomainError, notFound } from '../../infra/http/domain-error.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { AuditService } from './audit.service.js';
import { Staff } from './entities/staff.entity.js';
import { StoresService } from './stores.service.js';

type StaffView = z.output<typeof staffView>;

/** A hash of nothing, verified against when the username is unknown, so timing does not tell which usernames exist. */
let dummyHash: Promise<string> | undefined;

@Injectable()
export class StaffService extends StaffStatusChecker {
  private readonly logger = new Logger('Staff');
  private readonly activeCache = new Map<number, { active: boolean; at: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly stores: StoresService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  /** The first owner, from ADMIN_USERNAME / ADMIN_PASSWORD, or a random password printed once. */
  async ensureFirstOwner(): Promise<void> {
    const repo = this.dataSource.getRepository(Staff);
    if ((await repo.count()) > 0) return;
    const generated = !this.config.admin.password;
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
        await this.audit.record(tx.em, null, {
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
    const ok = await verify(staff.passwordHash, password).catch(() => false);
    if (!ok) throw new DomainError('INVALID_CREDENTIALS', '用户名或密码错误');
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

  async isActive(staffId: number): Promise<boolean> {
    const cached = this.activeCache.get(staffId);
    if (cached && Date.now() - cached.at < 5_000) return cached.active;
    const staff = await this.dataSource
      .getRepository(Staff)
      .findOne({ where: { id: staffId }, select: { id: true, active: true } });
    const active = Boolean(staff?.active);
    this.activeCache.set(staffId, { active, at: Date.now() });
    return active;
  }

  async get(staffId: number): Promise<StaffView> {
    const staff = await this.dataSource.getRepository(Staff).findOneBy({ id: staffId });
    if (!staff) throw notFound('员工账号');
    return toStaffView(staff, await this.stores.names());
  }

  /** The signed-in account, with the brand's time zone the console shows times in. */
  async session(staffId: number): Promise<z.output<typeof staffSessionView>> {
    return { ...(await this.get(staffId)), brandTimeZone: this.config.brandTimezone };
  }

  async list(): Promise<StaffView[]> {
    const names = await this.stores.names();
    return (await this.dataSource.getRepository(Staff).find({ order: { id: 'ASC' } })).map((s) =>
      toStaffView(s, names),
    );
  }

  async create(actor: StaffPrincipal, input: z.output<typeof createStaffBody>): Promise<StaffView> {
    const passwordHash = await hash(input.password);
    return this.uow.run(async (tx) => {
      if (await tx.em.existsBy(Staff, { username: input.username }))
        throw new DomainError('USERNAME_TAKEN', '该登录账号已被使用');
      // Owners and operators work across stores: only a clerk is bound to one.
      const storeCode = input.role === 'clerk' ? (input.storeCode ?? null) : null;
      if (storeCode) await this.stores.assertBindable(tx.em, storeCode);
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
      const view = toStaffView(
        await tx.em.findOneByOrFail(Staff, { id: staff.id }),
        await this.stores.names(tx.em),
      );
      await this.audit.record(tx.em, actor, {
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
    const passwordHash = input.password ? await hash(input.password) : undefined;
    const view = await this.uow.run(async (tx) => {
      const staff = await tx.em.findOneBy(Staff, { id: staffId });
      if (!staff) throw notFound('员工账号');
      const names = await this.stores.names(tx.em);
      const before = toStaffView(staff, names);
      const role = input.role ?? staff.role;
      const requested = input.storeCode === undefined ? staff.storeCode : input.storeCode;
      const storeCode = role === 'clerk' ? requested : null;
      if (role === 'clerk' && !storeCode)
        throw new DomainError('VALIDATION_FAILED', '店员必须绑定门店');
      if (storeCode && storeCode !== staff.storeCode)
        await this.stores.assertBindable(tx.em, storeCode);
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
      const after = toStaffView(await tx.em.findOneByOrFail(Staff, { id: staffId }), names);
      await this.audit.record(tx.em, actor, {
        action: staffAction(before.active, after.active, Boolean(passwordHash)),
        entityType: 'staff',
        entityId: staffId,
        before,
        after,
      });
      return after;
    });
    this.activeCache.delete(staffId);
    return view;
  }
}

/** The audit action of an account change: 停用 and 启用 are named, a password reset too. */
function staffAction(before: boolean, after: boolean, password: boolean): string {
  if (before !== after) return after ? 'staff.activate' : 'staff.deactivate';
  return password ? 'staff.update_with_password' : 'staff.update';
}

export function toStaffView(s: Staff, storeNames: Map<string, string>): StaffView {
  return {
    id: s.id,
    username: s.username,
    displayName: s.displayName,
    role: s.role,
    storeCode: s.storeCode,
    storeName: s.storeCode ? (storeNames.get(s.storeCode) ?? null) : null,
    active: Boolean(s.active),
    lastLoginAt: s.lastLoginAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
  };
}
