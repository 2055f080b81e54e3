import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { z } from 'zod';
import type { couponTemplateInput, couponTemplatePatch } from '@huoyue/shared';
import { couponFaceLabel, couponValidityLabel } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { SoldOutMarks } from '../../infra/stock/sold-out-marks.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { AuditService, StoresService } from '../staff/index.js';
import { type CouponChannel, CouponTemplate } from './coupon.entity.js';
import { type TemplateView, toTemplateView } from './coupon-views.js';

type TemplatePatch = z.output<typeof couponTemplatePatch>;

/** What else names a template (mall items): the names, so a refused delete can say which. */
export type TemplateDependents = (templateId: number) => Promise<string[]>;

/** A template as another module's staff pages show it (a mall item's coupon). */
export interface TemplateSummary {
  id: number;
  name: string;
  face: string;
  validity: string;
  active: boolean;
  offeredInMall: boolean;
  ended: boolean;
}

/** Fields that make up what a member holds: fixed once a coupon of the template was issued. */
const FACE_FIELDS = [
  ['kind', '类型'],
  ['value', '面额'],
  ['threshold', '使用门槛'],
  ['cap', '最高优惠'],
  ['giftName', '礼品名称'],
] as const;

/**
 * The staff side of coupon templates: list by status and channel, create, edit within what issued coupons allow,
 * 上架/下架, and delete when nothing depends on it. Every write is audited in its transaction.
 */
@Injectable()
export class CouponTemplatesService {
  private dependents: TemplateDependents[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly stores: StoresService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly soldOut: SoldOutMarks,
  ) {}

  /** Another module that points at templates (the mall) says what would break if one went away. */
  addDependents(check: TemplateDependents): void {
    this.dependents.push(check);
  }

  async list(filter: { status?: 'active' | 'inactive'; channel?: CouponChannel } = {}) {
    const rows = await this.dataSource.getRepository(CouponTemplate).find({
      where: filter.status ? { active: filter.status === 'active' } : {},
      order: { id: 'DESC' },
    });
    return rows
      .filter((t) => !filter.channel || t.channels.includes(filter.channel))
      .map((t) => toTemplateView(t));
  }

  /** Templates by id, as a mall item's coupon is shown. */
  async summaries(ids: number[], tx?: Tx): Promise<Map<number, TemplateSummary>> {
    const rows = await (tx?.em ?? this.dataSource.manager).findBy(CouponTemplate, {
      id: In([...new Set(ids)].concat(0)),
    });
    const now = new Date();
    return new Map(
      rows.map((t) => {
        const view = toTemplateView(t);
        return [
          t.id,
          {
            id: t.id,
            name: t.name,
            face: couponFaceLabel(t),
            validity: couponValidityLabel(view.validity, this.config.brandTimezone),
            active: t.active,
            offeredInMall: t.channels.includes('mall'),
            ended: t.validityKind === 'fixed' && t.validTo! <= now,
          },
        ];
      }),
    );
  }

  /**
   * Why a template cannot be sold in the mall (missing, switched off, not offered there, ended), or null: asked when
   * an item is saved and when it is redeemed.
   */
  async mallRefusal(templateId: number, tx?: Tx): Promise<string | null> {
    const t = (await this.summaries([templateId], tx)).get(templateId);
    return mallRefusal(t);
  }

  async create(actor: StaffPrincipal, input: z.output<typeof couponTemplateInput>) {
    await this.checkStores(input.stores);
    return this.uow.run(async (tx) => {
      const row = tx.em.create(CouponTemplate, {
        name: input.name,
        kind: input.kind,
        value: input.value,
        threshold: input.threshold,
        cap: input.cap,
        giftName: input.giftName,
        description: input.description,
        ...validityColumns(input.validity),
        totalQuantity: input.totalQuantity,
        issued: 0,
        perMemberLimit: input.perMemberLimit,
        audienceTiers: input.audience.tiers,
        audienceStages: input.audience.stages,
        channels: input.channels,
        storeCodes: input.stores,
        active: input.active,
      });
      await tx.em.insert(CouponTemplate, row);
      const view = toTemplateView(row);
      await this.audit.record(tx, actor, {
        action: 'coupon_template.create',
        entityType: 'coupon_template',
        entityId: row.id,
        after: view,
      });
      return view;
    });
  }

