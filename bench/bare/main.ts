import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';

/**
 * The baseline `npm run bench` measures Keygate against: Nest + Fastify in the versions Keygate
 * runs on, one hello route, no guard, no middleware, no hook, logger off. What Keygate's
 * `@Public()` and authenticated routes reach as a fraction of this is what the chain costs.
 *
 * With BARE_HEADERS=1 it also sends the three headers product.md asks of every Keygate answer
 * (X-Request-Id, X-Content-Type-Options, Cache-Control), set the way Keygate sets them (in the
 * adapter's own onRequest hook): what those alone cost, so that the report can tell them from the chain's cost.
 */
@Controller()
class HelloController {
  @Get('hello')
  hello() {
    return { message: 'hello' };
  }
}

@Module({ controllers: [HelloController] })
class BareModule {}

async function main(): Promise<void> {
  const adapter = new FastifyAdapter();
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, adapter, { logger: false });
  if (process.env.BARE_HEADERS === '1') {
    adapter.setOnRequestHook((_request, reply, done) => {
      reply.headers({
        'x-request-id': randomUUID(),
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      done();
    });
  }
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
