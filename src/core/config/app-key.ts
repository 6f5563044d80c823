import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type Env = Record<string, string | undefined>;

/**
 * The one step that may write the app key: the embedded default needs no setup, so outside
 * production a missing APP_KEY is generated once into DATA_DIR/app-key and reused on every start
 * (keys hashed under it must stay verifiable). Returns the environment to load the config from.
 */
export function withAppKey(env: Env): Env {
  if ((env.APP_KEY ?? '').trim() !== '' || env.NODE_ENV === 'production') return env;
  return { ...env, APP_KEY: loadOrCreateAppKey(resolve((env.DATA_DIR ?? '').trim() || './data')) };
}

function loadOrCreateAppKey(dataDir: string): string {
  const file = join(dataDir, 'app-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}
