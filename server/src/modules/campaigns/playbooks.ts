import type { automationBody, messageTemplateBody, PLAYBOOK_CODES } from '@huoyue/shared';
import type { z } from 'zod';

type TemplateInput = z.input<typeof messageTemplateBody>;
type AutomationInput = z.input<typeof automationBody>;

export interface Playbook {
  code: (typeof PLAYBOOK_CODES)[number];
  name: string;
  audience: string;
  description: string;
  /** 'required': its messages say a coupon arrived, so installing asks for the coupon to give. */
  coupon: 'required' | 'none';
  /**
   * Message templates in fallback order (created by code when missing; replace the WeChat template ids with the
   * brand's own).
   */
  templates: TemplateInput[];
  automation: (templateIds: number[], couponTemplateId: number | null) => AutomationInput;
}

// The fake WeChat's template ids: real brands put the ids from their own template library here.
const POINTS_TPL = 'tpl_points_expiring_00000000000000000000000';
const COUPON_TPL = 'tpl_coupon_expiring_00000000000000000000000';
const OA_TPL = 'tpl_oa_service_notice_0000000000000000000000';

/**
 * The playbooks of ../shared/domain, one per audience. WeChat messages state a true service event (points that can
 * be used, a coupon that arrived); pure promotion ("we miss you, 20 % off") goes only by SMS to members who agreed.
 */
export const PLAYBOOKS: Playbook[] = [
  {
    code: 'new_member_activation',
    coupon: 'required',
    name: '新会员激活',
    audience: '开卡 7 天仍未首购的新会员',
    description: '送一张首单券（安装时选择），并用服务通知告诉会员券已到账，引导完成第一次购买。',
    templates: [
      {
        code: 'pb_welcome_coupon',
        name: '新人券到账通知',
        channel: 'subscribe',
        purpose: 'reactivation',
        wechatTemplateId: COUPON_TPL,
        page: 'pages/coupons/index',
        fields: [
          { key: 'thing1', value: '{{couponName}}' },
          { key: 'date2', value: '{{today}}' },
          { key: 'thing3', value: '新人专享券已放入您的卡包' },
        ],
      },
      {
        code: 'pb_welcome_oa',
        name: '新人券到账（服务号）',
        channel: 'oa_template',
        purpose: 'reactivation',
        wechatTemplateId: OA_TPL,
        page: 'pages/coupons/index',
        fields: [
          { key: 'thing1', value: '新人专享券已到账' },
          { key: 'time2', value: '{{today}} 10:00' },
        ],
      },
    ],
    automation: (ids, coupon) => ({
      name: '新会员激活',
      trigger: { type: 'joined_no_purchase', days: 7 },
      conditions: { stages: ['new'] },
      actions: { couponTemplateId: coupon, messageTemplateIds: ids },
      dedupeDays: 365,
      controlPercent: 10,
      conversion: { kind: 'purchase', days: 14 },
    }),
  },
  {
    code: 'low_frequency_reminder',
    coupon: 'none',
    name: '低频会员提醒',
    audience: '仍常来看看、但很少购买的低频会员（进入沉默期时）',
    description: '提醒可用积分并送少量积分作为回馈；不打扰式的服务通知，没有订阅就改走服务号。',
    templates: [
      {
        code: 'pb_points_reminder',
        name: '可用积分提醒',
        channel: 'subscribe',
        purpose: 'reactivation',
        wechatTemplateId: POINTS_TPL,
        page: 'pages/mall/index',
        fields: [
          { key: 'thing1', value: '{{nickname}}，您的积分可兑换好礼' },
          { key: 'number2', value: '{{points}}' },
          { key: 'date3', value: '{{today}}' },
        ],
      },
      {
        code: 'pb_points_oa',
        name: '可用积分提醒（服务号）',
        channel: 'oa_template',
        purpose: 'reactivation',
        wechatTemplateId: OA_TPL,
        page: 'pages/mall/index',
        fields: [
          { key: 'thing1', value: '您有积分可兑换好礼' },
          { key: 'time2', value: '{{today}} 10:00' },
        ],
      },
    ],
    automation: (ids) => ({
      name: '低频会员提醒',
      trigger: { type: 'stage_changed', to: 'silent' },
      conditions: { lowFrequency: true },
      actions: { points: 50, messageTemplateIds: ids },
      dedupeDays: 60,
      controlPercent: 10,
      conversion: { kind: 'purchase', days: 30 },
    }),
  },
  {
    code: 'dormant_winback',
    coupon: 'required',
    name: '沉睡会员唤回',
    audience: '进入沉睡期、也不再来看看的会员',
    description:
      '送一张专属券（安装时选择）并告知到账；没有订阅的会员，若同意营销短信，则收到一条“好久不见”的短信。',
    templates: [
      {
        code: 'pb_winback_coupon',
        name: '专属券到账通知',
        channel: 'subscribe',
        purpose: 'reactivation',
        wechatTemplateId: COUPON_TPL,
        page: 'pages/coupons/index',
        fields: [
          { key: 'thing1', value: '{{couponName}}' },
          { key: 'date2', value: '{{today}}' },
          { key: 'thing3', value: '专属券已放入您的卡包' },
        ],
      },
      {
        code: 'pb_winback_sms',
        name: '好久不见（短信）',
        channel: 'sms',
        purpose: 'marketing',
        smsText:
          '【会员中心】{{nickname}}，好久不见，我们想您了！为您准备了一张专属券，打开小程序即可使用。退订回T',
      },
    ],
    automation: (ids, coupon) => ({
      name: '沉睡会员唤回',
      trigger: { type: 'stage_changed', to: 'dormant' },
      conditions: { lowFrequency: false },
      actions: { couponTemplateId: coupon, messageTemplateIds: ids },
      dedupeDays: 90,
      controlPercent: 10,
      conversion: { kind: 'purchase', days: 30 },
    }),
  },
  {
    code: 'lost_recall',
    coupon: 'none',
    name: '流失会员召回',
    audience: '超过一年未购买的流失会员（有手机号并同意营销短信）',
    description:
      '只发短信：流失会员大多已不在小程序里，也多半没有订阅消息的授权。短信不承诺优惠券。',
    templates: [
      {
        code: 'pb_recall_sms',
        name: '流失召回（短信）',
        channel: 'sms',
        purpose: 'marketing',
        smsText: '【会员中心】{{nickname}}，会员福利升级了，欢迎回来看看。退订回T',
      },
    ],
    automation: (ids) => ({
      name: '流失会员召回',
      trigger: { type: 'stage_changed', to: 'lost' },
      actions: { messageTemplateIds: ids },
      dedupeDays: 180,
      controlPercent: 10,
      conversion: { kind: 'purchase', days: 30 },
    }),
  },
];
