import { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../core/config/load-config';
import { ENTITIES } from './entities';
import { MYSQL_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations';

/**
 * The one data-source definition, used by the app (DatabaseModule) and by ormconfig.ts for the
 * TypeORM CLI. Never `synchronize`: migrations only. Pure: importing it reads no environment.
 */
export function dataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = { entities: ENTITIES, synchronize: false, migrationsRun: false, logging: false } as const;
  if (database.type === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: database.url,
      migrations: MYSQL_MIGRATIONS,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      // mysql2 pool: a lost connection is replaced on the next query, so a database restart
      // does not need an app restart. connectTimeout (default 10 s) bounds how long a request
      // waits for an unreachable database before it is answered 503 (http-error.filter.ts).
      extra: { connectionLimit: 10, enableKeepAlive: true, waitForConnections: true, connectTimeout: 3000 },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: database.database,
    migrations: SQLITE_MIGRATIONS,
    // WAL lets readers proceed while the usage flusher writes.
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
    },
  };
}
