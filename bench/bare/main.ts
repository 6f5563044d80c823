import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The baseline `npm run bench` measures Keygate against: Nest + Fastify in the versions Keygate
 * runs on, one hello route, no guard, no middleware, no hook, logger off. What Keygate's
 * `@Public()` and authenticated routes reach as a fraction of this is what the chain costs.
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
  const app = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
