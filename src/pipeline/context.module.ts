import { Global, Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { InvalidationBus } from './invalidation-bus';
import { RequestContext } from './request-context';

/** The request context (AsyncLocalStorage, opened by nestjs-cls middleware on every request). */
@Global()
@Module({
  imports: [
    ClsModule.forRoot({
      global: true,
      middleware: { mount: true, generateId: true, idGenerator: (req: { id?: string }) => req.id ?? '' },
    }),
  ],
  providers: [RequestContext, InvalidationBus],
  exports: [RequestContext, InvalidationBus],
})
export class ContextModule {}
