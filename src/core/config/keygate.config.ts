import { Inject } from '@nestjs/common';
import { registerAs } from '@nestjs/config';
import { KeygateConfig, loadConfig } from './load-config';

/** The one validated configuration namespace, read from the environment when the app boots. */
export const keygateConfig = registerAs('keygate', (): KeygateConfig => loadConfig(process.env));

/** Injects the validated configuration: `constructor(@InjectConfig() config: KeygateConfig)`. */
export const InjectConfig = (): ParameterDecorator => Inject(keygateConfig.KEY);

export type { KeygateConfig };
