import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BenchRun } from '@huoyue/scripts/dist/bench/support.js';
import { crashRun, describeRun, dialectFromEnv } from '@huoyue/scripts/dist/bench/crash-run.js';

const MEMBERS = Number(process.env.CRASH_CREDIT_MEMBERS ?? 600);
const dialect = dialectFromEnv();

/**
 * Subscribe credits under a kill -9 (issue 19): a broadcast to members who each accepted the template once, the
 * server killed with SIGKILL mid-send and restarted (real processes, fake WeChat over HTTP). Every member gets the
 * message, no credit is burned (each quota row ends at 0 when the message went out, else still 1), and the only
 * duplicates are among the messages claimed at the kill. `npm run bench:crash` runs the same at 10,000 members.
 */
describe('subscribe credits survive a SIGKILL of the server', () => {
  it(
    `${MEMBERS} members holding one credit each: none lost, none burned`,
    { timeout: 300_000 },
    async () => {
      await BenchRun.each([dialect], async (run) => {
        const figures = await crashRun(run, MEMBERS, 40);
        console.log(`crash test (${dialect}): ${describeRun(figures)}`);
        assert.ok(figures.inFlight + figures.receivedAtKill > 0, 'the kill came mid-broadcast');
        assert.ok(figures.receivedAtKill < MEMBERS, 'the kill came before the end');
        assert.equal(figures.lost, 0, 'no member went without the message');
        assert.equal(figures.burned, 0, 'no credit used without a message sent');
        assert.equal(figures.extra, 0, 'every message sent used its credit');
        assert.ok(
          figures.duplicates <= figures.inFlight,
          `duplicates (${figures.duplicates}) only among the ${figures.inFlight} in flight at the kill`,
        );
        assert.deepEqual(figures.statuses, { sent: MEMBERS });
      });
    },
  );
});
