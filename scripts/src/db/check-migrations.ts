/**
 * Fails when the entities and the migrations disagree: runs every migration on a fresh database of each
 * dialect asked for (DIALECTS=sqlite,mysql) and expects TypeORM to find nothing left to change.
 */
import { openDatabase } from '@huoyue/server/dist/database.js';
import { schemaDiff } from '@huoyue/server/dist/infra/database/schema-drift.js';
import { createTempDatabase } from './temp-database.js';

const dialects = (process.env.DIALECTS ?? 'sqlite').split(',') as ('sqlite' | 'mysql')[];
let drift = false;
for (const kind of dialects) {
  const temp = await createTempDatabase(kind, 'huoyue_check');
  try {
    const ds = await openDatabase(temp.database, 1);
    const diff = await schemaDiff(ds);
    // Migrations must also undo cleanly: revert them all and expect an empty schema back.
    for (let i = 0; i < ds.migrations.length; i++)
      await ds.undoLastMigration({ transaction: 'each' });
    const tables: { name: string }[] = await ds.query(
      kind === 'sqlite'
        ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'migrations'"
        : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'migrations'",
    );
    await ds.destroy();
    if (tables.length > 0) {
      drift = true;
      console.error(
        `${kind}: reverting every migration left tables behind: ${tables.map((t) => t.name).join(', ')}`,
      );
    }
    if (diff.up.length > 0) {
      drift = true;
      console.error(
        `${kind}: entities and migrations differ; run npm run migration:generate -- <Name>. Missing:\n  ${diff.up.join('\n  ')}`,
      );
    } else {
      console.log(`${kind}: migrations match the entities`);
    }
  } finally {
    await temp.drop();
  }
}
process.exit(drift ? 1 : 0);
