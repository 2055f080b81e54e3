import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** WeChat refuses a main package over 2 MB; we hold ours to 1.5 MB so there is room to grow. */
export const MAIN_PACKAGE_BUDGET = 1.5 * 1024 * 1024;
export const PLATFORM_LIMIT = 2 * 1024 * 1024;

export interface PackageSizes {
  main: number;
  subpackages: Array<{ root: string; bytes: number }>;
  total: number;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

/** Main package = every file of the build outside the subpackage roots app.json declares. */
export function measurePackages(outDir: string): PackageSizes {
  const app = JSON.parse(readFileSync(join(outDir, 'app.json'), 'utf8')) as {
    subPackages?: Array<{ root: string }>;
    subpackages?: Array<{ root: string }>;
  };
  const roots = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/$/, ''));
  const bytesBy = new Map<string, number>(roots.map((r) => [r, 0]));
  let main = 0;
  let total = 0;
  for (const file of files(outDir)) {
    const size = statSync(file).size;
    total += size;
    const rel = relative(outDir, file).split('\\').join('/');
    const owner = roots.find((r) => rel.startsWith(`${r}/`));
    if (owner) bytesBy.set(owner, bytesBy.get(owner)! + size);
    else main += size;
  }
  return { main, subpackages: roots.map((root) => ({ root, bytes: bytesBy.get(root)! })), total };
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** Prints the sizes; false when the main package is over budget (or a package over the platform's limit). */
export function checkPackageSizes(outDir: string): boolean {
  if (!existsSync(join(outDir, 'app.json'))) {
    console.error(`no weapp build in ${outDir}`);
    return false;
  }
  const sizes = measurePackages(outDir);
  console.log(
    `weapp main package ${kib(sizes.main)} (budget ${kib(MAIN_PACKAGE_BUDGET)}, WeChat's limit ${kib(PLATFORM_LIMIT)})`,
  );
  for (const s of sizes.subpackages)
    console.log(`  subpackage ${s.root.padEnd(16)} ${kib(s.bytes)}`);
  console.log(`  total ${kib(sizes.total)}`);
  let ok = true;
  if (sizes.main > MAIN_PACKAGE_BUDGET) {
    console.error(`main package ${kib(sizes.main)} is over the ${kib(MAIN_PACKAGE_BUDGET)} budget`);
    ok = false;
  }
  for (const s of sizes.subpackages) {
    if (s.bytes > PLATFORM_LIMIT) {
      console.error(`subpackage ${s.root} ${kib(s.bytes)} is over WeChat's 2 MB limit`);
      ok = false;
    }
  }
  return ok;
}
