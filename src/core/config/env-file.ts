import { existsSync } from 'node:fs';

/**
 * `.env` in the working directory, if there is one, under the real environment (a variable set in
 * the environment wins). Read by the process starters (server, CLI, TypeORM CLI) before the one
 * loadConfig, so every one of them sees the same configuration.
 */
export function readEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
