import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from './http';
import { freePort, waitUntil } from './instances';

/**
 * Private Redis and MariaDB servers on free ports, for tests that stop and restart them: the
 * shared services on 6379 and 3306 are never touched.
 */
export interface PrivateService {
  port: number;
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its data directory. */
  destroy(): Promise<void>;
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return exited.finally(() => clearTimeout(killer));
}

function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (d: Buffer) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

/** Redis can also be frozen (SIGSTOP) and thawed: a stall that keeps its connections open. */
export interface PrivateRedis extends PrivateService {
  pause(): void;
  resume(): void;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    if (!(await waitUntil(() => pingRedis(port), 10_000)))
      throw new Error(`private redis-server on ${port} did not start`);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop: () => stopChild(child),
    destroy: () => {
      child?.kill('SIGCONT');
      return stopChild(child);
    },
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
  };
}

export async function startPrivateMariadb(database: string): Promise<PrivateService> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'keygate-mariadb-'));
  const datadir = join(dir, 'data');
  execFileSync(
    'mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--user=root',
    ],
    { stdio: 'ignore' },
  );
  let child: ChildProcess | undefined;
  const args = [
    '--no-defaults',
    `--datadir=${datadir}`,
    `--socket=${join(dir, 'mysqld.sock')}`,
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--user=root',
    '--skip-log-bin',
    '--innodb-buffer-pool-size=16M',
  ];
  const mysql = (sql: string) =>
    new Promise<boolean>((resolve) => {
      const options = { timeout: 2000 };
      execFile(
        'mysql',
        ['-uroot', '-h127.0.0.1', `-P${port}`, '--connect-timeout=1', '-e', sql],
        options,
        (error) => resolve(!error),
      );
    });
  const start = async () => {
    child = spawn('mariadbd', args, { stdio: 'ignore' });
    if (!(await waitUntil(() => mysql('SELECT 1'), 20_000)))
      throw new Error(`private mariadbd on ${port} did not start`);
  };
  await start();
  if (!(await mysql(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`))) {
    throw new Error(`could not create database ${database} on the private mariadbd`);
  }
  return {
    port,
    url: `mysql://root@127.0.0.1:${port}/${database}`,
    start,
    stop: () => stopChild(child),
    destroy: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** GET /health of an instance on `port`. */
export async function health(port: number): Promise<{ database?: string; redis?: string }> {
  return (await call(port, 'GET', '/health')).body as { database?: string; redis?: string };
}
