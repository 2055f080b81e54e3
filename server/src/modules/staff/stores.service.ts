import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { createStoreBody, storeView, updateStoreBody } from '@huoyue/shared';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError, notFound } from '../../infra/http/domain-error.js';
import { AuditService } from './audit.service.js';
import { Staff } from './entities/staff.entity.js';
import { Store } from './entities/store.entity.js';

type StoreView = z.output<typeof storeView>;

/** Generated store codes are digits from here up, so they read the same to anyone and sort in creation order. */
const FIRST_GENERATED_CODE = 1001;

/** The brand's stores: created (code chosen or generated once), renamed, closed and reopened by owners; audited. */
@Injectable()
export class StoresService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<StoreView[]> {
    const stores = await this.dataSource.getRepository(Store).find({ order: { id: 'ASC' } });
    const counts = await this.clerkCounts(this.dataSource.manager);
    return stores.map((s) => toStoreView(s, counts.get(s.code) ?? 0));
  }

  /** Store names by code, for pages and exports that must not show a bare code. */
  async names(tx?: Tx): Promise<Map<string, string>> {
    const stores = await (tx?.em ?? this.dataSource.manager).find(Store);
    return new Map(stores.map((s) => [s.code, s.name]));
  }

  async create(actor: StaffPrincipal, input: z.output<typeof createStoreBody>): Promise<StoreView> {
    // A generated code can meet another creation's: the unique key decides, and the loser takes the next number.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.uow.run(async (tx) => {
          const code = input.code ?? (await this.nextCode(tx.em));
          if (await tx.em.existsBy(Store, { code }))
            throw new DomainError('STORE_CODE_TAKEN', `门店编码 ${code} 已被使用`);
          const store = tx.em.create(Store, {
            code,
            name: input.name,
            address: input.address || null,
            active: true,
          });
          await tx.em.insert(Store, store);
          const view = toStoreView(await tx.em.findOneByOrFail(Store, { id: store.id }), 0);
          await this.audit.record(tx, actor, {
            action: 'store.create',
            entityType: 'store',
            entityId: store.id,
            after: view,
          });
          return view;
        });
      } catch (err) {
        if (!input.code && attempt < 4 && isUniqueViolation(err)) continue;
        if (isUniqueViolation(err)) throw new DomainError('STORE_CODE_TAKEN', '门店编码已被使用');
        throw err;
      }
    }
  }

  async update(
    actor: StaffPrincipal,
    id: number,
    input: z.output<typeof updateStoreBody>,
  ): Promise<StoreView> {
    return this.uow.run(async (tx) => {
      const store = await tx.em.findOneBy(Store, { id });
      if (!store) throw notFound('门店');
      const counts = await this.clerkCounts(tx.em);
      const before = toStoreView(store, counts.get(store.code) ?? 0);
      await tx.em.update(
        Store,
        { id },
        {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.address !== undefined ? { address: input.address || null } : {}),
          ...(input.active !== undefined ? { active: input.active } : {}),
        },
      );
      const after = toStoreView(
        await tx.em.findOneByOrFail(Store, { id }),
        counts.get(store.code) ?? 0,
      );
      const action = activeChange(before.active, after.active);
      await this.audit.record(tx, actor, {
        action: `store.${action}`,
        entityType: 'store',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  /** The store a clerk may be bound to: it exists and is open. */
  async assertBindable(tx: Tx, code: string): Promise<void> {
    const store = await tx.em.findOneBy(Store, { code });
    if (!store) throw new DomainError('VALIDATION_FAILED', '所选门店不存在');
    if (!store.active)
      throw new DomainError('BUSINESS_RULE', `门店「${store.name}」已停用，不能绑定店员`);
  }

  async byCode(code: string, tx?: Tx): Promise<Store | null> {
    return (tx?.em ?? this.dataSource.manager).findOneBy(Store, { code });
  }

  private async nextCode(em: EntityManager): Promise<string> {
    const codes = (await em.find(Store, { select: { code: true } })).map((s) => s.code);
    const numbers = codes.filter((c) => /^\d{1,9}$/.test(c)).map(Number);
    return String(Math.max(FIRST_GENERATED_CODE - 1, ...numbers) + 1);
  }

  private async clerkCounts(em: EntityManager): Promise<Map<string, number>> {
    const rows: { code: string; n: number | string }[] = await em
      .createQueryBuilder(Staff, 's')
      .select('s.storeCode', 'code')
      .addSelect('COUNT(*)', 'n')
      .where("s.role = 'clerk' AND s.active = 1")
      .groupBy('s.storeCode')
      .getRawMany();
    return new Map(rows.map((r) => [r.code, Number(r.n)]));
  }
}

function activeChange(before: boolean, after: boolean): 'update' | 'activate' | 'deactivate' {
  if (before === after) return 'update';
  return after ? 'activate' : 'deactivate';
}

function toStoreView(s: Store, clerks: number): StoreView {
  return {
    id: s.id,
    code: s.code,
    name: s.name,
    address: s.address,
    active: Boolean(s.active),
    clerks,
    createdAt: s.createdAt.toISOString(),
  };
}
