import { z } from 'zod';
import { STAFF_ROLES } from '../constants.js';
import { defineRoute, PUBLIC, staff } from '../route.js';
import { cursorQuery, idParam, page, dbIdText } from './common.js';

export const staffView = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(STAFF_ROLES),
  storeCode: z.string().nullable(),
  /** The clerk's store by name, so no page shows a bare code. */
  storeName: z.string().nullable(),
  active: z.boolean(),
  /** Locked after too many wrong passwords in a row; an owner unlocks it. */
  locked: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});

/** The signed-in account, and what the console needs to show times as the brand reads them. */
export const staffSessionView = staffView.extend({ brandTimeZone: z.string() });

const username = z
  .string()
  .trim()
  .min(3, '登录账号至少 3 个字符')
  .max(32, '登录账号最多 32 个字符')
  .regex(/^[a-zA-Z0-9_.-]+$/, '用户名只能包含字母、数字和 _ . -');
/** The rule the console states; the server also refuses common passwords (docs/security-auth.md). */
export const STAFF_PASSWORD_RULE = '至少 10 位，不能是常见密码';
const password = z.string().min(10, '密码至少 10 位').max(128, '密码最多 128 位');
const storeCode = z
  .string()
  .trim()
  .min(1, '请填写门店编码')
  .max(32, '门店编码最多 32 个字符')
  .regex(/^[A-Za-z0-9_-]+$/, '门店编码只能包含字母、数字和 _ -');

export const staffLoginBody = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(128),
});

export const createStaffBody = z
  .strictObject({
    username,
    password,
    displayName: z.string().trim().min(1).max(32, '姓名最多 32 个字').optional(),
    role: z.enum(STAFF_ROLES),
    storeCode: storeCode.optional(),
  })
  .refine((v) => v.role !== 'clerk' || v.storeCode !== undefined, {
    message: '店员必须绑定门店',
    path: ['storeCode'],
  });

export const updateStaffBody = z.strictObject({
  displayName: z.string().trim().min(1).max(32).optional(),
  role: z.enum(STAFF_ROLES).optional(),
  storeCode: storeCode.nullable().optional(),
  active: z.boolean().optional(),
  password: password.optional(),
});

/** The signed-in staff member changes their own password; the answer carries a fresh token. */
export const changeOwnPasswordBody = z.strictObject({
  currentPassword: z.string().min(1, '请填写当前密码').max(128),
  newPassword: password,
});

export const storeView = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  active: z.boolean(),
  /** Active clerks bound to the store. */
  clerks: z.number().int(),
  createdAt: z.string(),
});
const storeName = z.string().trim().min(1, '请填写门店名称').max(64, '门店名称最多 64 个字');
const storeAddress = z.string().trim().max(128, '门店地址最多 128 个字');
/** The code is chosen once or, left out, generated (digits, so it reads the same in any language). */
export const createStoreBody = z.strictObject({
  code: storeCode.optional(),
  name: storeName,
  address: storeAddress.optional(),
});
export const updateStoreBody = z.strictObject({
  name: storeName.optional(),
  address: storeAddress.nullable().optional(),
  active: z.boolean().optional(),
});

export const auditEntryView = z.object({
  id: z.number().int(),
  staffId: z.number().int().nullable(),
  staffUsername: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  at: z.string(),
});

export const staffRoutes = {
  login: defineRoute({
    method: 'POST',
    path: '/admin/auth/login',
    auth: PUBLIC,
    tag: 'admin-auth',
    status: 200,
    summary: 'Staff login',
    body: staffLoginBody,
    response: z.object({ token: z.string(), expiresIn: z.number().int(), staff: staffView }),
  }),
  me: defineRoute({
    method: 'GET',
    path: '/admin/auth/me',
    auth: staff('owner', 'operator', 'clerk'),
    tag: 'admin-auth',
    summary: 'The signed-in staff account',
    response: staffSessionView,
  }),
  changePassword: defineRoute({
    method: 'POST',
    path: '/admin/auth/password',
    auth: staff('owner', 'operator', 'clerk'),
    tag: 'admin-auth',
    status: 200,
    summary: "Change one's own password: other sessions end, the answer carries a fresh token",
    body: changeOwnPasswordBody,
    response: z.object({ token: z.string(), expiresIn: z.number().int() }),
  }),
  list: defineRoute({
    method: 'GET',
    path: '/admin/staff',
    auth: staff('owner'),
    tag: 'admin-staff',
    summary: 'Staff accounts',
    response: z.object({ items: z.array(staffView) }),
  }),
  create: defineRoute({
    method: 'POST',
    path: '/admin/staff',
    auth: staff('owner'),
    tag: 'admin-staff',
    status: 201,
    summary: 'Create a staff account',
    body: createStaffBody,
    response: staffView,
  }),
  update: defineRoute({
    method: 'PATCH',
    path: '/admin/staff/:id',
    auth: staff('owner'),
    tag: 'admin-staff',
    summary: 'Change role, store, password or deactivate',
    params: idParam,
    body: updateStaffBody,
    response: staffView,
  }),
  unlock: defineRoute({
    method: 'POST',
    path: '/admin/staff/:id/unlock',
    auth: staff('owner'),
    tag: 'admin-staff',
    status: 200,
    summary: 'Lift the lock after too many wrong passwords (audited)',
    params: idParam,
    response: staffView,
  }),
  listStores: defineRoute({
    method: 'GET',
    path: '/admin/stores',
    auth: staff('owner', 'operator', 'clerk'),
    tag: 'admin-stores',
    summary: 'Stores',
    response: z.object({ items: z.array(storeView) }),
  }),
  createStore: defineRoute({
    method: 'POST',
    path: '/admin/stores',
    auth: staff('owner'),
    tag: 'admin-stores',
    status: 201,
    summary: 'Create a store (the code is generated when left out)',
    body: createStoreBody,
    response: storeView,
  }),
  updateStore: defineRoute({
    method: 'PATCH',
    path: '/admin/stores/:id',
    auth: staff('owner'),
    tag: 'admin-stores',
    summary: 'Rename a store, change its address, close or reopen it (the code never changes)',
    params: idParam,
    body: updateStoreBody,
    response: storeView,
  }),
  audit: defineRoute({
    method: 'GET',
    path: '/admin/audit-logs',
    auth: staff('owner'),
    tag: 'admin-audit',
    summary: 'Audit log of staff writes, newest first',
    query: z.strictObject({
      ...cursorQuery,
      staffId: dbIdText.optional(),
      entityType: z.string().max(64).optional(),
    }),
    response: page(auditEntryView),
  }),
} as const;
