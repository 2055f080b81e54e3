import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { z } from 'zod';
import type {
  claimableView,
  couponTemplateInput,
  couponTemplateView,
  couponView,
} from '@huoyue/shared';
import { addDays, startOfBrandDay } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { sqlInstant } from '../../infra/database/bulk.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { EngagementService } from '../engagement/engagement.service.js';
import { MemberDirectory } from '../points/member-directory.js';
import { AuditService } from '../staff/audit.service.js';
import { Coupon, type CouponChannel, CouponMemberCount, CouponTemplate } from './coupon.entity.js';

type TemplateView = z.output<typeof couponTemplateView>;
type CouponView = z.output<typeof couponView>;
type ClaimableView = z.output<typeof claimableView>;

/** Verifications can be undone this long after they happened (a clerk scanned the wrong coupon). */
export const UNDO_WINDOW_MS = 10 * 60_000;

/** 16 characters from a 32-letter alphabet without look-alikes: 80 bits, not guessable, easy to type. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function newCouponCode(): string {
  const bytes = randomBytes(16);
  let code = '';
  for (const b of bytes) code += ALPHABET[b % ALPHABET.length];
  return code;
}

/**
 * Coupon templates and the coupons members hold: claiming within stock and per-member limits (conditional UPDATEs,
 * so a rush cannot oversell), verification in store exactly once, undo, use with an order, expiry.
 */
