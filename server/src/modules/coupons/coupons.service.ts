import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import type { z } from 'zod';
import type { claimableView, couponTemplateInput, couponTemplatePatch } from '@huoyue/shared';
import { addDays, startOfBrandDay } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { sqlInstant } from '../../infra/database/bulk.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { takeSlot } from '../../infra/database/limit-counter.js';
import { SoldOutMarks } from '../../infra/stock/sold-out-marks.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { EngagementService } from '../engagement/index.js';
import { MemberDirectory } from '../members/member-directory.module.js';
import { type ClaimGate, NO_CLAIM_GATE } from './claim-gate.js';
import { Coupon, type CouponChannel, CouponMemberCount, CouponTemplate } from './coupon.entity.js';
import { CouponTemplatesService } from './coupon-templates.service.js';
import {
  type CouponView,
  type TemplateView,
  toCouponView,
  toTemplateView,
  whyNotUsable,
} from './coupon-views.js';

const SOLD_OUT_MESSAGE = '来晚了，优惠券已经领完了';

type ClaimableView = z.output<typeof claimableView>;

/** 16 characters from a 32-letter alphabet without look-alikes: 80 bits, not guessable, easy to type. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function newCouponCode(): string {
  const bytes = randomBytes(16);
  let code = '';
  for (const b of bytes) code += ALPHABET[b % ALPHABET.length];
  return code;
}

/**
 * Coupon templates and issuing coupons: claiming within stock and per-member limits (conditional UPDATEs, so a rush
 * cannot oversell), use with an order, and the coupons about to expire. The wallet, verification in store and undo
 * are CouponWalletService; the expiry jobs CouponExpiryService.
 */
