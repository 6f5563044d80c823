import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { InvalidationBus } from './invalidation-bus';
import { RequestContext } from './request-context';
import { RequestContextMiddleware } from './request-context.middleware';

/** The request context, opened by middleware on every route. */
@Global()
@Module({
  providers: [RequestContext, InvalidationBus],
  exports: [RequestContext, InvalidationBus],
})
export class ContextModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // `{*path}` is "every path" in Nest 11's router syntax (Fastify 5 and Express 5 alike).
    consumer.apply(RequestContextMiddleware).forRoutes('{*path}');
  }
}
