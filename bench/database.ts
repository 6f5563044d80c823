import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, Connection } from 'mysql2/promise';
import { KEY_COLUMNS, KeyRow } from './seed-keys';

/** Whatever tells us, from outside the app's process, that the database was written to. */
export type WriteProbe = Record<string, number>;

/** The database a bench run uses: a fresh one, dropped (or deleted) at the end. */
export interface BenchDatabase {
  label: string;
  /** DATABASE_URL (and REDIS_URL with --mysql) for the app and its CLI. */
  env: Record<string, string>;
  timestamp(date: Date): unknown;
  insertKeys(rows: KeyRow[]): Promise<void>;
  probeWrites(): Promise<WriteProbe>;
  /** Writes between two probes, as one number and how it was measured. */
  writesBetween(before: WriteProbe, after: WriteProbe): { writes: number; how: string };
  close(): Promise<void>;
}

const INSERT_COLUMNS = KEY_COLUMNS.join(', ');

/**
 * SQLite: a side connection's `PRAGMA data_version` changes whenever ANOTHER connection (here, the
 * app's process) commits, and the WAL file grows by one frame per page written; both are visible
 * across processes. The app must not flush usage meanwhile (USAGE_FLUSH_INTERVAL_SECONDS).
 */
export function sqliteDatabase(): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'keygate-bench-'));
  const file = join(dir, 'bench.sqlite');
  let side: Database.Database | undefined;
  const open = () => (side ??= new Database(file, { timeout: 5000 }));
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
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
    probeWrites: async () => ({
      dataVersion: Number(open().pragma('data_version', { simple: true })),
      walBytes: size(`${file}-wal`),
      mtimeMs: statSync(file).mtimeMs,
    }),
    writesBetween: (before, after) => {
      const frames = Math.max(0, Math.round((after.walBytes - before.walBytes) / (4096 + 24)));
      const committed = after.dataVersion !== before.dataVersion || after.mtimeMs !== before.mtimeMs;
      return {
        writes: committed ? Math.max(frames, 1) : frames,
        how: 'SQLite: PRAGMA data_version from a side connection + WAL frames',
      };
    },
    close: async () => {
      side?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * MySQL/MariaDB: a fresh database on 127.0.0.1:3306 and Redis on 6379. Writes are the deltas of
 * `SHOW GLOBAL STATUS` Com_insert/Com_update/Com_delete/Com_replace (server-wide: another client
 * writing to the same server at that moment would be counted too).
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
  const COUNTERS = ['Com_insert', 'Com_update', 'Com_delete', 'Com_replace'];
  return {
    label: 'MariaDB + Redis (shared rate-limit counters)',
    env: { DATABASE_URL: `mysql://root@127.0.0.1:3306/${name}`, REDIS_URL: 'redis://127.0.0.1:6379' },
    timestamp: (date) => date,
    insertKeys: async (rows) => {
      await admin.query(`INSERT INTO \`${name}\`.api_keys (${INSERT_COLUMNS}) VALUES ?`, [rows]);
    },
    probeWrites: async () => {
      const [status] = await admin.query(
        `SHOW GLOBAL STATUS WHERE Variable_name IN (${COUNTERS.map(() => '?').join(',')})`,
        COUNTERS,
      );
      return Object.fromEntries(
        (status as Array<{ Variable_name: string; Value: string }>).map((r) => [
          r.Variable_name,
          Number(r.Value),
        ]),
      );
    },
    writesBetween: (before, after) => ({
      writes: COUNTERS.reduce((sum, c) => sum + (after[c] ?? 0) - (before[c] ?? 0), 0),
      how: 'MariaDB: SHOW GLOBAL STATUS Com_insert+Com_update+Com_delete+Com_replace',
    }),
    close: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}
