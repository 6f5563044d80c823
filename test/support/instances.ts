import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client, call } from './http';
import { TEST_APP_KEY } from './test-app';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** A port nobody listens on right now. */
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

/** Polls `probe` every 50 ms until it returns true; false when `timeoutMs` passed first. */
export async function waitUntil(
  probe: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (
      await Promise.resolve()
        .then(probe)
        .catch(() => false)
    )
      return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

function assertBuilt(): void {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does it in pretest)`);
}

/** The environment every child gets: the test APP_KEY, quiet logs, and `env` on top. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    APP_KEY: TEST_APP_KEY,
    LOG_LEVEL: 'warn',
    BCRYPT_ROUNDS: '4',
    ...env,
  };
}

export interface Instance {
  port: number;
  client(host: string, token?: string | null): Client;
  /** Everything the process wrote so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node dist/src/main.js` as a separate process and waits until /health answers. */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  assertBuilt();
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env: childEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }),
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const up = await waitUntil(
    async () => child.exitCode === null && (await call(port, 'GET', '/health')).status === 200,
    20_000,
  );
  if (!up) {
    child.kill('SIGKILL');
    throw new Error(`instance on port ${port} did not come up:\n${output}`);
  }
  return {
    port,
    client: (host, token = null) => new Client(port, host, token),
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export interface CliTenant {
  tenant: { id: string; slug: string };
  workspace: { id: string };
  token: string;
}

/** `tenants:create` through the real CLI, against the database of `env`. */
export function cliCreateTenant(slug: string, env: Record<string, string>): Promise<CliTenant> {
  assertBuilt();
  const args = [
    CLI,
    'tenants:create',
    slug,
    '--owner-email',
    `owner@${slug}.test`,
    '--owner-password',
    'owner-password-1',
    '--json',
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env: childEnv(env) }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`tenants:create failed: ${stderr || error.message}`));
      resolve(JSON.parse(stdout) as CliTenant);
    });
  });
}
