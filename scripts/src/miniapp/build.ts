/**
 * Builds the member mini-program with Taro: `node scripts/dist/miniapp/build.js h5|weapp [--if-stale]`.
 * --if-stale skips the build when nothing it reads changed since the last one (so `npm start` and `npm test`
 * don't pay 25 s every time). The weapp build ends with the package size check.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPackageSizes } from './sizes.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const miniapp = join(root, 'miniapp');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce(
    (max, name) => Math.max(max, newestMtime(join(path, name))),
    s.mtimeMs,
  );
}

/** Everything a build reads that we change: the app, its config, and the shared contract it bundles. */
function inputsFingerprint(): string {
  const inputs = [
    'miniapp/src',
    'miniapp/config',
    'miniapp/babel.config.cjs',
    'miniapp/package.json',
    'shared/dist',
    'package-lock.json',
  ];
  return (
    inputs.map((p) => `${p}:${Math.floor(newestMtime(join(root, p)))}`).join('\n') +
    `\nenv:${process.env.HUOYUE_API_URL ?? ''}|${process.env.HUOYUE_SUBSCRIBE_TEMPLATES ?? ''}`
  );
}

export function buildMiniapp(type: 'h5' | 'weapp', ifStale: boolean): void {
  const out = join(miniapp, 'dist', type);
  const stampFile = join(miniapp, 'dist', `.${type}-inputs`);
  const fingerprint = inputsFingerprint();
  const entry = type === 'h5' ? join(out, 'index.html') : join(out, 'app.json');
  if (
    ifStale &&
    existsSync(entry) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8') === fingerprint
  ) {
    console.log(`miniapp ${type}: up to date`);
    return;
  }
  const started = Date.now();
  // Taro compiles with babel, which drops types unchecked: the pages are type-checked (strict) first.
  const typecheck = spawnSync(
    join(root, 'node_modules/.bin/tsc'),
    ['-p', join(miniapp, 'tsconfig.app.json')],
    { stdio: 'inherit' },
  );
  if (typecheck.status !== 0) throw new Error('the mini-program does not type-check');
  const taro = join(root, 'node_modules/.bin/taro');
  const result = spawnSync(taro, ['build', '--type', type], {
    cwd: miniapp,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const output = `${result.stdout?.toString() ?? ''}${result.stderr?.toString() ?? ''}`;
  if (result.status !== 0 || /Compiled with (some )?errors|ERROR in/.test(output)) {
    console.error(output);
    throw new Error(`taro build --type ${type} failed`);
  }
  writeFileSync(stampFile, fingerprint);
  console.log(`miniapp ${type}: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const type = process.argv[2];
  if (type !== 'h5' && type !== 'weapp') {
    console.error('usage: build.js h5|weapp [--if-stale]');
    process.exit(2);
  }
  try {
    buildMiniapp(type, process.argv.includes('--if-stale'));
    if (type === 'weapp' && !checkPackageSizes(join(miniapp, 'dist/weapp'))) process.exit(1);
  } catch (err) {
    console.error(String(err));
    process.exit(1);
  }
}
