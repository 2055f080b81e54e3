import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import {
  type AllowEntry,
  checkBoundaries,
  formatViolation,
  unallowed,
} from '@huoyue/scripts/dist/lint/module-boundaries.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A tiny server/src with two modules and the platform, written to a temporary folder. */
function plant(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'boundaries-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const base = {
  'modules/points/points-entry.entity.ts': `
    import { Entity } from 'typeorm';
    @Entity('points_entry') export class PointsEntry {}`,
  'modules/points/index.ts': `export { PointsReports } from './points-reports.js';`,
  'modules/points/points-reports.ts': `
    export class PointsReports { daily() { return 'SELECT day, SUM(points) FROM points_entry GROUP BY day'; } }`,
  'modules/memberdays/member-day.entity.ts': `
    import { Entity } from 'typeorm';
    @Entity({ name: 'member_day' }) export class MemberDay {}`,
  'modules/memberdays/member-days.service.ts': `
    import { PointsReports } from '../points/index.js';
    export class MemberDaysService { constructor(readonly points: PointsReports) {}
      list() { return \`SELECT * FROM member_day WHERE id = \${1}\`; } }`,
  'infra/events/event-bus.ts': `export class EventBus {}`,
};

describe('module-boundary check', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const check = (extra: Record<string, string>) => {
    const dir = plant({ ...base, ...extra });
    dirs.push(dir);
    return checkBoundaries(dir);
  };

  test('a module that keeps to its own tables and public files passes', () => {
    const { violations, tables } = check({});
    assert.deepEqual(violations, []);
    assert.equal(tables.get('points_entry'), 'modules/points');
    assert.equal(tables.get('member_day'), 'modules/memberdays');
  });

  test("SQL naming another module's table fails, as a read or a write", () => {
    const { violations } = check({
      'modules/memberdays/report.ts': `
        export const q = \`SELECT COALESCE(SUM(points), 0) AS p
          FROM points_entry WHERE created_at >= ?\`;
        export const w = 'INSERT INTO points_entry (member_id) VALUES (?)';
        export const d = "DELETE FROM points_entry WHERE id = ?";`,
    });
    assert.deepEqual(
      violations.map((v) => [v.kind, v.target, v.access, v.line]),
      [
        ['sql', 'points_entry', 'read', 2],
        ['sql', 'points_entry', 'write', 4],
        ['sql', 'points_entry', 'write', 5],
      ],
    );
    assert.match(formatViolation(violations[0]!), /memberdays reads table `points_entry`/);
  });

  test('a table name handed to a SQL helper or a query builder fails', () => {
    const { violations } = check({
      'modules/memberdays/bulk.ts': `
        export async function f(em: any) {
          await bulkInsert(em, 'mysql', 'points_entry', ['a'], []);
          return em.createQueryBuilder().select('x').from('points_entry', 'e');
        }`,
    });
    assert.deepEqual(
      violations.map((v) => [v.target, v.access]),
      [
        ['points_entry', 'write'],
        ['points_entry', 'read'],
      ],
    );
  });

  test("importing another module's internals or its entity fails; a type import of it does not", () => {
    const { violations } = check({
      'modules/memberdays/x.ts': `
        import { PointsReports } from '../points/points-reports.js';
        import { PointsEntry } from '../points/index.js';
        import type { PointsEntry as Entry } from '../points/index.js';
        export const y = [PointsReports, PointsEntry];`,
    });
    assert.deepEqual(
      violations.map((v) => [v.kind, v.target]),
      [
        ['internal-import', 'modules/points/points-reports.ts'],
        ['entity', 'points_entry'],
      ],
    );
  });

  test('the platform may not import a module', () => {
    const { violations } = check({
      'infra/database/entities.ts': `import { MemberDay } from '../../modules/memberdays/member-day.entity.js';`,
    });
    assert.ok(violations.some((v) => v.kind === 'infra-imports-module'));
  });

  test("an allowlist entry for a table also covers importing that table's entity file", () => {
    const { violations, tables } = check({
      'demo/seed.ts': `import { PointsEntry } from '../modules/points/points-entry.entity.js';
        export const e = PointsEntry;`,
    });
    assert.deepEqual(
      violations.map((v) => v.kind),
      ['internal-import', 'entity'],
    );
    const write: AllowEntry = {
      module: 'app',
      table: 'points_entry',
      access: 'write',
      reason: 'x',
    };
    assert.deepEqual(unallowed(violations, tables, [write]), []);
    assert.equal(unallowed(violations, tables, [{ ...write, access: 'read' }]).length, 2);
  });

  test('an allowlist entry covers reads, and writes only when it says write', () => {
    const { violations, tables } = check({
      'modules/memberdays/r.ts': `export const q = 'SELECT 1 FROM points_entry'; export const w = 'UPDATE points_entry SET a = 1';`,
    });
    const read: AllowEntry = {
      module: 'memberdays',
      table: 'points_entry',
      access: 'read',
      reason: 'test',
    };
    assert.deepEqual(
      unallowed(violations, tables, [read]).map((v) => v.access),
      ['write'],
    );
    assert.deepEqual(unallowed(violations, tables, [{ ...read, access: 'write' }]), []);
  });

  test('the real server passes with its written exceptions', () => {
    const allow = (
      JSON.parse(readFileSync(join(root, 'server/module-boundaries.allow.json'), 'utf8')) as {
        exceptions: AllowEntry[];
      }
    ).exceptions;
    for (const a of allow) assert.ok(a.reason.length > 20, `${a.module} → ${a.table} says why`);
    const { violations, tables } = checkBoundaries(join(root, 'server/src'));
    assert.deepEqual(unallowed(violations, tables, allow).map(formatViolation), []);
  });
});
