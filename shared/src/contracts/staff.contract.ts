import { z } from 'zod';
import { STAFF_ROLES } from '../constants.js';
import { defineRoute, PUBLIC, staff } from '../route.js';
import { cursorQuery, idParam, page } from './common.js';

export const staffView = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(STAFF_ROLES),
  storeCode: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});

const username = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .regex(/^[a-zA-Z0-9_.-]+$/, '用户名只能包含字母、数字和 _ . -');
const password = z.string().min(8, '密码至少 8 位').max(128);
const storeCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, '门店编码只能包含字母、数字和 _ -');

export const staffLoginBody = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(128),
});

export const createStaffBody = z
  .strictObject({
    username,
    password,
    displayName: z.string().trim().min(1).max(32).optional(),
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

export const storeView = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  createdAt: z.string(),
});
export const createStoreBody = z.strictObject({
  code: storeCode,
  name: z.string().trim().min(1).max(64),
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
    response: staffView,
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
    auth: staff('owner', 'operator'),
    tag: 'admin-stores',
    status: 201,
    summary: 'Create a store',
    body: createStoreBody,
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
      staffId: z.coerce.number().int().positive().optional(),
      entityType: z.string().max(64).optional(),
    }),
    response: page(auditEntryView),
  }),
} as const;
