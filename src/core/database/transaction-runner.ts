import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestContext } from '../context/request-context';

/**
 * Runs work in one transaction. `work` receives the request's context bound to the transaction:
 * repositories given it run in the transaction, so a service writes its rows and their audit row
 * atomically. Name that argument `ctx` too, so that the outer context (outside the transaction)
 * is shadowed and cannot be used inside by mistake.
 */
@Injectable()
export class TransactionRunner {
  /** SQLite has one writer: queue transactions instead of letting them collide on one connection. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(ctx: RequestContext, work: (ctx: RequestContext) => Promise<T>): Promise<T> {
    if (ctx.entityManager()) return work(ctx);
    const start = async () => {
      // What `afterCommit` queues inside runs once the transaction has resolved, i.e. committed,
      // and is dropped if it fails.
      const hooks: Array<() => void> = [];
      let result: T;
      try {
        result = await this.dataSource.transaction((manager) => work(ctx.openTransaction(manager, hooks)));
      } finally {
        ctx.closeTransaction();
      }
      for (const hook of hooks) hook();
      return result;
    };
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
  exclusive<T>(ctx: RequestContext, work: (ctx: RequestContext) => Promise<T>): Promise<T> {
    return this.run(ctx, async (ctx) => {
      if (this.dataSource.options.type === 'mysql') {
        await ctx.entityManager()!.query('SELECT id FROM tenants WHERE id = ? FOR UPDATE', [ctx.tenantId()]);
      }
      return work(ctx);
    });
  }
}
