import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { InvalidInputError, KeygateError } from '../core/errors';
import { ConfigError } from '../core/config/config-error';
import { withAppKey } from '../core/config/app-key';
import { readEnvFile } from '../core/config/env-file';
import { loadConfig } from '../core/config/load-config';
import { CliError, parseArgs } from './args';
import { COMMANDS, USAGE, usageOf } from './commands';

/** `npm run cli -- <command>`: operator commands against the same configuration as the server. */
async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const command = Object.hasOwn(COMMANDS, args.command) ? COMMANDS[args.command] : undefined;
  if (command && args.flags.has('help')) {
    process.stdout.write(`${usageOf(args.command)}\n`);
    return 0;
  }
  if (!command) {
    if (args.command === 'help' || args.flags.has('help')) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    throw new CliError(`unknown command "${args.command}" (npm run cli -- help lists them)`);
  }
  readEnvFile();
  const config = loadConfig(withAppKey(process.env));
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['fatal', 'error'],
    abortOnError: false,
  });
  try {
    const output = await command(app, args);
    process.stdout.write(`${args.flags.has('json') ? JSON.stringify(output.json) : output.text}\n`);
    return 0;
  } finally {
    await app.close();
  }
}

function describe(error: unknown): string {
  if (error instanceof InvalidInputError) {
    return Object.values(error.errors).flat().join('; ');
  }
  if (error instanceof KeygateError || error instanceof CliError || error instanceof ConfigError)
    return error.message;
  return error instanceof Error ? error.message : String(error);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${describe(error)}\n`);
    process.exit(1);
  },
);
