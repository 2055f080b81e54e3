import { z } from 'zod';
import { defineRoute, MEMBER, PUBLIC, staff } from '../route.js';
import { isoDate, dbId } from './common.js';

/**
 * An avatar as the app sends it: a small picture (the app scales it to 160 px) as a data URL. Kept in the member
 * row, so nothing else has to serve it; the 48,000-character cap keeps it well under the request limit.
 */
export const avatarDataUrl = z
  .string()
  .max(48_000, '头像图片太大，请换一张')
  .regex(
    /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+=*$/,
    '头像须为 PNG、JPEG 或 WebP 图片',
  );

export const nicknameField = z.string().trim().min(1, '请填写昵称').max(32, '昵称最多 32 个字');

/** What a new member receives at join, as the brand set it (and as the member is told). */
export const welcomeGiftView = z.object({
  points: z.number().int(),
  coupon: z.object({ id: z.number().int(), name: z.string() }).nullable(),
});
export type WelcomeGiftView = z.infer<typeof welcomeGiftView>;

export const joinInfo = z.object({
  terms: z.string(),
  privacy: z.string(),
  welcomeGift: welcomeGiftView,
});

export const joinSettings = z.object({
  welcomePoints: z.number().int(),
  welcomeCouponTemplateId: z.number().int().nullable(),
  terms: z.string(),
  privacy: z.string(),
});

export const joinSettingsBody = z.strictObject({
  welcomePoints: z
    .number({ error: '开卡送积分须为整数' })
    .int('开卡送积分须为整数')
    .min(0, '开卡送积分不能为负数')
    .max(100_000, '开卡送积分最多 100,000'),
  welcomeCouponTemplateId: dbId.nullable(),
  terms: z.string().trim().min(1, '请填写会员协议').max(8_000, '会员协议最多 8,000 字'),
  privacy: z.string().trim().min(1, '请填写隐私政策').max(8_000, '隐私政策最多 8,000 字'),
});

export const memberProfile = z.object({
  avatar: z.string().nullable(),
  nickname: z.string().nullable(),
  birthday: z.string().nullable(),
  /** Set once: after that only the store can change it (the birthday gift is not a monthly event). */
  birthdayLocked: z.boolean(),
  phoneMasked: z.string().nullable(),
  cardNo: z.string().nullable(),
  joinedAt: z.string().nullable(),
});

export const profileBody = z.strictObject({
  avatar: avatarDataUrl.optional(),
  nickname: nicknameField.optional(),
  birthday: isoDate.optional(),
});

export const membershipRoutes = {
  joinInfo: defineRoute({
    method: 'GET',
    path: '/join-info',
    auth: PUBLIC,
    tag: 'me',
    summary:
      'The membership agreement, the privacy policy and the welcome gift, as the brand set them',
    response: joinInfo,
  }),
  profile: defineRoute({
    method: 'GET',
    path: '/me/profile',
    auth: MEMBER,
    tag: 'me',
    summary: 'My profile: avatar, nickname, birthday, masked phone',
    response: memberProfile,
  }),
  updateProfile: defineRoute({
    method: 'PUT',
    path: '/me/profile',
    auth: MEMBER,
    tag: 'me',
    summary: 'Change my avatar or nickname; set my birthday once',
    body: profileBody,
    response: memberProfile,
  }),
  joinSettings: defineRoute({
    method: 'GET',
    path: '/admin/join-settings',
    auth: staff('owner', 'operator'),
    tag: 'admin-members',
    summary: 'Welcome gift, membership agreement and privacy policy',
    response: joinSettings,
  }),
  updateJoinSettings: defineRoute({
    method: 'PUT',
    path: '/admin/join-settings',
    auth: staff('owner', 'operator'),
    tag: 'admin-members',
    summary: 'Set the welcome gift and the texts members agree to (audited)',
    body: joinSettingsBody,
    response: joinSettings,
  }),
} as const;
