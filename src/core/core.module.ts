import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { RequestContext } from './context/request-context';
import { RequestContextMiddleware } from './context/request-context.middleware';
import { TransactionRunner } from './database/transaction-runner';
import { InvalidationBus } from './events/invalidation-bus';

/**
 * The core every feature builds on, global: the request context (opened by middleware on every
 * route), the invalidation bus, and transactions. It imports no feature.
 */
@Global()
@Module({
  providers: [RequestContext, InvalidationBus, TransactionRunner],
  exports: [RequestContext, InvalidationBus, TransactionRunner],
})
export class CoreModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // `{*path}` is "every path" in Nest 11's router syntax (Fastify 5 and Express 5 alike).
    consumer.apply(RequestContextMiddleware).forRoutes('{*path}');
  }
}
