import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '@huoyue/server/dist/config/config.js';
import { DataSource } from 'typeorm';

export interface TempDatabase {
  database: AppConfig['database'];
  url: string;
  drop(): Promise<void>;
}

/** A brand-new empty database of the given dialect; MySQL from MYSQL_ADMIN_URL (default root@127.0.0.1:3306). */
export async function createTempDatabase(
  kind: 'sqlite' | 'mysql',
  prefix = 'huoyue_tmp',
): Promise<TempDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    const file = join(dir, 'db.sqlite');
    return {
      database: { kind: 'sqlite', file },
      url: `sqlite:${file}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = new URL(process.env.MYSQL_ADMIN_URL ?? 'mysql://root@127.0.0.1:3306/');
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const url = new URL(admin.toString());
  url.pathname = `/${name}`;
  const dropIt = async () => {
    const ds = new DataSource({ type: 'mysql', url: admin.toString(), poolSize: 1 });
    await ds.initialize();
    try {
      await ds.query(`DROP DATABASE IF EXISTS \`${name}\``);
    } finally {
      await ds.destroy();
    }
  };
  return { database: { kind: 'mysql', url: url.toString() }, url: url.toString(), drop: dropIt };
}
