import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { KeygateGuard } from './keygate.guard';
import { KeygateVerifier } from './keygate-verifier';
import { KEYGATE_OPTIONS, KeygateModuleOptions } from './keygate.options';

/**
 * Protects every route of the importing app with Keygate keys:
 *
 *   @Module({ imports: [KeygateModule.forRoot({ baseUrl, verifierKey, cacheTtlSeconds: 10 })] })
 *   …
 *   @RequireScope('reports:read') @Get('reports') list(@KeygatePrincipal() who: KeygatePrincipal) {}
 */
@Global()
@Module({})
export class KeygateModule {
  static forRoot(options: KeygateModuleOptions): DynamicModule {
    if (!options.baseUrl || !/^https?:\/\//.test(options.baseUrl))
      throw new Error(`KeygateModule: baseUrl must be an http(s) URL such as http://acme.localhost:3000`);
    if (!options.verifierKey)
      throw new Error('KeygateModule: verifierKey is required (a Keygate key holding keys:verify)');
    return {
      module: KeygateModule,
      providers: [
        { provide: KEYGATE_OPTIONS, useValue: options },
        KeygateVerifier,
        { provide: APP_GUARD, useClass: KeygateGuard },
      ],
      exports: [KeygateVerifier],
    };
  }
}
