import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from './http';
import { onMysql, TEST_APP_KEY } from './test-app';
import { freePort } from './instances';

const ROOT = join(__dirname, '..', '..');

/** The real server (`node dist/src/main.js`, built by `pretest`) as a child process. */
export interface AppProcess {
  port: number;
  env: Record<string, string>;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code once it has exited. */
  exited: Promise<number | null>;
  cli(...args: string[]): string;
  cleanup(): void;
}

export async function spawnApp(env: Record<string, string> = {}): Promise<AppProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-proc-'));
  const port = await freePort();
  const full: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    APP_KEY: TEST_APP_KEY,
    DATA_DIR: dir,
    BCRYPT_ROUNDS: '4',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: onMysql ? process.env.DATABASE_URL! : `sqlite:${join(dir, 'keygate.sqlite')}`,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...env,
  };
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], { env: full });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) break;
    const up = await call(port, 'GET', '/health/live').then(
      (r) => r.status === 200,
      () => false,
    );
    if (up)
      return {
        port,
        env: full,
        child,
        output: () => output,
        exited,
        cli: (...args) =>
          execFileSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli', 'main.js'), ...args], {
            env: full,
            encoding: 'utf8',
          }),
        cleanup: () => {
          if (child.exitCode === null) child.kill('SIGKILL');
          rmSync(dir, { recursive: true, force: true });
        },
      };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not start:\n${output}`);
}
