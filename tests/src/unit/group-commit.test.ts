import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupCommit, type Settled } from '@huoyue/server/dist/infra/database/group-commit.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('GroupCommit: commands arriving together are written together; a failed group is written one by one', () => {
  it('groups what arrives while a group is being written, at most maxBatch, inFlight at a time', async () => {
    const groups: number[][] = [];
    let running = 0;
    let most = 0;
    const commit = new GroupCommit<number, number>(
      async (items) => {
        running++;
        most = Math.max(most, running);
        groups.push(items);
        await tick();
        running--;
        return items.map((n) => ({ ok: true, value: n * 2 }));
      },
      async () => assert.fail('no group failed'),
      { maxBatch: 10, inFlight: 2 },
    );
    const answers = await Promise.all(Array.from({ length: 45 }, (_, i) => commit.submit(i)));
    assert.deepEqual(
      answers,
      Array.from({ length: 45 }, (_, i) => i * 2),
    );
    assert.equal(most, 2);
    // The first two are written at once (an idle server does not wait); the rest queue behind them in groups.
    assert.deepEqual(
      groups.map((g) => g.length),
      [1, 1, 10, 10, 10, 10, 3],
    );
    assert.deepEqual(
      groups.flat(),
      Array.from({ length: 45 }, (_, i) => i),
    );
  });

  it("each item's own refusal reaches only its caller", async () => {
    const commit = new GroupCommit<number, number>(
      async (items) =>
        items.map((n): Settled<number> =>
          n % 2 ? { ok: false, error: new Error(`odd ${n}`) } : { ok: true, value: n },
        ),
      async () => assert.fail('no group failed'),
      { maxBatch: 10, inFlight: 1 },
    );
    const results = await Promise.allSettled([0, 1, 2, 3].map((n) => commit.submit(n)));
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason))),
      [0, 'Error: odd 1', 2, 'Error: odd 3'],
    );
  });

  it('a group whose transaction fails as a whole is written item by item: only the colliding item fails', async () => {
    const alone: number[] = [];
    const commit = new GroupCommit<number, number>(
      async (items) => {
        await tick();
        if (items.includes(7)) throw new Error('Duplicate entry (the whole group rolled back)');
        return items.map((n) => ({ ok: true, value: n }));
      },
      async (n) => {
        alone.push(n);
        if (n === 7) throw new Error('ALREADY_CHECKED_IN');
        return n;
      },
      { maxBatch: 50, inFlight: 1 },
    );
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => commit.submit(i)),
    );
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason))),
      [0, 1, 2, 3, 4, 5, 6, 'Error: ALREADY_CHECKED_IN', 8, 9],
    );
    // The first item went alone in its own group; the other nine arrived together and were retried one by one.
    assert.deepEqual(
      alone.sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
  });
});
