import type { Logger as TypeOrmLogger } from 'typeorm';
import type { Metrics } from '../core/metrics/metrics';

/**
 * TypeORM's logger is the one hook every driver calls once per statement, whatever its logging
 * setting: here it counts statements for `keygate_database_queries_total` (the forged-key flood
 * test and the bench read it) and logs nothing, as `logging: false` did.
 */
export class QueryCounter implements TypeOrmLogger {
  constructor(private readonly metrics: Metrics) {}

  logQuery(): void {
    this.metrics.databaseQueries.inc();
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
