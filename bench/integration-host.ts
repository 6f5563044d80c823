import 'reflect-metadata';
import { Controller, DynamicModule, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The host app of bench/integration-overhead.ts, as a child process: `GET /reports` either
 * unguarded or behind @keygate/nestjs (`node dist/bench/integration-host.js guarded|unguarded`;
 * PORT, KEYGATE_URL, KEYGATE_VERIFIER_KEY). The package is loaded at run time (it is built by
 * `npm run build:packages`), so the root build does not depend on it.
 */
interface NestjsPackage {
  KeygateModule: {
    forRoot(options: { baseUrl: string; verifierKey: string; cacheTtlSeconds: number }): DynamicModule;
  };
  RequireScope: (scope: string) => MethodDecorator;
}

async function main(): Promise<void> {
  const guarded = process.argv[2] === 'guarded';
  const packageName = '@keygate/nestjs';
  const keygate = guarded ? ((await import(packageName)) as NestjsPackage) : null;
  const scope: MethodDecorator = keygate ? keygate.RequireScope('reports:read') : () => undefined;

  @Controller()
  class ReportsController {
    @scope
    @Get('reports')
    list() {
      return { data: [{ id: 'r_1', title: 'Quarterly revenue' }] };
    }
  }

  const imports = keygate
    ? [
        keygate.KeygateModule.forRoot({
          baseUrl: process.env.KEYGATE_URL ?? '',
          verifierKey: process.env.KEYGATE_VERIFIER_KEY ?? '',
          cacheTtlSeconds: 300,
        }),
      ]
    : [];
  @Module({ imports, controllers: [ReportsController] })
  class HostModule {}

  const app = await NestFactory.create<NestFastifyApplication>(HostModule, new FastifyAdapter(), {
    logger: ['error', 'warn'],
  });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.stdout.write('ready\n');
}

void main();
