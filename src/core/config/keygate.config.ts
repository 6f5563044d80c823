import { DynamicModule, Global, Inject, Module } from '@nestjs/common';
import type { KeygateConfig } from './load-config';

/** The injection token of the one validated configuration. */
export const KEYGATE_CONFIG = Symbol('KeygateConfig');

/** Injects the validated configuration: `constructor(@InjectConfig() config: KeygateConfig)`. */
export const InjectConfig = (): ParameterDecorator => Inject(KEYGATE_CONFIG);

/**
 * The configuration, loaded and validated once by whoever starts the process (main.ts, the CLI,
 * a test) and handed in here: nothing reads the environment again after that.
 */
@Global()
@Module({})
export class ConfigHolderModule {
  static forRoot(config: KeygateConfig): DynamicModule {
    return {
      module: ConfigHolderModule,
      providers: [{ provide: KEYGATE_CONFIG, useValue: config }],
      exports: [KEYGATE_CONFIG],
    };
  }
}

export type { KeygateConfig };
