import { resolve } from 'node:path';
import { DNS_NAME } from '../common/dns-label';
import { ConfigError } from './config-error';
import { readBool, readDuration, readEnum, readInt, readString } from './env-readers';
import { parseTrustProxy, type TrustProxy } from './trust-proxy';
import { DEFAULT_TIERS, parseBudget, parseTiers, RateLimitBudget } from './rate-limit-tiers';

export type DatabaseConfig =
  { type: 'better-sqlite3'; database: string } | { type: 'mysql'; url: string; database: string };

export interface KeygateConfig {
  nodeEnv: string;
  port: number;
  host: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** `auto` (unset): JSON unless stdout is a terminal, decided where the logger is made. */
  logFormat: 'json' | 'pretty' | 'auto';
  dataDir: string;
  database: DatabaseConfig;
  runMigrations: boolean;
  redisUrl?: string;
  baseDomain: string;
  appKey: string;
  trustProxy: TrustProxy;
  bodyLimitBytes: number;
  tenantCacheTtlSeconds: number;
  keyCacheTtlSeconds: number;
  keyCacheMaxEntries: number;
  rotationGraceSeconds: number;
  allowQueryCredentials: boolean;
  authFailureLimit: number;
  defaultKeyLifetimeSeconds?: number;
  bcryptRounds: number;
  usageFlushIntervalSeconds: number;
  /** After SIGTERM: how long to keep serving (with `Connection: close`, readiness 503) before closing the listener. */
  shutdownDrainSeconds: number;
  oauthTokenTtlSeconds: number;
  rateLimitTiers: ReadonlyMap<string, RateLimitBudget>;
  rateLimitDefault: RateLimitBudget;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
}

type Env = Record<string, string | undefined>;

/**
 * Reads and validates every variable; throws a ConfigError that names the first wrong one. Pure:
 * it reads no file and writes none (the embedded default's APP_KEY comes from `withAppKey`).
 */
