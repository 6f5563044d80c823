import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source-options';
import { KEYGATE_CONFIG, KeygateConfig } from '../core/config/keygate.config';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { MigrationsOnBoot } from './migrations-on-boot';
import { Metrics } from '../core/metrics/metrics';
import { QueryCounter } from './query-counter';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [KEYGATE_CONFIG, Metrics],
      useFactory: (config: KeygateConfig, metrics: Metrics) => {
        if (config.database.type === 'better-sqlite3' && config.database.database !== ':memory:') {
          createPrivateFile(config.database.database);
        }
        // One attempt at boot: a database that is down at start should fail the start loudly.
        return { ...dataSourceOptions(config.database), retryAttempts: 0, logger: new QueryCounter(metrics) };
      },
    }),
  ],
  providers: [MigrationsOnBoot],
})
export class DatabaseModule {}

/**
 * The SQLite file holds every key hash and user: readable by its owner only (0600, in a 0700
 * directory when we create it). SQLite gives its -wal and -shm files the database file's mode.
 */
function createPrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}
