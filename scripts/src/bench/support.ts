/** What the bench scripts share: child processes that print a ready line, JSON calls, autocannon runs. */
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';

export function startProcess(script: string, env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = ready.exec(buffer);
      if (match) resolveStart({ child, line: match[0] });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}: ${buffer}`)));
  });
}

export async function json<T>(url: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export interface Result {
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function load(opts: autocannon.Options & { connections: number; duration: number }): Promise<Result> {
  const r = await autocannon(opts);
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

