import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface StartedProcess {
  child: ChildProcess;
  match: RegExpExecArray;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts a node script of the repository and resolves with the first output matching `ready`. */
export function startScript(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<StartedProcess> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, [join(ROOT, script)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${out}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolveStart({
        child,
        match,
        output: () => out,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}): ${out}`));
    });
  });
}

/** Runs a node script of the repository to its end; answers its exit code and output. */
export function runScript(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [join(ROOT, script)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolveRun({ code, output }));
  });
}

/**
 * The environment of a server started as a child process beside a fake WeChat of its own process (as a deployment
 * shares the real WeChat): quiet, no demo data, the test owner, a fixed token secret.
 */
export function childServerEnv(opts: {
  databaseUrl: string;
  dataDir: string;
  fakeUrl: string;
  admin: { username: string; password: string };
  jwtSecret: string;
}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: opts.databaseUrl,
    DATA_DIR: opts.dataDir,
    DEMO_DATA: 'false',
    ADMIN_USERNAME: opts.admin.username,
    ADMIN_PASSWORD: opts.admin.password,
    JWT_SECRET: opts.jwtSecret,
    WECHAT_APP_ID: 'wxfake0000000000',
    WECHAT_APP_SECRET: 'fake-secret-for-local-development',
    WECHAT_API_BASE_URL: opts.fakeUrl,
    SMS_API_URL: `${opts.fakeUrl}/fake-sms/send`,
    LOG_LEVEL: 'error',
  };
}

/** The fake WeChat in a process of its own, and the environment of servers that share it (childServerEnv). */
export async function startSharedFake(opts: {
  databaseUrl: string;
  dataDir: string;
  admin: { username: string; password: string };
  jwtSecret: string;
}): Promise<{ fake: StartedProcess; fakeUrl: string; env: Record<string, string> }> {
  const fake = await startScript(
    'server/dist/fake-wechat/main.js',
    { FAKE_WECHAT_PORT: '0' },
    /listening on (\S+)/,
  );
  const fakeUrl = fake.match[1]!;
  return { fake, fakeUrl, env: childServerEnv({ ...opts, fakeUrl }) };
}