  async update(actor: StaffPrincipal, id: number, input: TemplatePatch): Promise<TemplateView> {
    if (input.stores) await this.checkStores(input.stores);
    return this.uow.run(async (tx) => {
      const template = await tx.em.findOneBy(CouponTemplate, { id });
      if (!template) throw new DomainError('NOT_FOUND', '优惠券不存在');
      const changes = patchColumns(template, input);
      const merged = Object.assign(new CouponTemplate(), template, changes);
      checkFace(merged);
      // Issuing moves `issued` with a conditional UPDATE: the face may change only while none were issued, checked in
      // the same statement so a claim racing this edit cannot get a coupon of the old face counted as "none".
      const faceChanged = FACE_FIELDS.some(([f]) => f in changes);
      const qb = tx.em
        .createQueryBuilder()
        .update(CouponTemplate)
        .set(changes)
        .where('id = :id', { id });
      if (faceChanged) qb.andWhere('issued = 0');
      if (changes.totalQuantity !== undefined && changes.totalQuantity !== null)
        qb.andWhere('issued <= :total', { total: changes.totalQuantity });
      if (Object.keys(changes).length > 0 && ((await qb.execute()).affected ?? 0) !== 1) {
        const now = await tx.em.findOneByOrFail(CouponTemplate, { id });
        throw refusedChange(now, faceChanged);
      }
      tx.afterCommit(() => this.soldOut.clear(id)); // more stock, or switched on again: claims try again
      const before = toTemplateView(template);
      const after = toTemplateView(await tx.em.findOneByOrFail(CouponTemplate, { id }));
      await this.audit.record(tx, actor, {
        action: actionFor(template, input),
        entityType: 'coupon_template',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  /** Deletes a template nothing depends on; else 409 IN_USE with the reason (下架 is the way then). */
  async remove(actor: StaffPrincipal, id: number): Promise<{ id: number }> {
    const template = await this.dataSource.getRepository(CouponTemplate).findOneBy({ id });
    if (!template) throw new DomainError('NOT_FOUND', '优惠券不存在');
    const users = (await Promise.all(this.dependents.map((d) => d(id)))).flat();
    if (users.length > 0)
      throw new DomainError(
        'IN_USE',
        `积分商城商品「${users.slice(0, 3).join('」「')}」正在兑换这张券，不能删除；可以先删除或修改这些商品，或将券下架`,
        { mallItems: users },
      );
    return this.uow.run(async (tx) => {
      // Conditional on nothing issued, in one statement: a claim racing the delete either counts first (refused
      // here) or finds no template.
      const gone = await tx.em
        .createQueryBuilder()
        .delete()
        .from(CouponTemplate)
        .where('id = :id AND issued = 0', { id })
        .execute();
      if ((gone.affected ?? 0) !== 1) {
        const now = await tx.em.findOneBy(CouponTemplate, { id });
        throw new DomainError(
          'IN_USE',
          `已发放 ${now?.issued ?? template.issued} 张，会员手里的券还要能用，不能删除；可以下架，停止继续发放`,
          { issued: now?.issued ?? template.issued },
        );
      }
      await this.audit.record(tx, actor, {
        action: 'coupon_template.delete',
        entityType: 'coupon_template',
        entityId: id,
        before: toTemplateView(template),
      });
      return { id };
    });
  }

  private async checkStores(codes: string[]): Promise<void> {
    if (codes.length === 0) return;
    const known = new Set((await this.stores.list()).map((s) => s.code));
    const missing = codes.filter((c) => !known.has(c));
    if (missing.length > 0)
      throw new DomainError('VALIDATION_FAILED', `适用门店不存在：${missing.join('、')}`, {
        field: 'stores',
      });
  }
}

export function mallRefusal(t: TemplateSummary | undefined): string | null {
  if (!t) return '所选优惠券不存在，请重新选择';
  if (!t.active) return `优惠券「${t.name}」已下架`;
  if (!t.offeredInMall) return `优惠券「${t.name}」未开放积分商城渠道`;
  if (t.ended) return `优惠券「${t.name}」的有效期已结束`;
  return null;
}

function validityColumns(v: z.output<typeof couponTemplateInput>['validity']) {
  return {
    validityKind: v.kind,
    validFrom: v.kind === 'fixed' ? new Date(v.from) : null,
    validTo: v.kind === 'fixed' ? new Date(v.to) : null,
    validDays: v.kind === 'days' ? v.days : null,
  };
}

/** The columns a patch changes (only those that differ, so re-sending the same face is not a face change). */
function patchColumns(t: CouponTemplate, input: TemplatePatch): Partial<CouponTemplate> {
  const changes: Partial<CouponTemplate> = {};
  const set = <K extends keyof CouponTemplate>(key: K, value: CouponTemplate[K] | undefined) => {
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(t[key]))
      changes[key] = value;
  };
  set('name', input.name);
  set('description', input.description);
  for (const [field] of FACE_FIELDS) set(field, input[field] as never);
  set('totalQuantity', input.totalQuantity);
  set('perMemberLimit', input.perMemberLimit);
  set('channels', input.channels);
  set('storeCodes', input.stores);
  set('active', input.active);
  if (input.audience) {
    set('audienceTiers', input.audience.tiers);
    set('audienceStages', input.audience.stages);
  }
  if (input.validity) {
    const v = validityColumns(input.validity);
    if (t.issued > 0) checkValidityChange(t, v);
    for (const [k, value] of Object.entries(v)) set(k as keyof CouponTemplate, value as never);
  }
  return changes;
}

/** After issuing, a fixed validity may only end later (members keep the dates they got); days stay as they are. */
function checkValidityChange(t: CouponTemplate, v: ReturnType<typeof validityColumns>): void {
  const sameKind = v.validityKind === t.validityKind;
  if (sameKind && v.validityKind === 'days' && v.validDays === t.validDays) return;
  if (
    sameKind &&
    v.validityKind === 'fixed' &&
    v.validFrom!.getTime() === t.validFrom!.getTime() &&
    v.validTo!.getTime() >= t.validTo!.getTime()
  )
    return;
  throw new DomainError(
    'BUSINESS_RULE',
    `已发放 ${t.issued} 张，有效期只能延长结束时间，不能改为其他方式`,
    { field: 'validity' },
  );
}

/** The same rules as on create, for the face after a patch. */
function checkFace(t: CouponTemplate): void {
  if (t.kind === 'cash' && t.value <= 0) throw faceError('满减券必须设置减免金额', 'value');
  if (t.kind === 'percent' && (t.value < 1 || t.value > 99))
    throw faceError('折扣券的折扣须在 1-99 之间', 'value');
  if (t.kind === 'gift' && !t.giftName) throw faceError('礼品券必须填写礼品名称', 'giftName');
  if (t.validityKind === 'fixed' && t.validFrom! >= t.validTo!)
    throw faceError('有效期结束时间必须晚于开始时间', 'validity');
}

const faceError = (message: string, field: string) =>
  new DomainError('VALIDATION_FAILED', message, { field });

function refusedChange(t: CouponTemplate, faceChanged: boolean): DomainError {
  if (faceChanged && t.issued > 0) {
    return new DomainError(
      'BUSINESS_RULE',
      `已发放 ${t.issued} 张，${FACE_FIELDS.map(([, label]) => label).join('、')}不能再修改（会员手里的券不能变）；可以下架后新建一张`,
      { field: 'face', issued: t.issued },
    );
  }
  return new DomainError('BUSINESS_RULE', `发放总量不能少于已发放的 ${t.issued} 张`, {
    field: 'totalQuantity',
    issued: t.issued,
  });
}

function actionFor(t: CouponTemplate, input: TemplatePatch): string {
  const keys = Object.keys(input);
  if (keys.length === 1 && input.active !== undefined && input.active !== t.active)
    return input.active ? 'coupon_template.publish' : 'coupon_template.unpublish';
  return 'coupon_template.update';
}
