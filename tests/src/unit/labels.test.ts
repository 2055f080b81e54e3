import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import {
  auditActionLabel,
  auditChanges,
  auditEntityLabel,
  FIELD_LABELS,
  formatBrandDateTime,
  ledgerEntryLabel,
  LEDGER_TYPES,
  routes,
  type RouteDef,
} from '@huoyue/shared';

/** Latin words other than RFM (a standard abbreviation staff know, allowed on screens too). */
const LATIN = /(?!RFM)\b[A-Za-z]{2,}/;

/** Every object key reachable in a schema (through optionals, defaults, arrays, unions and pipes). */
function keysOf(schema: z.ZodType | undefined, out = new Set<string>()): Set<string> {
  if (!schema) return out;
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })
    ._zod.def;
  const walk = (s: unknown) => keysOf(s as z.ZodType, out);
  switch (def.type) {
    case 'object':
      for (const [key, value] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        out.add(key);
        walk(value);
      }
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      walk(def.innerType);
      break;
    case 'array':
      walk(def.element);
      break;
    case 'union':
      for (const option of def.options as z.ZodType[]) walk(option);
      break;
    case 'pipe':
      walk(def.in);
      walk(def.out);
      break;
    default:
  }
  return out;
}

function allRoutes(): RouteDef[] {
  return Object.values(routes).flatMap((group) => Object.values(group as Record<string, RouteDef>));
}

function serverSources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) serverSources(path, out);
    else if (path.endsWith('.ts')) out.push(readFileSync(path, 'utf8'));
  }
  return out;
}

describe('the shared label map', () => {
  it('names every field a staff write can send, so the audit log never shows an English field name', () => {
    const missing = new Set<string>();
    for (const route of allRoutes()) {
      if (route.auth.kind !== 'staff' || route.method === 'GET') continue;
      for (const key of keysOf(route.body)) if (!FIELD_LABELS[key]) missing.add(key);
    }
    assert.deepEqual([...missing].sort(), []);
    for (const [key, label] of Object.entries(FIELD_LABELS))
      assert.doesNotMatch(label, LATIN, `${key}: ${label}`);
  });

  it('reads every audit action the server records in Chinese', () => {
    const actions = new Set<string>();
    for (const source of serverSources('server/src'))
      for (const m of source.matchAll(/action: '([a-z_]+\.[a-z_.]+)'/g)) actions.add(m[1]!);
    assert.ok(actions.size > 20, `found ${actions.size} actions`);
    for (const action of actions) {
      const label = auditActionLabel(action);
      assert.doesNotMatch(label, LATIN, `${action} → ${label}`);
      assert.notEqual(label, '其他操作', action);
    }
    assert.equal(auditActionLabel('mall_item.archive'), '下架商城商品');
    assert.equal(auditActionLabel('store.deactivate'), '停用门店');
    assert.equal(auditActionLabel('coupon_template.delete'), '删除优惠券');
    assert.equal(auditEntityLabel('mall_item', '12'), '商城商品 #12');
  });

  it('shows a change as 字段：旧值 → 新值 with values in words, nested settings on their own line', () => {
    const changes = auditChanges(
      {
        role: 'clerk',
        storeCode: 'S1',
        active: true,
        expiry: { kind: 'end_of_next_year' },
        updatedAt: '2026-01-01T00:00:00Z',
      },
      {
        role: 'operator',
        storeCode: null,
        active: false,
        expiry: { kind: 'days', days: 365 },
        updatedAt: '2026-02-01T00:00:00Z',
      },
      { nameOf: (field, value) => (field === 'storeCode' ? `门店${value}` : undefined) },
    );
    assert.deepEqual(changes, [
      { field: '角色', before: '店员', after: '运营' },
      { field: '门店', before: '门店S1', after: '（空）' },
      { field: '启用', before: '是', after: '否' },
      { field: '积分有效期 · 方式', before: '次年年底清零', after: '获得后按天数过期' },
      { field: '积分有效期 · 天数', before: null, after: '365' },
    ]);
    const created = auditChanges(null, { points: 500, reason: '补偿', amount: 1990 });
    assert.deepEqual(
      created.map((c) => [c.field, c.before, c.after]),
      [
        ['积分', null, '500'],
        ['原因', null, '补偿'],
        ['金额', null, '¥19.90'],
      ],
    );
  });

  it('names every ledger entry type for members and staff', () => {
    for (const type of LEDGER_TYPES) {
      const label = ledgerEntryLabel({ type, sourceType: 'order', reason: null });
      assert.doesNotMatch(label, LATIN, type);
    }
    assert.equal(
      ledgerEntryLabel({ type: 'earn', sourceType: 'order', reason: null }),
      '消费得积分',
    );
    assert.equal(
      ledgerEntryLabel({ type: 'adjust', sourceType: 'staff', reason: '补偿' }),
      '积分调整（补偿）',
    );
  });

  it('formats instants for exports in the brand time zone, seconds included', () => {
    assert.equal(
      formatBrandDateTime('2026-12-06T02:00:00.000Z', 'Asia/Shanghai'),
      '2026-12-06 10:00:00',
    );
    assert.equal(
      formatBrandDateTime('2026-12-06T16:30:05Z', 'Asia/Shanghai'),
      '2026-12-07 00:30:05',
    );
    assert.equal(formatBrandDateTime(null, 'Asia/Shanghai'), '');
  });
});
