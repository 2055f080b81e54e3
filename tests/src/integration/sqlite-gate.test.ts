import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UnitOfWork } from '@huoyue/server/dist/infra/events/unit-of-work.js';
import { Setting } from '@huoyue/server/dist/infra/settings/setting.entity.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('transactions stay apart on the embedded database', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.stop());

  it("one transaction's rollback never takes another's committed work with it", async () => {
    const uow = server.app.get(UnitOfWork);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const failing = uow.run(async (tx) => {
      await tx.em.insert(Setting, { key: 'gate.a', value: '"a"' });
      await held; // stays open while the other unit of work runs and commits
      throw new Error('rolled back on purpose');
    });
    const committing = (async () => {
      await new Promise((r) => setTimeout(r, 20));
      const done = uow.run(async (tx) => tx.em.insert(Setting, { key: 'gate.b', value: '"b"' }));
      // A plain statement outside any transaction must not land inside the open one either.
      const plain = server.dataSource
        .getRepository(Setting)
        .insert({ key: 'gate.c', value: '"c"' });
      setTimeout(release, 50);
      await Promise.all([done, plain]);
    })();
    await assert.rejects(failing, /rolled back on purpose/);
    await committing;
    const keys = (await server.dataSource.getRepository(Setting).find())
      .map((s) => s.key)
      .filter((k) => k.startsWith('gate.'))
      .sort();
    assert.deepEqual(keys, ['gate.b', 'gate.c']);
  });
});
