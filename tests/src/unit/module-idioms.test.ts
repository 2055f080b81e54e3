import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkIdiomsOf,
  compareWithDebt,
  formatIdiomViolation,
} from '@huoyue/scripts/dist/lint/module-idioms.js';

const kinds = (file: string, text: string) =>
  checkIdiomsOf(file, text).map((v) => [v.kind, v.line, v.what]);

describe('module-idiom check', () => {
  test('a service that takes a Tx and asks infra/database for dialect SQL passes', () => {
    const text = `
      import { insertIgnoreVerb, dialectOf } from '../../infra/database/dialect.js';
      export class GoodService {
        async write(tx: Tx, id: number) { return tx.em.query(insertIgnoreVerb(dialectOf(tx.em)) + ' INTO t'); }
        async read(id: number, tx?: Tx) { return (tx?.em ?? this.ds.manager).find(T); }
        private async helper(em: EntityManager) { return em; }
      }`;
    assert.deepEqual(kinds('modules/good/good.service.ts', text), []);
  });

  test('a dialect name or options.type in a module file fails', () => {
    const text = `
      export class S {
        f(kind: string) { return kind === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE'; }
        g() { return this.ds.options.type !== 'better-sqlite3'; }
      }`;
    assert.deepEqual(kinds('modules/bad/s.ts', text), [
      ['dialect', 3, "'mysql'"],
      ['dialect', 4, 'this.ds.options.type'],
      ['dialect', 4, "'better-sqlite3'"],
    ]);
  });

  test('a method taking an EntityManager, the UnitOfWork or a run closure fails', () => {
    const text = `
      export class S {
        record(em: EntityManager, x: number) {}
        names(em?: EntityManager) {}
        revoke(uow: UnitOfWork, id: string) {}
        expire(asOf: Date, run: (work: (tx: Tx) => Promise<void>) => Promise<void>) {}
      }`;
    assert.deepEqual(kinds('modules/bad/s.ts', text), [
      ['entity-manager', 3, 'S.record(em)'],
      ['entity-manager', 4, 'S.names(em)'],
      ['uow', 5, 'S.revoke(uow)'],
      ['uow', 6, 'S.expire(run)'],
    ]);
  });

  test('written debt covers up to its count; more fails, and debt paid makes the entry stale', () => {
    const found = checkIdiomsOf(
      'modules/bad/s.ts',
      `export class S { a(em: EntityManager) {} b(em: EntityManager) {} }`,
    );
    const entry = { file: 'modules/bad/s.ts', kind: 'entity-manager' as const, reason: 'r' };
    assert.equal(compareWithDebt(found, [{ ...entry, count: 2 }]).breaches.length, 0);
    const over = compareWithDebt(found, [{ ...entry, count: 1 }]);
    assert.equal(over.breaches.length, 2);
    assert.match(formatIdiomViolation(over.breaches[0]!), /S\.a\(em\) takes an EntityManager/);
    assert.deepEqual(compareWithDebt(found, [{ ...entry, count: 3 }]).stale[0]?.found, 2);
    assert.equal(compareWithDebt(found, []).breaches.length, 2);
  });
});
