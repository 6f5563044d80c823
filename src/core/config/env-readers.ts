import { ConfigError } from './config-error';

type Env = Record<string, string | undefined>;

/** Small typed readers over process.env: each throws a ConfigError naming the variable. */
export function readString(env: Env, name: string, fallback?: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? fallback : raw.trim();
}

export function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  return value;
}

export function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  const lower = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) return true;
  if (['false', '0', 'no', 'off'].includes(lower)) return false;
  throw new ConfigError(name, 'true or false', raw);
}

export function readEnum<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  if (!values.includes(raw as T)) throw new ConfigError(name, `one of ${values.join(', ')}`, raw);
  return raw as T;
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "3600", "90s", "15m", "12h" or "30d" → seconds. */
export function readDuration(env: Env, name: string): number | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  const match = /^(\d+)([smhd]?)$/.exec(raw);
  if (!match || Number(match[1]) === 0) {
    throw new ConfigError(name, 'a positive duration such as 3600, 90s, 15m, 12h or 30d', raw);
  }
  return Number(match[1]) * (DURATION_UNITS[match[2] || 's'] ?? 1);
}
