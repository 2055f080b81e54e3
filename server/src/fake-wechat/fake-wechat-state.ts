/** The fake WeChat's data model: its apps, templates, issued codes and tokens, accepted messages, faults. */
import type { FakePayOptions, PayState } from './pay-state.js';

export interface FakeApp {
  appId: string;
  secret: string;
  /** 'mp' = mini-program, 'oa' = Official Account (tokens are not interchangeable: 48001). */
  kind: 'mp' | 'oa';
}

export interface FakeTemplate {
  templateId: string;
  title: string;
  kind: 'one_time' | 'long_term';
  /** Keyword names such as thing1, date2; types come from the prefix. */
  keys: string[];
}

export interface AcceptedMessage {
  /** `sms`: the fake SMS provider below (not WeChat; the built-in stand-in for a brand's SMS API). */
  channel: 'subscribe' | 'template' | 'sms';
  msgid: string;
  appId: string;
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
  clientMsgId?: string;
  at: string;
}

export interface Fault {
  path: string;
  errcode?: number;
  delayMs?: number;
  /** HTTP status instead of a WeChat errcode (502, 503 ...). */
  httpStatus?: number;
  remaining: number;
}

export interface TokenInfo {
  appId: string;
  expiresAt: number;
  invalidated: boolean;
}

export class FakeWechatState {
  apps = new Map<string, FakeApp>();
  loginCodes = new Map<
    string,
    { openid: string; unionid?: string; appId: string; expiresAt: number; used: boolean }
  >();
  phoneCodes = new Map<string, { phone: string; expiresAt: number; used: boolean }>();
  tokens = new Map<string, TokenInfo>();
  stable = new Map<string, string>();
  templates = new Map<string, FakeTemplate>();
  /** openid → template ids (or '*') whose sends are refused with 43101. */
  refusals = new Map<string, Set<string>>();
  /** unionids that follow the Official Account (template messages need it: 43004 otherwise). */
  followers = new Set<string>();
  /** OA openid → unionid */
  oaOpenids = new Map<string, string>();
  /** openid → risk rank (0 normal … 4 highest) answered by /wxa/getuserriskrank; unknown openids are 0. */
  riskRanks = new Map<string, number>();
  faults: Fault[] = [];
  messages: AcceptedMessage[] = [];
  clientMsgIds = new Map<string, string>();
  calls = new Map<string, number>();
  clockOffsetMs = 0;
  /** The fake WeChat Pay (API v3), when the options name a merchant. */
  pay?: PayState;

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }
}

export interface FakeWechatOptions {
  apps: FakeApp[];
  templates?: FakeTemplate[];
  logger?: boolean;
  /** A merchant for the fake WeChat Pay (API v3); without it the /v3 routes answer 404. */
  pay?: FakePayOptions;
}

export const DEFAULT_TEMPLATES: FakeTemplate[] = [
  {
    templateId: 'tpl_points_expiring_00000000000000000000000',
    title: '积分到期提醒',
    kind: 'one_time',
    keys: ['thing1', 'number2', 'date3'],
  },
  {
    templateId: 'tpl_coupon_expiring_00000000000000000000000',
    title: '优惠券到期提醒',
    kind: 'one_time',
    keys: ['thing1', 'date2', 'thing3'],
  },
  {
    templateId: 'tpl_checkin_reminder_0000000000000000000000',
    title: '签到提醒',
    kind: 'one_time',
    keys: ['thing1', 'number2', 'thing3'],
  },
  {
    templateId: 'tpl_tier_retention_000000000000000000000000',
    title: '会员等级变动提醒',
    kind: 'one_time',
    keys: ['thing1', 'phrase2', 'date3'],
  },
  {
    templateId: 'tpl_oa_service_notice_0000000000000000000000',
    title: '会员服务通知',
    kind: 'long_term',
    keys: ['thing1', 'time2'],
  },
  {
    templateId: 'tpl_shipping_update_00000000000000000000000',
    title: '发货通知',
    kind: 'one_time',
    keys: ['thing1', 'character_string2', 'time3'],
  },
];
