import type { routes, RouteInput } from '@huoyue/shared';

/** The fake WeChat's subscribe templates the tests use (its catalogue: server/src/fake-wechat). */
export const POINTS_TPL = 'tpl_points_expiring_00000000000000000000000'; // thing1, number2, date3
export const COUPON_TPL = 'tpl_coupon_expiring_00000000000000000000000'; // thing1, date2, thing3

type TemplateBody = RouteInput<typeof routes.messaging.createTemplate>['body'];

/** A "coupon received" subscribe message (transactional), under the staff-given code. */
export const couponReceivedTemplate = (code = 'coupon_received'): TemplateBody => ({
  code,
  name: '优惠券到账',
  channel: 'subscribe',
  purpose: 'transactional',
  wechatTemplateId: COUPON_TPL,
  fields: [
    { key: 'thing1', value: '满100减20券' },
    { key: 'date2', value: '{{today}}' },
    { key: 'thing3', value: '已放入您的卡包' },
  ],
});

/** A "points expiring" subscribe message with the member's nickname and points. */
export const pointsNoticeTemplate = (
  code: string,
  name: string,
  purpose: TemplateBody['purpose'],
): TemplateBody => ({
  code,
  name,
  channel: 'subscribe',
  purpose,
  wechatTemplateId: POINTS_TPL,
  fields: [
    { key: 'thing1', value: '{{nickname}}，您的积分即将到期' },
    { key: 'number2', value: '{{points}}' },
    { key: 'date3', value: '{{today}}' },
  ],
});
