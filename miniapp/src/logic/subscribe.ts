/**
 * Subscribe-message prompts at the moments a member would want them, and what WeChat answered, in the shape
 * POST /api/me/subscriptions takes.
 */
export type SubscribeMoment = 'checkin' | 'coupon' | 'redemption';

export type SubscribeTemplates = Record<SubscribeMoment, string[]>;

/** The demo brand's templates (the fake WeChat knows them). A brand sets its own at build time. */
export const DEFAULT_SUBSCRIBE_TEMPLATES: SubscribeTemplates = {
  checkin: ['tpl_checkin_reminder_0000000000000000000000'],
  coupon: ['tpl_coupon_expiring_00000000000000000000000'],
  redemption: ['tpl_shipping_update_00000000000000000000000'],
};

export const MOMENT_PROMPTS: Record<SubscribeMoment, { title: string; content: string }> = {
  checkin: { title: '明天提醒我签到？', content: '连续签到奖励更多，我们会在明天提醒您一次。' },
  coupon: { title: '券快过期时提醒我？', content: '优惠券到期前提醒您一次，别让它浪费了。' },
  redemption: { title: '发货后通知我？', content: '商品发货、送达时通知您。' },
};

export type SubscribeAnswer =
  | 'accept'
  | 'reject'
  | 'ban'
  | 'filter'
  | 'acceptWithAlert'
  | 'acceptWithAudio'
  | 'acceptWithForcePush';
const ANSWERS = new Set<string>([
  'accept',
  'reject',
  'ban',
  'filter',
  'acceptWithAlert',
  'acceptWithAudio',
  'acceptWithForcePush',
]);

/**
 * wx.requestSubscribeMessage answers `{ errMsg, [templateId]: 'accept' | 'reject' | … }`; keep only the
 * templates we asked about with answers WeChat documents.
 */
export function subscribeResults(
  asked: string[],
  answer: Record<string, unknown>,
): Record<string, SubscribeAnswer> {
  const results: Record<string, SubscribeAnswer> = {};
  for (const id of asked) {
    const value = answer[id];
    if (typeof value === 'string' && ANSWERS.has(value)) results[id] = value as SubscribeAnswer;
  }
  return results;
}

/** Parses a build-time override; anything malformed falls back to the defaults rather than breaking prompts. */
export function parseSubscribeTemplates(json: string | undefined): SubscribeTemplates {
  if (!json) return DEFAULT_SUBSCRIBE_TEMPLATES;
  try {
    const parsed = JSON.parse(json) as Partial<Record<SubscribeMoment, unknown>>;
    const pick = (m: SubscribeMoment) =>
      Array.isArray(parsed[m]) && parsed[m].every((x) => typeof x === 'string')
        ? parsed[m].slice(0, 3)
        : DEFAULT_SUBSCRIBE_TEMPLATES[m];
    return { checkin: pick('checkin'), coupon: pick('coupon'), redemption: pick('redemption') };
  } catch {
    return DEFAULT_SUBSCRIBE_TEMPLATES;
  }
}