export function loadConfig(env: Env = process.env): KeygateConfig {
  const nodeEnv = readEnum(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const dataDir = resolve(readString(env, 'DATA_DIR', './data')!);
  const baseDomain = readBaseDomain(env);
  return {
    nodeEnv,
    port: readInt(env, 'PORT', 3000, 0, 65535),
    host: readString(env, 'HOST', '0.0.0.0')!,
    logLevel: readEnum(env, 'LOG_LEVEL', ['error', 'warn', 'info', 'debug'] as const, 'info'),
    logFormat: readEnum(env, 'LOG_FORMAT', ['json', 'pretty', 'auto'] as const, 'auto'),
    dataDir,
    database: readDatabase(env, dataDir),
    runMigrations: readBool(env, 'RUN_MIGRATIONS', true),
    redisUrl: readRedisUrl(env),
    baseDomain,
    appKey: readAppKey(env, nodeEnv),
    trustProxy: parseTrustProxy(readString(env, 'TRUST_PROXY')),
    bodyLimitBytes: readInt(env, 'BODY_LIMIT_BYTES', 65536, 1024, 10 * 1024 * 1024),
    tenantCacheTtlSeconds: readInt(env, 'TENANT_CACHE_TTL_SECONDS', 10, 0, 3600),
    keyCacheTtlSeconds: readInt(env, 'KEY_CACHE_TTL_SECONDS', 60, 0, 3600),
    keyCacheMaxEntries: readInt(env, 'KEY_CACHE_MAX_ENTRIES', 100000, 100, 10000000),
    rotationGraceSeconds: readInt(env, 'ROTATION_GRACE_SECONDS', 86400, 0, 365 * 86400),
    allowQueryCredentials: readBool(env, 'ALLOW_QUERY_CREDENTIALS', false),
    authFailureLimit: readInt(env, 'AUTH_FAILURE_LIMIT', 60, 1, 1000000),
    defaultKeyLifetimeSeconds: readDuration(env, 'DEFAULT_KEY_LIFETIME'),
    bcryptRounds: readInt(env, 'BCRYPT_ROUNDS', 10, 4, 15),
    usageFlushIntervalSeconds: readInt(env, 'USAGE_FLUSH_INTERVAL_SECONDS', 10, 1, 3600),
    shutdownDrainSeconds: readInt(env, 'SHUTDOWN_DRAIN_SECONDS', 2, 0, 300),
    oauthTokenTtlSeconds: readInt(env, 'OAUTH_TOKEN_TTL_SECONDS', 3600, 60, 86400),
    rateLimitTiers: parseTiers('RATE_LIMIT_TIERS', readString(env, 'RATE_LIMIT_TIERS', DEFAULT_TIERS)!),
    rateLimitDefault: parseBudget('RATE_LIMIT_DEFAULT', readString(env, 'RATE_LIMIT_DEFAULT', '1000/3600')!),
    sessionIdleMinutes: readInt(env, 'SESSION_IDLE_MINUTES', 120, 1, 7 * 24 * 60),
    sessionMaxHours: readInt(env, 'SESSION_MAX_HOURS', 12, 1, 24 * 90),
  };
}

function readBaseDomain(env: Env): string {
  const raw = readString(env, 'BASE_DOMAIN', 'localhost')!.toLowerCase();
  if (!DNS_NAME.test(raw)) {
    throw new ConfigError('BASE_DOMAIN', 'a host name such as localhost or keys.example.com (no port)', raw);
  }
  return raw;
}

function readDatabase(env: Env, dataDir: string): DatabaseConfig {
  const raw = readString(env, 'DATABASE_URL');
  if (raw === undefined) return { type: 'better-sqlite3', database: resolve(dataDir, 'keygate.sqlite') };
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path)
      throw new ConfigError(
        'DATABASE_URL',
        'sqlite:<file> or mysql://user:pass@host:3306/db',
        withoutPassword(raw),
      );
    return { type: 'better-sqlite3', database: path === ':memory:' ? path : resolve(path) };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      'DATABASE_URL',
      'a mysql://user:pass@host:3306/db URL, or unset for SQLite',
      withoutPassword(raw),
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (url.protocol !== 'mysql:' || !url.hostname || !database) {
    throw new ConfigError(
      'DATABASE_URL',
      'a mysql://user:pass@host:3306/db URL, or unset for SQLite',
      url.protocol,
    );
  }
  return { type: 'mysql', url: raw, database };
}

function readRedisUrl(env: Env): string | undefined {
  const raw = readString(env, 'REDIS_URL');
  if (raw !== undefined && !/^rediss?:\/\/[^\s]+$/.test(raw)) {
    throw new ConfigError('REDIS_URL', 'a redis://host:6379 URL, or unset', withoutPassword(raw));
  }
  return raw;
}

function readAppKey(env: Env, nodeEnv: string): string {
  const raw = readString(env, 'APP_KEY');
  if (raw !== undefined) {
    if (raw.length < 32) throw new ConfigError('APP_KEY', 'at least 32 characters (openssl rand -base64 32)');
    return raw;
  }
  if (nodeEnv === 'production') {
    throw new ConfigError('APP_KEY', 'set when NODE_ENV=production (openssl rand -base64 32)');
  }
  throw new ConfigError(
    'APP_KEY',
    'set (openssl rand -base64 32), or generated by withAppKey() outside production',
  );
}

/**
 * A URL as a boot error may show it: whatever stands between `//` (or the start) and the last `@`
 * is credentials, parsed or not, and is replaced, so a typo never prints a password.
 */
export function withoutPassword(raw: string): string {
  const at = raw.lastIndexOf('@');
  if (at < 0) return raw;
  const slashes = raw.indexOf('//');
  const start = slashes >= 0 && slashes < at ? slashes + 2 : 0;
  return `${raw.slice(0, start)}***${raw.slice(at)}`;
}
