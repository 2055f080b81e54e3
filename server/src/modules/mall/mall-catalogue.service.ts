import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { mallItemInput, mallItemView, routes } from '@huoyue/shared';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { SoldOutMarks } from '../../infra/stock/sold-out-marks.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { CouponTemplatesService, mallRefusal, type TemplateSummary } from '../coupons/index.js';
import { AuditService, StoresService } from '../staff/index.js';
import { UploadsService } from '../uploads/index.js';
import { MallItem, MallRedemption } from './mall.entity.js';

export type ItemView = z.output<typeof mallItemView>;
type ItemPatch = z.output<NonNullable<typeof routes.mall.updateItem.body>>;

/**
 * The staff side of the points mall's catalogue: items listed by status, created and edited (a coupon item's coupon
 * must exist, be on and be offered in the mall), stock moved by a delta that never goes below zero, 上架/下架, and
 * deleted while never redeemed. Every write is audited in its transaction.
 */
@Injectable()
export class MallCatalogueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly templates: CouponTemplatesService,
    private readonly audit: AuditService,
    private readonly stores: StoresService,
    private readonly uploads: UploadsService,
    private readonly soldOut: SoldOutMarks,
  ) {}

  /** Items as staff and members see them: their coupon, why they cannot be redeemed now, their picture's address. */
  async views(items: MallItem[], tx?: Tx): Promise<ItemView[]> {
    const em = tx?.em ?? this.dataSource.manager;
    const ids = items.map((i) => i.id).concat(0);
    const [summaries, counts] = await Promise.all([
      this.templates.summaries(
        items.flatMap((i) => (i.couponTemplateId ? [i.couponTemplateId] : [])),
        tx,
      ),
      em
        .createQueryBuilder(MallRedemption, 'r')
        .select('r.item_id', 'itemId')
        .addSelect('COUNT(*)', 'n')
        .where('r.item_id IN (:...ids)', { ids })
        .groupBy('r.item_id')
        .getRawMany<{ itemId: number; n: number | string }>(),
    ]);
    const redeemed = new Map(counts.map((c) => [Number(c.itemId), Number(c.n)]));
    return items.map((i) => this.view(i, summaries, redeemed.get(i.id) ?? 0));
  }

  async list(status?: 'active' | 'inactive'): Promise<ItemView[]> {
    const rows = await this.dataSource.getRepository(MallItem).find({
      where: status ? { active: status === 'active' } : {},
      order: { id: 'DESC' },
    });
    return this.views(rows);
  }

  async create(actor: StaffPrincipal, input: z.output<typeof mallItemInput>): Promise<ItemView> {
    await this.checkReferences(input);
    return this.uow.run(async (tx) => {
      const { stores, ...rest } = input;
      const item = tx.em.create(MallItem, {
        ...rest,
        storeCodes: stores,
        availableFrom: input.availableFrom ? new Date(input.availableFrom) : null,
        availableTo: input.availableTo ? new Date(input.availableTo) : null,
      });
      await tx.em.insert(MallItem, item);
      const [view] = await this.views([item], tx);
      await this.audit.record(tx, actor, {
        action: 'mall_item.create',
        entityType: 'mall_item',
        entityId: item.id,
        after: view,
      });
      return view!;
    });
  }

  async update(actor: StaffPrincipal, id: number, input: ItemPatch): Promise<ItemView> {
    const current = await this.dataSource.getRepository(MallItem).findOneBy({ id });
    if (!current) throw new DomainError('NOT_FOUND', '商品不存在');
    if (input.couponTemplateId !== undefined && current.kind !== 'coupon')
      throw new DomainError('VALIDATION_FAILED', '只有优惠券商品可以关联优惠券', {
        field: 'couponTemplateId',
      });
    await this.checkReferences({ ...input, kind: current.kind });
    const view = await this.uow.run(async (tx) => {
      const item = await tx.em.findOneBy(MallItem, { id });
      if (!item) throw new DomainError('NOT_FOUND', '商品不存在');
      const [before] = await this.views([item], tx);
      const { stockDelta, availableFrom, availableTo, stores, ...rest } = input;
      if (stockDelta) await moveStock(tx, id, stockDelta);
      const changes: Partial<MallItem> = { ...rest };
      if (stores !== undefined) changes.storeCodes = stores;
      if (availableFrom !== undefined)
        changes.availableFrom = availableFrom ? new Date(availableFrom) : null;
      if (availableTo !== undefined)
        changes.availableTo = availableTo ? new Date(availableTo) : null;
      if (Object.keys(changes).length > 0) await tx.em.update(MallItem, { id }, changes);
      const [after] = await this.views([(await tx.em.findOneBy(MallItem, { id }))!], tx);
      await this.audit.record(tx, actor, {
        action: updateAction(item, input),
        entityType: 'mall_item',
        entityId: id,
        before,
        after: stockDelta ? { ...after, stockDelta } : after,
      });
      return after!;
    });
    // Once committed: a restock (or any edit) lets the next redemption try the stock again.
    this.soldOut.clear(id);
    return view;
  }

  /** Deletes an item never redeemed; otherwise 409 IN_USE (下架 keeps the history and stops redemptions). */
  async remove(actor: StaffPrincipal, id: number): Promise<{ id: number }> {
    return this.uow.run(async (tx) => {
      const item = await tx.em.findOneBy(MallItem, { id });
      if (!item) throw new DomainError('NOT_FOUND', '商品不存在');
      // One statement: a redemption committed before it is seen; one after it finds no item to take stock from.
      const gone = await tx.em.queryRunner!.query(
        'DELETE FROM mall_item WHERE id = ? AND NOT EXISTS (SELECT 1 FROM mall_redemption WHERE item_id = ?)',
        [id, id],
        true,
      );
      if ((gone.affected ?? 0) !== 1) {
        const n = await tx.em.countBy(MallRedemption, { itemId: id });
        throw new DomainError(
          'IN_USE',
          `该商品已有 ${n} 笔兑换记录，删除会丢失会员的兑换记录，不能删除；可以下架，会员将看不到它`,
          { redemptions: n },
        );
      }
      await this.audit.record(tx, actor, {
        action: 'mall_item.delete',
        entityType: 'mall_item',
        entityId: id,
        before: { name: item.name, kind: item.kind, stock: item.stock },
      });
      return { id };
    });
  }

  /** Names of the items that give this coupon template (a template they use cannot be deleted). */
  async itemsUsingTemplate(templateId: number): Promise<string[]> {
    return (
      await this.dataSource.getRepository(MallItem).findBy({ couponTemplateId: templateId })
    ).map((i) => i.name);
  }

  private view(i: MallItem, summaries: Map<number, TemplateSummary>, redeemed: number): ItemView {
    const template = i.couponTemplateId ? summaries.get(i.couponTemplateId) : undefined;
    return {
      id: i.id,
      name: i.name,
      kind: i.kind,
      couponTemplateId: i.couponTemplateId,
      pointsPrice: i.pointsPrice,
      cashPrice: i.cashPrice,
      stock: i.stock,
      perMemberLimit: i.perMemberLimit,
      availableFrom: i.availableFrom?.toISOString() ?? null,
      availableTo: i.availableTo?.toISOString() ?? null,
      tiers: i.tiers,
      memberDayOnly: i.memberDayOnly,
      imageUrl: this.uploads.url(i.imageUrl),
      description: i.description,
      stores: i.storeCodes ?? [],
      voucherDays: i.voucherDays,
      active: i.active,
      couponTemplate: template
        ? {
            id: template.id,
            name: template.name,
            face: template.face,
            validity: template.validity,
            active: template.active,
            offeredInMall: template.offeredInMall,
          }
        : null,
      unavailableReason: i.kind === 'coupon' ? mallRefusal(template) : null,
      redeemedCount: redeemed,
    };
  }

  /** The coupon (exists, on, offered in the mall), the stores and the uploaded picture an item names. */
  private async checkReferences(input: {
    kind?: MallItem['kind'];
    couponTemplateId?: number | null;
    stores?: string[];
    imageUrl?: string | null;
  }): Promise<void> {
    if (input.kind === 'coupon' && input.couponTemplateId) {
      const refusal = await this.templates.mallRefusal(input.couponTemplateId);
      if (refusal)
        throw new DomainError('VALIDATION_FAILED', `兑换出的优惠券不可用：${refusal}`, {
          field: 'couponTemplateId',
        });
    }
    if (input.stores && input.stores.length > 0) {
      const known = new Set((await this.stores.list()).map((s) => s.code));
      const missing = input.stores.filter((c) => !known.has(c));
      if (missing.length > 0)
        throw new DomainError('VALIDATION_FAILED', `适用门店不存在：${missing.join('、')}`, {
          field: 'stores',
        });
    }
    if (input.imageUrl && !this.uploads.exists(input.imageUrl))
      throw new DomainError('VALIDATION_FAILED', '商品图片不存在，请重新上传', {
        field: 'imageUrl',
      });
  }
}

/** A delta, conditional on not going below zero: restocking never overwrites concurrent redemptions. */
async function moveStock(tx: Tx, id: number, delta: number): Promise<void> {
  const moved = await tx.em.queryRunner!.query(
    'UPDATE mall_item SET stock = stock + ? WHERE id = ? AND stock + ? >= 0',
    [delta, id, delta],
    true,
  );
  if ((moved.affected ?? 0) !== 1) {
    const left = (await tx.em.findOneBy(MallItem, { id }))?.stock ?? 0;
    throw new DomainError('BUSINESS_RULE', `库存只剩 ${left} 件未兑出，最多只能减少 ${left} 件`, {
      field: 'stockDelta',
      stock: left,
    });
  }
}

function updateAction(item: MallItem, input: ItemPatch): string {
  const keys = Object.keys(input);
  if (keys.length === 1 && input.stockDelta !== undefined) return 'mall_item.restock';
  if (keys.length === 1 && input.active !== undefined && input.active !== item.active)
    return input.active ? 'mall_item.publish' : 'mall_item.unpublish';
  return 'mall_item.update';
}
