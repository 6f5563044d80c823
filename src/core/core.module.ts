import { Global, Module } from '@nestjs/common';
import { RequestContext } from './context/request-context';
import { TransactionRunner } from './database/transaction-runner';
import { InvalidationBus } from './events/invalidation-bus';
import { Metrics } from './metrics/metrics';
import { Lifecycle } from './lifecycle/lifecycle';
import { AuthFailureLimiter } from './http/auth-failure-limiter';

/**
 * The core every feature builds on, global: the request context (opened by the HTTP layer's
 * first hook on every request, src/http/create-app.ts), the invalidation bus, transactions and
 * metrics, and the failed-authentication counter (the guard chain and OAuth introspection share
 * it). It imports no feature.
 */
@Global()
@Module({
  providers: [RequestContext, InvalidationBus, TransactionRunner, Metrics, Lifecycle, AuthFailureLimiter],
  exports: [RequestContext, InvalidationBus, TransactionRunner, Metrics, Lifecycle, AuthFailureLimiter],
})
export class CoreModule {}