@Injectable()
export class CouponsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly members: MemberDirectory,
    private readonly engagement: EngagementService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  templateView(t: CouponTemplate): TemplateView {
    return {
      id: t.id,
      name: t.name,
      kind: t.kind,
      value: t.value,
      threshold: t.threshold,
      cap: t.cap,
      giftName: t.giftName,
      validity:
        t.validityKind === 'fixed'
          ? { kind: 'fixed', from: t.validFrom!.toISOString(), to: t.validTo!.toISOString() }
          : { kind: 'days', days: t.validDays! },
      totalQuantity: t.totalQuantity,
      issued: t.issued,
      perMemberLimit: t.perMemberLimit,
      audience: { tiers: t.audienceTiers, stages: t.audienceStages },
      channels: t.channels,
      active: t.active,
    };
  }

  couponView(c: Coupon, t: CouponTemplate): CouponView {
    return {
      id: c.id,
      code: c.code,
      templateId: t.id,
      name: t.name,
      kind: t.kind,
      value: t.value,
      threshold: t.threshold,
      cap: t.cap,
      giftName: t.giftName,
      status: c.status === 'available' && c.validTo <= new Date() ? 'expired' : c.status,
      validFrom: c.validFrom.toISOString(),
      validTo: c.validTo.toISOString(),
      claimedAt: c.claimedAt.toISOString(),
      usedAt: c.usedAt?.toISOString() ?? null,
      usedStoreCode: c.usedStoreCode,
    };
  }

  async templates(): Promise<TemplateView[]> {
    return (
      await this.dataSource.getRepository(CouponTemplate).find({ order: { id: 'DESC' } })
    ).map((t) => this.templateView(t));
  }

  async createTemplate(
    actor: StaffPrincipal,
    input: z.output<typeof couponTemplateInput>,
  ): Promise<TemplateView> {
    return this.uow.run(async (tx) => {
      const row = tx.em.create(CouponTemplate, {
        name: input.name,
        kind: input.kind,
        value: input.value,
        threshold: input.threshold,
        cap: input.cap,
        giftName: input.giftName,
        validityKind: input.validity.kind,
        validFrom: input.validity.kind === 'fixed' ? new Date(input.validity.from) : null,
        validTo: input.validity.kind === 'fixed' ? new Date(input.validity.to) : null,
        validDays: input.validity.kind === 'days' ? input.validity.days : null,
        totalQuantity: input.totalQuantity,
        issued: 0,
        perMemberLimit: input.perMemberLimit,
        audienceTiers: input.audience.tiers,
        audienceStages: input.audience.stages,
        channels: input.channels,
        active: input.active,
      });
      await tx.em.insert(CouponTemplate, row);
      const view = this.templateView(row);
      await this.audit.record(tx.em, actor, {
        action: 'coupon_template.create',
        entityType: 'coupon_template',
        entityId: row.id,
        after: view,
      });
      return view;
    });
  }

  async updateTemplate(
    actor: StaffPrincipal,
    id: number,
    input: Partial<
      Pick<CouponTemplate, 'name' | 'totalQuantity' | 'perMemberLimit' | 'channels' | 'active'>
    > & { audience?: { tiers: string[]; stages: CouponTemplate['audienceStages'] } },
  ): Promise<TemplateView> {
    return this.uow.run(async (tx) => {
      const template = await tx.em.findOneBy(CouponTemplate, { id });
      if (!template) throw new DomainError('NOT_FOUND', '优惠券模板不存在');
      if (
        input.totalQuantity !== undefined &&
        input.totalQuantity !== null &&
        input.totalQuantity < template.issued
      ) {
        throw new DomainError('BUSINESS_RULE', `总量不能少于已发放的 ${template.issued} 张`);
      }
      const before = this.templateView(template);
      const { audience, ...rest } = input;
      await tx.em.update(
        CouponTemplate,
        { id },
        {
          ...rest,
          ...(audience ? { audienceTiers: audience.tiers, audienceStages: audience.stages } : {}),
        },
      );
      const after = this.templateView((await tx.em.findOneBy(CouponTemplate, { id }))!);
      await this.audit.record(tx.em, actor, {
        action: 'coupon_template.update',
        entityType: 'coupon_template',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  /** The claim center: active templates open to claiming that this member may have. */
  async center(memberId: number): Promise<ClaimableView[]> {
    const now = new Date();
    const profile = await this.members.profile(this.dataSource.manager, memberId);
    const templates = (
      await this.dataSource
        .getRepository(CouponTemplate)
        .find({ where: { active: true }, order: { id: 'DESC' } })
    ).filter(
      (t) => t.channels.includes('center') && (t.validityKind === 'days' || t.validTo! > now),
    );
    const counts = await this.dataSource
      .getRepository(CouponMemberCount)
      .find({ where: { memberId, templateId: In(templates.map((t) => t.id).concat(0)) } });
    return templates
      .filter((t) => profile && this.eligible(t, profile) === null)
      .map((t) => {
        const mine = counts.find((c) => c.templateId === t.id)?.n ?? 0;
        const remaining = t.totalQuantity === null ? null : Math.max(0, t.totalQuantity - t.issued);
        const view = this.templateView(t);
        return {
          id: t.id,
          name: t.name,
          kind: t.kind,
          value: t.value,
          threshold: t.threshold,
          cap: t.cap,
          giftName: t.giftName,
          validity: view.validity,
          remaining,
          claimedByMe: mine,
          perMemberLimit: t.perMemberLimit,
          canClaim: mine < t.perMemberLimit && remaining !== 0,
        };
      });
  }

  /** Claims from the center: 409 SOLD_OUT / LIMIT_REACHED, 403 NOT_ELIGIBLE / RISK_REJECTED. */
  async claim(memberId: number, templateId: number): Promise<CouponView> {
    const { coupon, template } = await this.uow.run((tx) =>
      this.issue(tx, memberId, templateId, 'center', null),
    );
    return this.couponView(coupon, template);
  }

  /**
   * Gives a member a coupon inside the caller's transaction (claim, and later automations, rewards, the mall). The
   * per-member limit is checked before the stock, so a member at the limit does not take one from the stock.
   */
  async issue(
    tx: Tx,
    memberId: number,
    templateId: number,
    channel: CouponChannel,
    sourceRef: string | null,
  ): Promise<{ coupon: Coupon; template: CouponTemplate }> {
    const now = new Date();
    const template = await tx.em.findOneBy(CouponTemplate, { id: templateId });
    if (!template || !template.active || !template.channels.includes(channel))
      throw new DomainError('NOT_FOUND', '优惠券不存在或已下架');
    if (template.validityKind === 'fixed' && template.validTo! <= now)
      throw new DomainError('NOT_FOUND', '优惠券活动已结束');
    const profile = await this.members.profile(tx.em, memberId);
    if (!profile || profile.status !== 'member')
      throw new DomainError('NOT_A_MEMBER', '开通会员后才能领取优惠券');
    if (profile.blocked) throw new DomainError('RISK_REJECTED', '当前账号存在风险，暂时无法领取');
    const reason = this.eligible(template, profile);
    if (reason) throw new DomainError('NOT_ELIGIBLE', reason);
    // One upsert takes the row lock (no gap lock, no shared lock to upgrade), then the count decides; past the limit
    // the whole transaction rolls back, increment included.
    await tx.em.query(
      this.config.database.kind === 'mysql'
        ? 'INSERT INTO coupon_member_count (member_id, template_id, n) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE n = n + 1'
        : 'INSERT INTO coupon_member_count (member_id, template_id, n) VALUES (?, ?, 1) ON CONFLICT (member_id, template_id) DO UPDATE SET n = n + 1',
      [memberId, templateId],
    );
    const held = (await tx.em.findOneByOrFail(CouponMemberCount, { memberId, templateId })).n;
    if (held > template.perMemberLimit)
      throw new DomainError('LIMIT_REACHED', `每人限领 ${template.perMemberLimit} 张，您已领完`);
    const stocked = await tx.em
      .createQueryBuilder()
      .update(CouponTemplate)
      .set({ issued: () => 'issued + 1' })
      .where('id = :templateId AND (total_quantity IS NULL OR issued < total_quantity)', {
        templateId,
      })
      .execute();
    if ((stocked.affected ?? 0) !== 1)
      throw new DomainError('SOLD_OUT', '来晚了，优惠券已经领完了');
    const validFrom = template.validityKind === 'fixed' ? template.validFrom! : now;
    const validTo =
      template.validityKind === 'fixed'
        ? template.validTo!
        : new Date(now.getTime() + template.validDays! * 86_400_000);
    const coupon = tx.em.create(Coupon, {
      templateId,
      memberId,
      code: newCouponCode(),
      status: 'available',
      validFrom,
      validTo,
      source: channel,
      claimedAt: now,
      usedAt: null,
      usedStoreCode: null,
      usedOrderNo: null,
      usedByStaff: null,
      expiryNoticeSent: false,
    });
    await tx.em.insert(Coupon, coupon);
    await this.engagement.record(tx.em, {
      memberId,
      type: 'coupon_claim',
      occurredAt: now,
      sourceRef: `coupon:${coupon.code}`,
      properties: { templateId, channel, ...(sourceRef ? { sourceRef } : {}) },
    });
    await tx.publish('coupon.claimed', {
      memberId,
      couponId: coupon.id,
      templateId,
      channel,
      validTo: validTo.toISOString(),
      at: now.toISOString(),
    });
    return { coupon, template };
  }

  async wallet(memberId: number, status: 'available' | 'used' | 'expired'): Promise<CouponView[]> {
    const now = new Date();
    const qb = this.dataSource
      .getRepository(Coupon)
      .createQueryBuilder('c')
      .where('c.member_id = :memberId', { memberId });
    if (status === 'available')
      qb.andWhere("c.status = 'available' AND c.valid_to > :now", { now });
    else if (status === 'used') qb.andWhere("c.status = 'used'");
    else
      qb.andWhere("(c.status = 'expired' OR (c.status = 'available' AND c.valid_to <= :now))", {
        now,
      });
    const coupons = await qb
      .orderBy('c.valid_to', status === 'available' ? 'ASC' : 'DESC')
      .limit(200)
      .getMany();
    return this.withTemplates(coupons);
  }

  async mine(memberId: number, id: number): Promise<CouponView> {
    const coupon = await this.dataSource.getRepository(Coupon).findOneBy({ id, memberId });
    if (!coupon) throw new DomainError('NOT_FOUND', '优惠券不存在');
    return (await this.withTemplates([coupon]))[0]!;
  }

  /**
   * Verification in store: one conditional UPDATE from available to used, so two clerks scanning the same code at
   * once get one success and one 409. A clerk verifies only for their own store.
   */
  async redeem(
    staff: StaffPrincipal,
    input: { code: string; storeCode: string; orderNo?: string },
  ): Promise<CouponView> {
    if (staff.role === 'clerk' && staff.storeCode !== input.storeCode)
      throw new DomainError('FORBIDDEN', '店员只能核销本门店的优惠券');
    const code = input.code.toUpperCase();
    return this.uow.run(async (tx) => {
      const now = new Date();
      const kind = this.config.database.kind;
      const result = await tx.em.queryRunner!.query(
        "UPDATE coupon SET status = 'used', used_at = ?, used_store_code = ?, used_order_no = ?, used_by_staff = ? WHERE code = ? AND status = 'available' AND valid_from <= ? AND valid_to > ?",
        [
          sqlInstant(kind, now),
          input.storeCode,
          input.orderNo ?? null,
          staff.staffId,
          code,
          sqlInstant(kind, now),
          sqlInstant(kind, now),
        ],
        true,
      );
      const coupon = await tx.em.findOneBy(Coupon, { code });
      if (!coupon) throw new DomainError('NOT_FOUND', '券码不存在，请核对后重试');
      if ((result.affected ?? 0) !== 1) throw this.whyNot(coupon, now);
      await this.engagement.record(tx.em, {
        memberId: coupon.memberId,
        type: 'coupon_use',
        occurredAt: now,
        sourceRef: `coupon:${code}`,
        properties: { storeCode: input.storeCode, orderNo: input.orderNo ?? null },
      });
      await tx.publish('coupon.used', {
        memberId: coupon.memberId,
        couponId: coupon.id,
        templateId: coupon.templateId,
        storeCode: input.storeCode,
        orderNo: input.orderNo ?? null,
        at: now.toISOString(),
      });
      await this.audit.record(tx.em, staff, {
        action: 'coupon.redeem',
        entityType: 'coupon',
        entityId: coupon.id,
        after: { storeCode: input.storeCode, orderNo: input.orderNo ?? null },
      });
      return (await this.withTemplates([coupon], tx))[0]!;
    });
  }

  /** Undoes a verification within 10 minutes, by the same store's clerk or an operator. */
  async undo(staff: StaffPrincipal, rawCode: string): Promise<CouponView> {
    const code = rawCode.toUpperCase();
    return this.uow.run(async (tx) => {
      const now = new Date();
      const coupon = await tx.em.findOneBy(Coupon, { code });
      if (!coupon) throw new DomainError('NOT_FOUND', '券码不存在');
      if (staff.role === 'clerk' && coupon.usedStoreCode !== staff.storeCode)
        throw new DomainError('FORBIDDEN', '只能撤销本门店的核销');
      const kind = this.config.database.kind;
      const result = await tx.em.queryRunner!.query(
        "UPDATE coupon SET status = 'available', used_at = NULL, used_store_code = NULL, used_order_no = NULL, used_by_staff = NULL WHERE code = ? AND status = 'used' AND used_at > ? AND used_order_no IS NULL",
        [code, sqlInstant(kind, new Date(now.getTime() - UNDO_WINDOW_MS))],
        true,
      );
      if ((result.affected ?? 0) !== 1)
        throw new DomainError(
          'CONFLICT',
          coupon.status !== 'used' ? '该券未被核销' : '核销超过 10 分钟或随订单使用，无法撤销',
        );
      await this.engagement.record(tx.em, {
        memberId: coupon.memberId,
        type: 'coupon_use',
        occurredAt: now,
        sourceRef: `coupon-undo:${code}:${now.getTime()}`,
        properties: { undone: true },
      });
      await tx.publish('coupon.use_undone', {
        memberId: coupon.memberId,
        couponId: coupon.id,
        at: now.toISOString(),
      });
      await this.audit.record(tx.em, staff, {
        action: 'coupon.undo',
        entityType: 'coupon',
        entityId: coupon.id,
        before: { storeCode: coupon.usedStoreCode },
      });
      return (await this.withTemplates([(await tx.em.findOneByOrFail(Coupon, { code }))], tx))[0]!;
    });
  }

  /**
   * Online use: an order posted with coupon codes consumes them in the order's transaction, once each; a code that
   * is not the member's, not available, expired or above the order's amount fails the whole order (422).
   */
  async consumeForOrder(
    tx: Tx,
    memberId: number,
    codes: string[],
    orderNo: string,
    amount: number,
    storeCode: string | null,
  ): Promise<void> {
    const now = new Date();
    const kind = this.config.database.kind;
    for (const raw of codes) {
      const code = raw.toUpperCase();
      const coupon = await tx.em.findOneBy(Coupon, { code });
      const template = coupon
        ? await tx.em.findOneBy(CouponTemplate, { id: coupon.templateId })
        : null;
      if (!coupon || !template || coupon.memberId !== memberId)
        throw new DomainError('COUPON_NOT_USABLE', `优惠券 ${raw} 不属于该会员`);
      if (amount < template.threshold)
        throw new DomainError('COUPON_NOT_USABLE', `订单金额未达到优惠券 ${raw} 的使用门槛`);
      const result = await tx.em.queryRunner!.query(
        "UPDATE coupon SET status = 'used', used_at = ?, used_store_code = ?, used_order_no = ? WHERE code = ? AND member_id = ? AND status = 'available' AND valid_from <= ? AND valid_to > ?",
        [
          sqlInstant(kind, now),
          storeCode,
          orderNo,
          code,
          memberId,
          sqlInstant(kind, now),
          sqlInstant(kind, now),
        ],
        true,
      );
      if ((result.affected ?? 0) !== 1)
        throw new DomainError(
          'COUPON_NOT_USABLE',
          `优惠券 ${raw} 不可用：${this.whyNot(coupon, now).message}`,
        );
      await this.engagement.record(tx.em, {
        memberId,
        type: 'coupon_use',
        occurredAt: now,
        sourceRef: `coupon:${code}`,
        properties: { orderNo },
      });
      await tx.publish('coupon.used', {
        memberId,
        couponId: coupon.id,
        templateId: coupon.templateId,
        storeCode,
        orderNo,
        at: now.toISOString(),
      });
    }
  }

  /** Marks coupons past their end as expired (one set-based UPDATE). */
  async expire(asOf: Date): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(Coupon)
      .set({ status: 'expired' })
      .where("status = 'available' AND valid_to <= :asOf", { asOf })
      .execute();
    return result.affected ?? 0;
  }

  /** Available coupons whose validity ends during this brand-local day (for "coupon expiring in N days" journeys). */
  async expiringOn(
    day: string,
  ): Promise<{ memberId: number; couponId: number; templateName: string; validTo: Date }[]> {
    const tz = this.config.brandTimezone;
    const rows = await this.dataSource
      .getRepository(Coupon)
      .createQueryBuilder('c')
      .innerJoin(CouponTemplate, 't', 't.id = c.template_id')
      .select([
        'c.member_id AS member_id',
        'c.id AS id',
        't.name AS name',
        'c.valid_to AS valid_to',
      ])
      .where("c.status = 'available' AND c.valid_to > :from AND c.valid_to <= :to", {
        from: startOfBrandDay(day, tz),
        to: startOfBrandDay(addDays(day, 1), tz),
      })
      .getRawMany<{ member_id: number; id: number; name: string; valid_to: Date | string }>();
    return rows.map((r) => ({
      memberId: Number(r.member_id),
      couponId: Number(r.id),
      templateName: r.name,
      validTo: new Date(r.valid_to),
    }));
  }

  /** "Your coupon expires in N days": once per coupon, three days ahead (messaging turns it into a service message). */
  async expiryNotices(asOf: Date): Promise<number> {
    const until = new Date(asOf.getTime() + 3 * 86_400_000);
    const due = await this.dataSource
      .getRepository(Coupon)
      .createQueryBuilder('c')
      .where(
        "c.status = 'available' AND c.expiry_notice_sent = :no AND c.valid_to > :asOf AND c.valid_to <= :until",
        { no: false, asOf, until },
      )
      .limit(5000)
      .getMany();
    let sent = 0;
    for (const coupon of due) {
      await this.uow.run(async (tx) => {
        const claimed = await tx.em.update(
          Coupon,
          { id: coupon.id, expiryNoticeSent: false },
          { expiryNoticeSent: true },
        );
        if ((claimed.affected ?? 0) !== 1) return;
        await tx.publish('coupon.expiring', {
          memberId: coupon.memberId,
          couponId: coupon.id,
          templateId: coupon.templateId,
          validTo: coupon.validTo.toISOString(),
          at: asOf.toISOString(),
        });
        sent++;
      });
    }
    return sent;
  }

  private eligible(
    t: CouponTemplate,
    profile: { tierCode: string | null; stage: string },
  ): string | null {
    if (t.audienceTiers.length > 0 && !t.audienceTiers.includes(profile.tierCode ?? ''))
      return '该优惠券仅限指定等级会员领取';
    if (t.audienceStages.length > 0 && !t.audienceStages.includes(profile.stage as never))
      return '该优惠券仅限指定会员领取';
    return null;
  }

  private whyNot(coupon: Coupon, now: Date): DomainError {
    if (coupon.status === 'used') return new DomainError('COUPON_USED', '该券已被核销');
    if (coupon.status === 'revoked') return new DomainError('COUPON_NOT_USABLE', '该券已作废');
    if (coupon.status === 'expired' || coupon.validTo <= now)
      return new DomainError('COUPON_NOT_USABLE', '该券已过期');
    if (coupon.validFrom > now) return new DomainError('COUPON_NOT_USABLE', '该券尚未到使用时间');
    return new DomainError('CONFLICT', '该券状态已变化，请重试');
  }

  private async withTemplates(coupons: Coupon[], tx?: Tx): Promise<CouponView[]> {
    const em = tx?.em ?? this.dataSource.manager;
    const templates = await em.find(CouponTemplate, {
      where: { id: In([...new Set(coupons.map((c) => c.templateId))].concat(0)) },
    });
    return coupons.map((c) =>
      this.couponView(
        c,
        templates.find((t) => t.id === c.templateId)!,
      ),
    );
  }
}
