import { INestApplication, LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { KeygateModule, KeygateModuleOptions } from '@keygate/nestjs';
import { ReportsController } from './reports.controller';

/** The example service as a value, so that a test can start it beside a real Keygate (and read its log). */
export async function createProtectedService(
  options: KeygateModuleOptions,
  logger?: LoggerService,
): Promise<INestApplication> {
  @Module({ imports: [KeygateModule.forRoot(options)], controllers: [ReportsController] })
  class ProtectedServiceModule {}
  return NestFactory.create<NestFastifyApplication>(ProtectedServiceModule, new FastifyAdapter(), {
    logger: logger ?? ['error', 'warn'],
  });
}

/** KEYGATE_URL, KEYGATE_VERIFIER_KEY, KEYGATE_CACHE_TTL_SECONDS from the environment. */
export function optionsFromEnv(env: NodeJS.ProcessEnv): KeygateModuleOptions {
  const baseUrl = env.KEYGATE_URL;
  const verifierKey = env.KEYGATE_VERIFIER_KEY;
  if (!baseUrl || !verifierKey) {
    throw new Error(
      'Set KEYGATE_URL (the tenant base URL, e.g. http://acme.localhost:3000) and KEYGATE_VERIFIER_KEY (a key with keys:verify)',
    );
  }
  const ttl = env.KEYGATE_CACHE_TTL_SECONDS;
  if (ttl !== undefined && !/^\d+$/.test(ttl))
    throw new Error('KEYGATE_CACHE_TTL_SECONDS must be a whole number');
  return { baseUrl, verifierKey, cacheTtlSeconds: ttl === undefined ? 10 : Number(ttl) };
}
