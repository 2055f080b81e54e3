import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type {
  createStaffBody,
  createStoreBody,
  staffView,
  storeView,
  updateStaffBody,
} from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { StaffStatusChecker } from '../../infra/auth/auth.guard.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { DomainError, notFound } from '../../infra/http/domain-error.js';
import { UnitOfWork } from '../../infra/events/unit-of-work.js';
import { AuditService } from './audit.service.js';
import { Staff } from './entities/staff.entity.js';
import { Store } from './entities/store.entity.js';

type StaffView = z.output<typeof staffView>;
type StoreView = z.output<typeof storeView>;

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
    if (!ok || !staff.active) throw new DomainError('INVALID_CREDENTIALS', '用户名或密码错误');
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
    return toStaffView(staff);
  }

  async list(): Promise<StaffView[]> {
    return (await this.dataSource.getRepository(Staff).find({ order: { id: 'ASC' } })).map(
      toStaffView,
    );
  }

  async create(actor: StaffPrincipal, input: z.output<typeof createStaffBody>): Promise<StaffView> {
    const passwordHash = await hash(input.password);
    return this.uow.run(async (tx) => {
      if (await tx.em.existsBy(Staff, { username: input.username }))
        throw new DomainError('USERNAME_TAKEN', '用户名已被使用');
      if (input.storeCode && !(await tx.em.existsBy(Store, { code: input.storeCode })))
        throw new DomainError('VALIDATION_FAILED', `门店 ${input.storeCode} 不存在`);
      const staff = tx.em.create(Staff, {
        username: input.username,
        passwordHash,
        displayName: input.displayName ?? null,
        role: input.role,
        storeCode: input.storeCode ?? null,
        active: true,
      });
      await tx.em.insert(Staff, staff);
      const view = toStaffView(await tx.em.findOneByOrFail(Staff, { id: staff.id }));
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
      const before = toStaffView(staff);
      const role = input.role ?? staff.role;
      const storeCode = input.storeCode === undefined ? staff.storeCode : input.storeCode;
      if (role === 'clerk' && !storeCode)
        throw new DomainError('VALIDATION_FAILED', '店员必须绑定门店');
      if (storeCode && !(await tx.em.existsBy(Store, { code: storeCode })))
        throw new DomainError('VALIDATION_FAILED', `门店 ${storeCode} 不存在`);
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
      const after = toStaffView(await tx.em.findOneByOrFail(Staff, { id: staffId }));
      await this.audit.record(tx.em, actor, {
        action: passwordHash ? 'staff.update_with_password' : 'staff.update',
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

  async listStores(): Promise<StoreView[]> {
    return (await this.dataSource.getRepository(Store).find({ order: { code: 'ASC' } })).map(
      toStoreView,
    );
  }

  async createStore(
    actor: StaffPrincipal,
    input: z.output<typeof createStoreBody>,
  ): Promise<StoreView> {
    return this.uow.run(async (tx) => {
      if (await tx.em.existsBy(Store, { code: input.code }))
        throw new DomainError('STORE_CODE_TAKEN', '门店编码已存在');
      const store = tx.em.create(Store, { code: input.code, name: input.name });
      await tx.em.insert(Store, store);
      const view = toStoreView(await tx.em.findOneByOrFail(Store, { id: store.id }));
      await this.audit.record(tx.em, actor, {
        action: 'store.create',
        entityType: 'store',
        entityId: store.id,
        after: view,
      });
      return view;
    });
  }
}

export function toStaffView(s: Staff): StaffView {
  return {
    id: s.id,
    username: s.username,
    displayName: s.displayName,
    role: s.role,
    storeCode: s.storeCode,
    active: Boolean(s.active),
    createdAt: s.createdAt.toISOString(),
  };
}

function toStoreView(s: Store): StoreView {
  return { id: s.id, code: s.code, name: s.name, createdAt: s.createdAt.toISOString() };
}
