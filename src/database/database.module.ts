import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source-options';
import { keygateConfig, KeygateConfig } from '../config/keygate.config';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { TransactionRunner } from './transaction-runner';
import { MigrationsOnBoot } from './migrations-on-boot';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [keygateConfig.KEY],
      useFactory: (config: KeygateConfig) => {
        if (config.database.type === 'better-sqlite3' && config.database.database !== ':memory:') {
          mkdirSync(dirname(config.database.database), { recursive: true });
        }
        // One attempt at boot: a database that is down at start should fail the start loudly.
        return { ...dataSourceOptions(config.database), retryAttempts: 0 };
      },
    }),
  ],
  providers: [TransactionRunner, MigrationsOnBoot],
  exports: [TransactionRunner],
})
export class DatabaseModule {}
