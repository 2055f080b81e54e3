import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Browser suites use Debian's chromium (never a downloaded browser build); installed here when missing. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  console.log("chromium not found: installing Debian's chromium package");
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  execSync(
    `${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null`,
    { stdio: 'inherit' },
  );
  if (!existsSync(CHROMIUM)) throw new Error(`chromium still missing at ${CHROMIUM}`);
}
