import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, Connection } from 'mysql2/promise';
import { KEY_COLUMNS, KeyRow } from './seed-keys';

/** The database a bench run uses: a fresh one, dropped (or deleted) at the end. */
export interface BenchDatabase {
  label: string;
  /** DATABASE_URL (and REDIS_URL with --mysql) for the app and its CLI. */
  env: Record<string, string>;
  timestamp(date: Date): unknown;
  insertKeys(rows: KeyRow[]): Promise<void>;
  close(): Promise<void>;
}

const INSERT_COLUMNS = KEY_COLUMNS.join(', ');

/** SQLite: a fresh file; a side connection bulk-inserts the cold-cache keys. */
export function sqliteDatabase(): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-bench-'));
  const file = join(dir, 'bench.sqlite');
  let side: Database.Database | undefined;
  const open = () => (side ??= new Database(file, { timeout: 5000 }));
  return {
    label: 'SQLite (embedded), in-process rate limits',
    env: { DATABASE_URL: `sqlite:${file}` },
    timestamp: (date) => date.toISOString().replace('T', ' ').replace('Z', ''),
    insertKeys: async (rows) => {
      const db = open();
      const insert = db.prepare(
        `INSERT INTO api_keys (${INSERT_COLUMNS}) VALUES (${KEY_COLUMNS.map(() => '?').join(', ')})`,
      );
      db.transaction((all: KeyRow[]) => all.forEach((row) => insert.run(row)))(rows);
    },
    close: async () => {
      side?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * MySQL/MariaDB: a fresh database on 127.0.0.1:3306 (dropped at the end) and Redis on 6379.
 */
export async function mysqlDatabase(): Promise<BenchDatabase> {
  const name = `kg_bench_${Date.now()}_${process.pid}`;
  const admin: Connection = await createConnection({
    host: '127.0.0.1',
    port: 3306,
    user: 'root',
    timezone: 'Z',
  });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  return {
    label: 'MariaDB + Redis (shared rate-limit counters)',
    env: { DATABASE_URL: `mysql://root@127.0.0.1:3306/${name}`, REDIS_URL: 'redis://127.0.0.1:6379' },
    timestamp: (date) => date,
    insertKeys: async (rows) => {
      await admin.query(`INSERT INTO \`${name}\`.api_keys (${INSERT_COLUMNS}) VALUES ?`, [rows]);
    },
    close: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
