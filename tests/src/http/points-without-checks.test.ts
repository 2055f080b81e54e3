import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { routes, type ApiClient } from '@huoyue/shared';
import { UnitOfWork } from '@huoyue/server/dist/infra/events/unit-of-work.js';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { PointsLedgerRepository } from '@huoyue/server/dist/modules/points/points-ledger.repository.js';
import { joinedMember, staffLogin } from '../support/flows.js';
import { dialect, startTestServer, type TestServer } from '../support/test-server.js';

const p = routes.points;

/**
 * The points invariants with CHECK constraints not enforced (DB_CHECK_CONSTRAINTS=false: MariaDB's sessions stop
 * checking them, as TiDB does by default): a spend must be refused by its own conditional UPDATE, and lots must be
 * taken by the locked, conditional path, never by the shortcut that lets a CHECK refuse.
 */
describe('points without CHECK constraints (as on TiDB)', () => {
  let server: TestServer;
  let owner: ApiClient;

  before(async () => {
    server = await startTestServer({ DB_CHECK_CONSTRAINTS: 'false' });
    owner = await staffLogin(server);
  });
  after(() => server.stop());

  const adjust = (memberId: number, points: number) =>
    owner.call(p.adjust, {
      params: { id: memberId },
      body: { points, reason: '测试调整', requestId: randomUUID() },
    });

  it('the mode is real: MariaDB takes a negative balance written straight (SQLite keeps its CHECKs)', async () => {
    const m = await joinedMember(server);
    await adjust(m.member.id, 5);
    const write = server.app.get(UnitOfWork).run(async (tx) => {
      await tx.em.query('UPDATE points_account SET balance = -1 WHERE member_id = ?', [
        m.member.id,
      ]);
      throw new Error('roll back');
    });
    await assert.rejects(write, dialect === 'mysql' ? /roll back/ : /CHECK constraint failed/);
  });

  it('a debit beyond the balance changes nothing; spends take the lots that expire first, none below zero', async () => {
    const m = await joinedMember(server);
    await adjust(m.member.id, 20);
    await adjust(m.member.id, 10);
    const ledger = server.app.get(PointsLedgerRepository);
    const refused = await server.app.get(UnitOfWork).run((tx) => ledger.debit(tx, m.member.id, 31));
    assert.equal(refused, null);
    assert.equal((await m.api.call(p.summary)).balance, 30);

    await adjust(m.member.id, -25);
    const lots = (await server.dataSource.query(
      'SELECT amount, remaining FROM points_lot WHERE member_id = ? ORDER BY id',
      [m.member.id],
    )) as { amount: number; remaining: number }[];
    assert.deepEqual(
      lots.map((l) => [Number(l.amount), Number(l.remaining)]),
      [
        [20, 0],
        [10, 5],
      ],
    );
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => adjust(m.member.id, -1)),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5);
    assert.equal((await m.api.call(p.summary)).balance, 0);
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });
});