@Injectable()
export class CouponsService {
  private claimGate: ClaimGate = NO_CLAIM_GATE;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly members: MemberDirectory,
    private readonly engagement: EngagementService,
    private readonly templateAdmin: CouponTemplatesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly soldOut: SoldOutMarks,
  ) {}

  setClaimGate(gate: ClaimGate): void {
    this.claimGate = gate;
  }

  /** Templates for staff, by status and channel (the work is CouponTemplatesService's). */
  templates(filter: { status?: 'active' | 'inactive'; channel?: CouponChannel } = {}) {
    return this.templateAdmin.list(filter);
  }

  createTemplate(
    actor: StaffPrincipal,
    input: z.output<typeof couponTemplateInput>,
  ): Promise<TemplateView> {
    return this.templateAdmin.create(actor, input);
  }

  updateTemplate(
    actor: StaffPrincipal,
    id: number,
    input: z.output<typeof couponTemplatePatch>,
  ): Promise<TemplateView> {
    return this.templateAdmin.update(actor, id, input);
  }

  /** The claim center: active templates open to claiming that this member may have. */
  async center(memberId: number): Promise<ClaimableView[]> {
    const now = new Date();
    const profile = await this.members.profile(memberId);
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
    // A member day's exclusive coupons are in the center only while that member day is on for this member.
    const { exclusive, onNow } = await this.claimGate.exclusives(memberId);
    return templates
      .filter((t) => !exclusive.has(t.id) || onNow.has(t.id))
      .filter((t) => profile && this.eligible(t, profile) === null)
      .map((t) => {
        const mine = counts.find((c) => c.templateId === t.id)?.n ?? 0;
        const remaining = t.totalQuantity === null ? null : Math.max(0, t.totalQuantity - t.issued);
        const view = toTemplateView(t);
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
    // The sold-out fast path: a template marked sold out is refused with the same answer and no transaction.
    const left = () =>
      this.dataSource
        .getRepository(CouponTemplate)
        .findOne({
          select: { id: true, totalQuantity: true, issued: true },
          where: { id: templateId },
        })
        .then((t) => (t && t.totalQuantity !== null ? t.totalQuantity - t.issued : null));
    if (await this.soldOut.isSoldOut(templateId, left))
      throw new DomainError('SOLD_OUT', SOLD_OUT_MESSAGE);
    const generation = this.soldOut.generation(templateId);
    try {
      const { coupon, template } = await this.uow.run((tx) =>
        this.issue(tx, memberId, templateId, 'center', null),
      );
      return toCouponView(coupon, template);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'SOLD_OUT')
        this.soldOut.mark(templateId, generation);
      throw err;
    }
  }

  /**
   * Takes back the coupons something issued (`sourceRefs`, e.g. a mall redemption's `mall:<id>:<n>`) in the caller's
   * transaction: available or expired ones are revoked, the member's count and the template's stock given back; if
   * any was already used the whole transaction is refused (409 COUPON_USED), so the caller's cancel does not happen
   * either. Answers how many were revoked.
   */
  async revokeIssued(tx: Tx, sourceRefs: string[]): Promise<number> {
    if (sourceRefs.length === 0) return 0;
    // Revoking first takes the rows' locks: a verification racing this waits, then finds the coupon revoked.
    const revoked = await tx.em
      .createQueryBuilder()
      .update(Coupon)
      .set({ status: 'revoked' })
      .where("source_ref IN (:...refs) AND status IN ('available', 'expired')", {
        refs: sourceRefs,
      })
      .execute();
    const used = await tx.em.find(Coupon, {
      where: { sourceRef: In(sourceRefs), status: 'used' },
      take: 1,
    });
    if (used.length > 0)
      throw new DomainError(
        'COUPON_USED',
        `该兑换发放的优惠券（${used[0]!.code}）已经使用，不能取消兑换；如需补偿，请为会员手动调整积分`,
      );
    const coupons = await tx.em.find(Coupon, { where: { sourceRef: In(sourceRefs) } });
    const perTemplate = new Map<string, number>();
    for (const c of coupons) {
      const k = `${c.memberId}:${c.templateId}`;
      perTemplate.set(k, (perTemplate.get(k) ?? 0) + 1);
    }
    // Given back: the member's count (they may have it again) and the template's stock (it is no one's now).
    for (const [k, n] of perTemplate) {
      const [memberId, templateId] = k.split(':').map(Number);
      await tx.em.query(
        'UPDATE coupon_member_count SET n = n - ? WHERE member_id = ? AND template_id = ? AND n >= ?',
        [n, memberId, templateId, n],
      );
      await tx.em.query(
        'UPDATE coupon_template SET issued = issued - ? WHERE id = ? AND issued >= ?',
        [n, templateId, n],
      );
      tx.afterCommit(() => this.soldOut.clear(templateId!));
    }
    return revoked.affected ?? 0;
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
    // A template the brand picked for this very purpose (the welcome gift) is offered there by that choice.
    options: { chosenByBrand?: boolean } = {},
  ): Promise<{ coupon: Coupon; template: CouponTemplate }> {
    const now = new Date();
    const template = await this.issuableTemplate(tx, memberId, templateId, channel, now, options);
    // The member's count of this template is a counter row, locked until the claim commits or rolls back.
    const counter = {
      entity: CouponMemberCount,
      keys: { memberId, templateId },
      column: 'n',
    } as const;
    if (!(await takeSlot(tx.em, counter, { limit: template.perMemberLimit })))
      throw new DomainError('LIMIT_REACHED', `每人限领 ${template.perMemberLimit} 张，您已领完`);
    const stocked = await tx.em
      .createQueryBuilder()
      .update(CouponTemplate)
      .set({ issued: () => 'issued + 1' })
      .where('id = :templateId AND (total_quantity IS NULL OR issued < total_quantity)', {
        templateId,
      })
      .execute();
    if ((stocked.affected ?? 0) !== 1) throw new DomainError('SOLD_OUT', SOLD_OUT_MESSAGE);
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
      sourceRef,
      claimedAt: now,
      usedAt: null,
      usedStoreCode: null,
      usedOrderNo: null,
      usedByStaff: null,
      expiryNoticeSent: false,
    });
    await tx.em.insert(Coupon, coupon);
    await this.engagement.record(tx, {
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

  /** The template, if this member may get one through this channel now (else the refusal, in Chinese). */
  private async issuableTemplate(
    tx: Tx,
    memberId: number,
    templateId: number,
    channel: CouponChannel,
    now: Date,
    options: { chosenByBrand?: boolean },
  ): Promise<CouponTemplate> {
    const template = await tx.em.findOneBy(CouponTemplate, { id: templateId });
    const offered = options.chosenByBrand || template?.channels.includes(channel);
    if (!template || !template.active || !offered)
      throw new DomainError('NOT_FOUND', '优惠券不存在或已下架');
    if (template.validityKind === 'fixed' && template.validTo! <= now)
      throw new DomainError('NOT_FOUND', '优惠券活动已结束');
    const profile = await this.members.profile(memberId, tx);
    if (!profile || profile.status !== 'member')
      throw new DomainError('NOT_A_MEMBER', '开通会员后才能领取优惠券');
    if (profile.blocked) throw new DomainError('RISK_REJECTED', '当前账号存在风险，暂时无法领取');
    const reason =
      this.eligible(template, profile) ??
      (channel === 'center'
        ? await this.claimGate.refusal(memberId, templateId, now, profile)
        : null);
    if (reason) throw new DomainError('NOT_ELIGIBLE', reason);
    return template;
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
        `UPDATE coupon SET status = 'used', used_at = ?, used_store_code = ?, used_order_no = ?
         WHERE code = ? AND member_id = ? AND status = 'available' AND valid_from <= ? AND valid_to > ?`,
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
          `优惠券 ${raw} 不可用：${whyNotUsable(coupon, now).message}`,
        );
      await this.engagement.record(tx, {
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
}
