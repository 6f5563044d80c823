import { Global, Module } from '@nestjs/common';
import { TransactionRunner } from './database/transaction-runner';
import { BudgetSharers } from './events/budget-sharers';
import { InvalidationBus } from './events/invalidation-bus';
import { Metrics } from './metrics/metrics';
import { Lifecycle } from './lifecycle/lifecycle';
import { AuthFailureLimiter } from './http/auth-failure-limiter';

/**
 * The core every feature builds on, global: the invalidation bus, who shares a budget, transactions and
 * metrics, and the failed-authentication counter (the guard chain and OAuth introspection share
 * it). It imports no feature.
 */
@Global()
@Module({
  providers: [InvalidationBus, BudgetSharers, TransactionRunner, Metrics, Lifecycle, AuthFailureLimiter],
  exports: [InvalidationBus, BudgetSharers, TransactionRunner, Metrics, Lifecycle, AuthFailureLimiter],
})
export class CoreModule {}
