import { ChildProcess, execFile, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
export const BARE = join(ROOT, 'dist', 'bench', 'bare', 'main.js');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export const BENCH_APP_KEY = 'bench-app-key-0123456789-abcdefghijklmnop';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A request over loopback with a Host header; resolves with the status and the parsed body. With
 * `agent` (keep-alive), it goes over the agent's pooled connections instead of a new one.
 */
export function httpJson(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
  agent?: Agent,
) {
  return new Promise<{ status: number; body: Record<string, unknown> | undefined }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
          }),
        );
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export function appEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    APP_KEY: BENCH_APP_KEY,
    LOG_LEVEL: 'warn',
    SHUTDOWN_DRAIN_SECONDS: '0',
    ...env,
  };
}

/**
 * What every bench gives the app beyond its database. Usage is flushed in one background batch per
 * interval, never per request; deferred past the measurement so that what is measured is what the
 * requests themselves cost (and write). Failed authentications are not what is measured either.
 */
export function benchAppEnv(dbEnv: Record<string, string>): Record<string, string> {
  return { ...dbEnv, USAGE_FLUSH_INTERVAL_SECONDS: '3600', AUTH_FAILURE_LIMIT: '1000000' };
}

export interface AppProcess {
  port: number;
  /** The child's process id (under a `wrapper` such as valgrind: the wrapper's, which runs the app). */
  pid: number;
  /** Lines the app wrote (warnings and errors only, at LOG_LEVEL=warn). */
  output(): string;
  /** CPU time (user + system) the app process has used so far, µs; NaN where /proc is missing. */
  cpuMicros(): number;
  stop(): Promise<void>;
}

/**
 * Every server under the bench, the baseline included, runs without V8's memory reducer: a Node
 * process idle for ~8 s runs a memory-reducing GC after which Node 20 was measured ~30% slower
 * for the rest of its life, and the rounds leave each server idle while the others are loaded.
 */
export const NODE_FLAGS = ['--no-memory-reducer'];

export interface StartOptions {
  /** Send stdout to /dev/null (the JSON access log at info: the app pays for it, the bench does not read it). */
  discardStdout?: boolean;
  /** Another script than Keygate's main (the bare baseline). */
  script?: string;
  /** The path that answers 200 once it is up. */
  readyPath?: string;
  /** The Node binary (default: the one running the bench). */
  node?: string;
  /** A command to run Node under (valgrind and its options), the Node command line appended. */
  wrapper?: string[];
  /** How long to wait for readyPath (default 30 s; a server under valgrind takes tens of seconds). */
  readySeconds?: number;
}

/** `node dist/src/main.js` as a child process; resolves once /health answers 200. */
export async function startApp(env: Record<string, string>, options: StartOptions = {}): Promise<AppProcess> {
  const port = await freePort();
  const [command, ...args] = [
    ...(options.wrapper ?? []),
    options.node ?? process.execPath,
    ...NODE_FLAGS,
    options.script ?? MAIN,
  ];
  const child: ChildProcess = spawn(command, args, {
    env: appEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', options.discardStdout ? 'ignore' : 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c: Buffer) => (output = (output + c.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + (options.readySeconds ?? 30) * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = await httpJson(port, 'GET', options.readyPath ?? '/health', { host: 'localhost' }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) {
      return {
        port,
        pid: child.pid!,
        output: () => output,
        cpuMicros: () => processCpuMicros(child.pid!),
        stop: async () => {
          child.kill('SIGTERM');
          await Promise.race([exited, sleep(10_000)]);
          // Not gone after 10 s (a server under valgrind can be that slow to exit): not left behind.
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGKILL');
            await exited;
          }
        },
      };
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`the app did not start:\n${output}`);
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on

/** utime + stime of a process from /proc/<pid>/stat (fields 14 and 15, in clock ticks). */
export function processCpuMicros(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1e6;
  } catch {
    return NaN;
  }
}

export interface SeededTenant {
  tenant: { id: string; slug: string };
  workspace: { id: string };
  token: string;
}

/** Any command of the app's own CLI, with `--json`; resolves with what it printed, parsed. */
export function cliJson<T>(env: Record<string, string>, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args, '--json'], { env: appEnv(env) }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${args[0]} failed: ${stderr || error.message}`));
      resolve(JSON.parse(stdout) as T);
    });
  });
}

/** `tenants:create` through the app's own CLI (same provisioner as production). */
export function createTenant(slug: string, env: Record<string, string>): Promise<SeededTenant> {
  const args = [
    CLI,
    'tenants:create',
    slug,
    '--owner-email',
    `owner@${slug}.bench`,
    '--owner-password',
    'bench-password-1',
    '--json',
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env: appEnv(env) }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`tenants:create failed: ${stderr || error.message}`));
      resolve(JSON.parse(stdout) as SeededTenant);
    });
  });
}

/** A workspace API key through the API (`POST /api/v1/api-keys` as the tenant's owner); its plaintext. */
export async function createKey(port: number, host: string, token: string, name: string): Promise<string> {
  const created = await httpJson(
    port,
    'POST',
    '/api/v1/api-keys',
    { host, authorization: `Bearer ${token}` },
    { name, scopes: ['ping:read'], rate_limit: { limit: 1_000_000_000, window_seconds: 3600 } },
  );
  if (created.status !== 201)
    throw new Error(`creating the bench key answered ${created.status}: ${JSON.stringify(created.body)}`);
  return String(created.body?.key);
}
