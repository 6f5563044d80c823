import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestContext } from '../context/request-context';

/**
 * Runs work in one transaction; repositories called inside pick the transaction's manager up
 * from the request context, so a service writes its rows and their audit row atomically.
 */
@Injectable()
export class TransactionRunner {
  /** SQLite has one writer: queue transactions instead of letting them collide on one connection. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly context: RequestContext,
  ) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.context.entityManager()) return work();
    const start = () =>
      this.context.collectingAfterCommit(() =>
        this.dataSource.transaction((manager) => this.context.withEntityManager(manager, work)),
      );
    if (this.dataSource.options.type !== 'better-sqlite3') return start();
    const result = this.queue.then(start, start);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * A transaction that no other exclusive transaction of the same tenant overlaps. For changes
   * whose authorization reads what they write (who holds a role, what a role grants): checked and
   * written apart, two requests could each pass a check the other one invalidates. On MySQL the
   * tenant's row is locked for the transaction; SQLite already runs one transaction at a time.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.run(async () => {
      if (this.dataSource.options.type === 'mysql') {
        await this.context
          .entityManager()!
          .query('SELECT id FROM tenants WHERE id = ? FOR UPDATE', [this.context.tenantId()]);
      }
      return work();
    });
  }
}
