import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/core/config/load-config';
import { createApp } from '../../src/http/create-app';
import { CapturingLogger } from './capturing-logger';
import { Client } from './http';

export interface TestApp {
  app: INestApplication;
  port: number;
  logger: CapturingLogger;
  /** SQLite file of this app, when on SQLite (to prove no plaintext key is in it). */
  sqliteFile: string | null;
  client(host?: string, token?: string | null): Client;
  close(): Promise<void>;
}

export const TEST_APP_KEY = 'test-app-key-0123456789-abcdefghijklmnop';

/** True when the suite runs against MariaDB (DATABASE_URL=mysql://… set by .ci/run). */
export const onMysql = (process.env.DATABASE_URL ?? '').startsWith('mysql://');

/**
 * Boots the real AppModule over a real socket: SQLite in a fresh temp file by default, or the
 * MariaDB database named by DATABASE_URL, with the real migrations. `env` overrides variables.
 */
export async function startApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-test-'));
  const sqliteFile = onMysql ? null : join(dir, 'keygate.sqlite');
  const merged: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    APP_KEY: TEST_APP_KEY,
    DATA_DIR: dir,
    LOG_LEVEL: 'info',
    BCRYPT_ROUNDS: '4',
    ...(sqliteFile ? { DATABASE_URL: `sqlite:${sqliteFile}` } : { DATABASE_URL: process.env.DATABASE_URL }),
    ...(process.env.REDIS_URL && !('REDIS_URL' in env) ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...env,
  };
  const saved = { ...process.env };
  Object.assign(process.env, merged);
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete process.env[k];
  const logger = new CapturingLogger();
  let app: INestApplication;
  try {
    app = await createApp(loadConfig(process.env), logger);
    await app.listen(0, '::');
  } finally {
    process.env = saved;
  }
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    port: address.port,
    logger,
    sqliteFile,
    client: (host = 'localhost', token = null) => new Client(address.port, host, token),
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
