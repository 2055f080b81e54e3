import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  checkConstraintsEnforced,
  forUpdate,
  honourCheckConstraints,
  honourSharedLocks,
  honourSkipLocked,
  noteServerVersion,
  rowLock,
} from '@huoyue/server/dist/infra/database/dialect.js';

/** The switches that make the SQL run as a distributed database needs it (docs/distributed-sql.md). */
describe('dialect modes', () => {
  afterEach(() => {
    honourSharedLocks(true);
    honourSkipLocked(true);
    honourCheckConstraints(true);
    noteServerVersion('10.11.19-MariaDB');
  });

  it('a shared lock is exclusive where shared locks are off, and nothing on SQLite', () => {
    assert.equal(rowLock('mysql', 'share'), ' LOCK IN SHARE MODE');
    honourSharedLocks(false);
    assert.equal(rowLock('mysql', 'share'), ' FOR UPDATE');
    assert.equal(rowLock('mysql', 'update'), ' FOR UPDATE');
    assert.equal(rowLock('sqlite', 'share'), '');
  });

  it('SKIP LOCKED off reads candidates with no lock at all; plain FOR UPDATE stays', () => {
    honourSkipLocked(false);
    assert.equal(forUpdate('mysql', { skipLocked: true }), '');
    assert.equal(forUpdate('mysql'), ' FOR UPDATE');
  });

  it('TiDB, told by VERSION(): no shared locks, CHECKs not relied on', () => {
    noteServerVersion('8.0.11-TiDB-v8.5.1');
    assert.equal(rowLock('mysql', 'share'), ' FOR UPDATE');
    assert.equal(checkConstraintsEnforced(), false);
  });
});
