import { Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import type { joinSettingsBody, WelcomeGiftView } from '@huoyue/shared';
import type { Actor } from '../../infra/auth/token.service.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { UnitOfWork, type Tx } from '../../infra/events/unit-of-work.js';
import { SettingsService } from '../../infra/settings/settings.service.js';
import { CouponsService } from '../coupons/index.js';
import { PointsService } from '../points/index.js';
import { AuditService } from '../staff/index.js';

const KEY = 'members.join';

const DEFAULT_TERMS = `欢迎加入本品牌会员。开通会员卡即表示您同意以下约定：
1. 会员资格：年满 14 周岁的个人可免费开通，一人一卡，会员卡仅限本人使用，不得转让。
2. 积分：消费、签到和参与活动可获得积分；积分可在积分商城兑换商品或优惠券，有效期以积分明细所示为准；积分不可兑现、不可转让。
3. 等级与权益：成长值达到门槛即升级，每个等级的权益以“会员等级与权益”页面为准；品牌调整规则前会提前公告。
4. 优惠券：以券面所示门槛、有效期和适用门店为准，核销后不可恢复。
5. 注销：您可随时在“我的 › 我的资料”中注销会员；注销后积分、优惠券和等级作废，且无法恢复。
6. 如有疑问，请到任一门店或通过小程序联系我们。`;

const DEFAULT_PRIVACY = `我们重视您的个人信息，仅为提供会员服务而收集和使用：
1. 我们收集：微信昵称与头像（您主动填写）、手机号（经您授权）、生日（选填，用于生日礼）、消费、签到与兑换记录。
2. 我们用于：识别会员身份、计算积分与等级、发放优惠与生日礼，以及经您同意后发送服务与活动提醒。
3. 我们不会出售您的个人信息，仅在法律要求或履行服务所必需时（如快递配送）与第三方共享。
4. 您的权利：您可在“我的 › 我的资料”中查看和修改资料、导出全部数据、注销会员；注销后我们会立即删除您的姓名、手机号、生日和头像，交易记录仅以匿名方式保留用于财务核对。
5. 消息提醒可在“消息与隐私设置”中随时关闭。`;

const settingsSchema = z.object({
  welcomePoints: z.number().int().min(0).default(0),
  welcomeCouponTemplateId: z.number().int().positive().nullable().default(null),
  terms: z.string().default(DEFAULT_TERMS),
  privacy: z.string().default(DEFAULT_PRIVACY),
});
export type JoinSettings = z.output<typeof settingsSchema>;
const DEFAULTS: JoinSettings = {
  welcomePoints: 0,
  welcomeCouponTemplateId: null,
  terms: DEFAULT_TERMS,
  privacy: DEFAULT_PRIVACY,
};

/**
 * What joining means as the brand sets it: the agreement and privacy texts members accept, and the welcome gift
 * (points and/or a coupon) every new member receives once, inside the join's own transaction.
 */
@Injectable()
export class JoinSettingsService {
  private readonly logger = new Logger('JoinSettings');

  constructor(
    private readonly settings: SettingsService,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditService,
    private readonly points: PointsService,
    private readonly coupons: CouponsService,
  ) {}

  get(): Promise<JoinSettings> {
    return this.settings.get(KEY, settingsSchema, DEFAULTS);
  }

  /** The texts and the gift as the app shows them to someone about to join. */
  async info(): Promise<{ terms: string; privacy: string; welcomeGift: WelcomeGiftView }> {
    const s = await this.get();
    return { terms: s.terms, privacy: s.privacy, welcomeGift: await this.giftView(s) };
  }

  async update(actor: Actor, input: z.output<typeof joinSettingsBody>): Promise<JoinSettings> {
    if (input.welcomeCouponTemplateId !== null) {
      const template = (await this.coupons.templates()).find(
        (t) => t.id === input.welcomeCouponTemplateId,
      );
      if (!template || !template.active)
        throw new DomainError('VALIDATION_FAILED', '开卡礼优惠券不存在或已停用，请重新选择', {
          field: 'welcomeCouponTemplateId',
        });
    }
    return this.uow.run(async (tx) => {
      const before = await this.settings.get(KEY, settingsSchema, DEFAULTS, tx);
      const after = await this.settings.set(tx, KEY, settingsSchema, input);
      await this.audit.record(tx, actor, {
        action: 'members.join_settings.update',
        entityType: 'setting',
        entityId: KEY,
        before,
        after,
      });
      return after;
    });
  }

  /**
   * Gives the welcome gift in the join's transaction: the join itself happens once per member (the visitor row is
   * locked and must still be a visitor), and the points entry's key `welcome:<id>` refuses a second credit anyway.
   * A coupon the brand can no longer give (sold out, ended) does not stop anyone joining: the points still come.
   */
  async giveWelcomeGift(tx: Tx, memberId: number): Promise<WelcomeGiftView | null> {
    const s = await this.get();
    if (s.welcomePoints <= 0 && s.welcomeCouponTemplateId === null) return null;
    if (s.welcomePoints > 0)
      await this.points.credit(tx, {
        memberId,
        key: `welcome:${memberId}`,
        type: 'reward',
        points: s.welcomePoints,
        sourceType: 'welcome',
        sourceRef: String(memberId),
        reason: '开卡礼',
      });
    let coupon: WelcomeGiftView['coupon'] = null;
    if (s.welcomeCouponTemplateId !== null) {
      try {
        const issued = await this.coupons.issue(
          tx,
          memberId,
          s.welcomeCouponTemplateId,
          'issued',
          `welcome:${memberId}`,
          { chosenByBrand: true },
        );
        coupon = { id: issued.coupon.id, name: issued.template.name };
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        this.logger.warn({ memberId, code: err.code }, 'welcome coupon not given');
      }
    }
    return { points: s.welcomePoints, coupon };
  }

  private async giftView(s: JoinSettings): Promise<WelcomeGiftView> {
    const template =
      s.welcomeCouponTemplateId === null
        ? undefined
        : (await this.coupons.templates()).find(
            (t) => t.id === s.welcomeCouponTemplateId && t.active,
          );
    return {
      points: s.welcomePoints,
      coupon: template ? { id: template.id, name: template.name } : null,
    };
  }
}
