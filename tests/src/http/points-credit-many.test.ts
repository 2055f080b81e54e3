import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UnitOfWork } from '@huoyue/server/dist/infra/events/unit-of-work.js';
import { checkLedger } from '@huoyue/server/dist/modules/points/ledger-check.js';
import { PointsService } from '@huoyue/server/dist/modules/points/index.js';
import type { CreditInput } from '@huoyue/server/dist/modules/points/points.service.js';
import { joinedMember } from '../support/flows.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** What a member's ledger looks like, ids and member aside: the same credits must book the same rows. */
async function ledgerOf(server: TestServer, memberId: number) {
  const entries = (await server.dataSource.query(
    `SELECT type, points, growth, balance_after, growth_after, source_type, source_ref, reason, expires_at
       FROM points_entry WHERE member_id = ? ORDER BY id`,
    [memberId],
  )) as Record<string, unknown>[];
  const lots = (await server.dataSource.query(
    `SELECT amount, remaining, status, expires_at, source_type FROM points_lot WHERE member_id = ? ORDER BY id`,
    [memberId],
  )) as Record<string, unknown>[];
  const [account] = (await server.dataSource.query(
    'SELECT balance, growth, owed FROM points_account WHERE member_id = ?',
    [memberId],
  )) as Record<string, unknown>[];
  const events = (
    (await server.dataSource.query(
      "SELECT payload FROM domain_event WHERE name = 'points.changed' ORDER BY id",
    )) as { payload: string }[]
  )
    .map((e) => JSON.parse(e.payload) as { memberId: number; at: string })
    .filter((e) => e.memberId === memberId)
    .map(({ memberId: _m, ...rest }) => rest);
  const plain = (rows: Record<string, unknown>[]) =>
    rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : String(v)]),
      ),
    );
  return { entries: plain(entries), lots: plain(lots), account: plain([account!]), events };
}

describe('PointsService.creditMany', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  it('books the same entries, lots, balances and events as one credit per input, in one transaction', async () => {
    const one = [
      await joinedMember(server),
      await joinedMember(server),
      await joinedMember(server),
    ];
    const many = [
      await joinedMember(server),
      await joinedMember(server),
      await joinedMember(server),
    ];
    // A member who owes points from a refund: the credit pays that first (a clawback entry).
    for (const m of [one[2]!, many[2]!])
      await server.dataSource.query('UPDATE points_account SET owed = 7 WHERE member_id = ?', [
        m.member.id,
      ]);
    const at = new Date(Date.now() - 60_000);
    const inputs = (ids: number[], tag: string): CreditInput[] =>
      [
        { memberId: ids[0]!, points: 10, growth: 2, key: `${tag}:a`, sourceRef: 'd1' },
        { memberId: ids[1]!, points: 5, key: `${tag}:b`, sourceRef: 'd1' },
        // The same member twice in one batch: the first entry's balance after excludes the second's points.
        { memberId: ids[0]!, points: 3, key: `${tag}:c`, sourceRef: 'd2', reason: '连续签到奖励' },
        { memberId: ids[1]!, points: 0, growth: 4, key: `${tag}:d`, sourceRef: 'd2' },
        { memberId: ids[2]!, points: 20, key: `${tag}:e`, sourceRef: 'd1' },
      ].map((i) => ({
        ...i,
        type: 'reward' as const,
        sourceType: 'checkin',
        at,
        fresh: true,
        eligible: true,
      }));
    const points = server.app.get(PointsService);
    const uow = server.app.get(UnitOfWork);
    const singly = await uow.run(async (tx) => {
      const out = [];
      for (const input of inputs(
        one.map((m) => m.member.id),
        'one',
      ))
        out.push(await points.credit(tx, input));
      return out;
    });
    const together = await uow.run((tx) =>
      points.creditMany(
        tx,
        inputs(
          many.map((m) => m.member.id),
          'many',
        ),
      ),
    );
    assert.equal(together.length, singly.length);
    assert.deepEqual(
      together.map((e) => [e.points, e.growth, e.balanceAfter, e.growthAfter, e.idempotencyKey]),
      singly.map((e) => [
        e.points,
        e.growth,
        e.balanceAfter,
        e.growthAfter,
        e.idempotencyKey.replace('one:', 'many:'),
      ]),
    );
    assert.ok(together.every((e) => Number.isInteger(e.id) && e.id > 0));
    await server.settled();
    for (let k = 0; k < one.length; k++)
      assert.deepEqual(
        await ledgerOf(server, many[k]!.member.id),
        await ledgerOf(server, one[k]!.member.id),
      );
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('a cause already booked is not booked twice (inputs not marked fresh are looked up)', async () => {
    const m = await joinedMember(server);
    const points = server.app.get(PointsService);
    const uow = server.app.get(UnitOfWork);
    const input: CreditInput = {
      memberId: m.member.id,
      type: 'reward',
      points: 8,
      key: `again:${m.member.id}`,
      sourceType: 'checkin',
    };
    await uow.run((tx) => points.creditMany(tx, [input]));
    await uow.run((tx) => points.creditMany(tx, [input, { ...input, key: `${input.key}:2` }]));
    assert.equal((await points.balances(m.member.id)).balance, 16);
    assert.deepEqual((await checkLedger(server.dataSource)).discrepancies, []);
  });

  it('a debit of a member without an account is refused, and leaves no account behind', async () => {
    const m = await joinedMember(server);
    await server.dataSource.query('DELETE FROM points_account WHERE member_id = ?', [m.member.id]);
    const points = server.app.get(PointsService);
    const debit = (n: number) =>
      server.app.get(UnitOfWork).run((tx) =>
        points.debit(tx, {
          memberId: m.member.id,
          type: 'spend',
          points: n,
          key: `nothing:${m.member.id}:${n}`,
          sourceType: 'mall',
        }),
      );
    await assert.rejects(debit(5), (err: { code?: string; details?: unknown }) => {
      assert.equal(err.code, 'INSUFFICIENT_POINTS');
      assert.deepEqual(err.details, { needed: 5, balance: 0 });
      return true;
    });
    const rows = (await server.dataSource.query(
      'SELECT member_id FROM points_account WHERE member_id = ?',
      [m.member.id],
    )) as unknown[];
    assert.equal(rows.length, 0, 'the refused debit rolled back the row its upsert made');
  });
});
