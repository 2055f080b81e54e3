import { readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** A file younger than this may be an upload still being written (by this or another instance): left alone. */
export const ORPHAN_AGE_MS = 10 * 60_000;

/**
 * Removes uploaded CSV files no queued or running job needs (`keep`: their file names), older than
 * ORPHAN_AGE_MS: the files of jobs that ended while their process died before removing them. Answers how many.
 */
export async function removeOrphanFiles(
  dir: string,
  keep: Iterable<string>,
  now = Date.now(),
): Promise<number> {
  const needed = new Set([...keep].map((p) => basename(p)));
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0; // no imports yet
  }
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith('.csv') || needed.has(name)) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile() || now - info.mtimeMs < ORPHAN_AGE_MS) continue;
    await rm(path, { force: true });
    removed++;
  }
  return removed;
}
