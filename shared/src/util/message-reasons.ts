/**
 * Why a message did not reach a member, in the words staff read. Every reason the dispatcher writes on a message
 * (`message.reason`) has a label: its own codes, WeChat's errcodes (after a channel refused), the SMS provider's
 * failures, and the prefixed forms (`gave_up:<code>`, `invalid_field:<key>`, `fallback_after:<code>`).
 */
export const MESSAGE_REASON_LABELS: Record<string, string> = {
  // Decided before sending (consent, caps, reach).
  template_inactive: '消息模板已停用',
  not_a_member: '已不是会员（已注销或合并）',
  opted_out: '会员关闭了消息提醒',
  no_marketing_consent: '未同意接收营销短信',
  capped: '超出发送频次上限',
  no_openid: '未在小程序登录过',
  no_quota: '未获订阅授权（订阅次数已用完）',
  oa_not_configured: '未配置服务号',
  not_following: '未关注服务号',
  sms_unavailable: '未配置短信通道',
  no_phone: '没有手机号',
  // WeChat's answers.
  '-1': '微信系统繁忙',
  '40001': '微信接口凭证失效',
  '40003': '微信身份无效',
  '40014': '微信接口凭证失效',
  '40037': '消息模板编号无效',
  '40249': '消息内容被微信拦截',
  '41001': '微信接口凭证缺失',
  '41030': '跳转页面不存在',
  '42001': '微信接口凭证过期',
  '43004': '未关注服务号',
  '43101': '会员拒收或订阅次数已用完',
  '45009': '微信接口当日调用已达上限',
  '45011': '微信接口调用过于频繁',
  '45168': '消息内容含微信屏蔽词',
  '47003': '消息内容不符合微信要求',
  '48001': '微信接口未授权',
  // The SMS provider.
  sms_timeout: '短信服务超时',
  sms_network: '短信服务连接失败',
  error: '发送出错',
  // Not a failure: on the way.
  queued: '排队待发送',
};

/** The label of one stored reason; unknown codes say so without showing the code's letters to staff. */
export function messageReasonLabel(reason: string | null | undefined): string {
  if (!reason) return '原因未知';
  const known = MESSAGE_REASON_LABELS[reason];
  if (known) return known;
  const [prefix, rest = ''] = splitOnce(reason);
  switch (prefix) {
    case 'gave_up':
      return `多次重试仍失败：${messageReasonLabel(rest)}`;
    case 'invalid_field':
      return '消息内容不符合微信要求（字段内容无效）';
    case 'fallback_after':
      return `改用下一渠道：${messageReasonLabel(rest)}`;
    case 'retry':
      return `等待重试：${messageReasonLabel(rest)}`;
    default:
      break;
  }
  if (/^sms_http_\d+$/.test(reason)) return `短信服务返回错误 ${reason.slice(9)}`;
  if (/^-?\d+$/.test(reason)) return `微信返回错误 ${reason}`;
  return '其他原因';
}

function splitOnce(reason: string): [string, string?] {
  const at = reason.indexOf(':');
  return at < 0 ? [reason] : [reason.slice(0, at), reason.slice(at + 1)];
}
