import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from './support/http';
// PORT=0 would work, but the log line would not say which port the kernel picked.
import { freePort } from './support/instances';

const MAIN = join(__dirname, '..', 'dist', 'src', 'main.js');

/** The server as `npm start` runs it: a real `node dist/src/main.js` process. */
describe('boot: configuration is validated before the server starts', () => {
  const children = new Set<ChildProcess>();
  const dirs: string[] = [];

  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'keygate-boot-'));
    dirs.push(dir);
    return dir;
  };

  /** Only what the test names: no DATABASE_URL, APP_KEY or NODE_ENV leaks in from the runner. */
  function start(env: Record<string, string>): {
    child: ChildProcess;
    exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  } {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      stdout: string;
      stderr: string;
    }>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        children.delete(child);
        resolve({ code, signal, stdout, stderr });
      });
    });
    return { child, exited };
  }

  /** Exits by itself within the timeout, or is killed and reported as such. */
  async function runToExit(env: Record<string, string>, timeoutMs = 15_000) {
    const { child, exited } = start(env);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  beforeAll(() => {
    if (!existsSync(MAIN))
      throw new Error(`${MAIN} is missing: run "npm run build" first (npm test does it in pretest)`);
  });

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [
      'PORT=abc',
      { PORT: 'abc' },
      /^Invalid configuration: PORT must be an integer from 0 to 65535 \(got "abc"\)$/,
    ],
    ['PORT=70000', { PORT: '70000' }, /^Invalid configuration: PORT must be an integer from 0 to 65535/],
    [
      'NODE_ENV=production without APP_KEY',
      { NODE_ENV: 'production' },
      /^Invalid configuration: APP_KEY must be set when NODE_ENV=production/,
    ],
    [
      'APP_KEY too short',
      { APP_KEY: 'too-short' },
      /^Invalid configuration: APP_KEY must be at least 32 characters/,
    ],
    [
      'DATABASE_URL=postgres://x/y',
      { DATABASE_URL: 'postgres://x/y' },
      /^Invalid configuration: DATABASE_URL must be a mysql:\/\/user:pass@host:3306\/db URL/,
    ],
    [
      'TRUST_PROXY=maybe',
      { TRUST_PROXY: 'maybe' },
      /^Invalid configuration: TRUST_PROXY must be false, true \(one proxy hop\), a hop count/,
    ],
  ])('%s: exit code 1 and one line on stderr naming the variable', async (_name, env, expected) => {
    const dataDir = tempDir();
    const result = await runToExit({ DATA_DIR: dataDir, ...env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^[^\n]+\n$/);
    expect(result.stderr.trimEnd()).toMatch(expected);
    expect(result.stdout).toBe('');
  });

  it('does not generate an app key when production lacks APP_KEY', async () => {
    const dataDir = tempDir();
    const result = await runToExit({ DATA_DIR: dataDir, NODE_ENV: 'production' });
    expect(result.code).toBe(1);
    expect(existsSync(join(dataDir, 'app-key'))).toBe(false);
  });

  it('starts from nothing on embedded SQLite, serves /health and stops cleanly on SIGTERM', async () => {
    const dataDir = join(tempDir(), 'fresh');
    const port = await freePort();
    const { child, exited } = start({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' });
    let exitedEarly: { code: number | null; stderr: string } | null = null;
    void exited.then((r) => (exitedEarly = r));

    const health = await waitForHealth(port, () => exitedEarly, 20_000);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', database: 'up' });

    expect(existsSync(join(dataDir, 'keygate.sqlite'))).toBe(true);
    const appKey = join(dataDir, 'app-key');
    expect(statSync(appKey).mode & 0o777).toBe(0o600);
    expect(readFileSync(appKey, 'utf8').trim().length).toBeGreaterThanOrEqual(32);

    // Unknown tenant on a fresh database: the 404 body of product.md.
    const unknown = await call(port, 'GET', '/api/v1/auth/me', { host: `demo.localhost:${port}` });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ message: 'Not Found.' });

    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const result = await exited.finally(() => clearTimeout(timer));
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitForHealth(
  port: number,
  exited: () => { code: number | null; stderr: string } | null,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const early = exited();
    if (early) throw new Error(`server exited with ${early.code}: ${early.stderr}`);
    try {
      return await call(port, 'GET', '/health');
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}
