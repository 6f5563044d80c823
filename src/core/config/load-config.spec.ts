import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

const base = { APP_KEY: 'x'.repeat(32), DATA_DIR: '/tmp/keygate-config-spec' };

describe('loadConfig', () => {
  it('has working defaults: SQLite under ./data, port 3000, base domain localhost', () => {
    const config = loadConfig(base);
    expect(config.port).toBe(3000);
    expect(config.baseDomain).toBe('localhost');
    expect(config.database).toEqual({
      type: 'better-sqlite3',
      database: '/tmp/keygate-config-spec/keygate.sqlite',
    });
    expect(config.rotationGraceSeconds).toBe(86400);
    expect(config.allowQueryCredentials).toBe(false);
    expect(config.authFailureLimit).toBe(60);
    expect(config.defaultKeyLifetimeSeconds).toBeUndefined();
    expect(config.rateLimitTiers.get('enterprise')?.limit).toBeNull();
    expect(config.rateLimitTiers.get('pro')).toEqual({ limit: 10000, windowSeconds: 3600 });
    // A Map: names that exist on every plain object are not tiers.
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(config.rateLimitTiers.has(name)).toBe(false);
    }
  });

  it('reads a mysql URL and durations', () => {
    const config = loadConfig({
      ...base,
      DATABASE_URL: 'mysql://root@127.0.0.1:3306/keygate',
      DEFAULT_KEY_LIFETIME: '90d',
    });
    expect(config.database).toMatchObject({ type: 'mysql', database: 'keygate' });
    expect(config.defaultKeyLifetimeSeconds).toBe(90 * 86400);
  });

  it('never echoes a password from a URL it cannot read', () => {
    for (const env of [
      { DATABASE_URL: 'mysql://root:s3cret-pw@db.internal:notaport/keygate' },
      { DATABASE_URL: 'postgres://root:s3cret-pw@db.internal/keygate' },
      { REDIS_URL: 'redis://:s3cret-pw@ cache.internal:6379' },
    ]) {
      expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
      try {
        loadConfig({ ...base, ...env });
      } catch (error) {
        expect((error as Error).message).not.toContain('s3cret');
      }
    }
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer from 0 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY must be false, true (one proxy hop), a hop count'],
    [{ DATABASE_URL: 'postgres://x/y' }, 'DATABASE_URL must be a mysql://'],
    [{ APP_KEY: 'short' }, 'APP_KEY must be at least 32 characters'],
    [{ APP_KEY: undefined, NODE_ENV: 'production' }, 'APP_KEY must be set when NODE_ENV=production'],
    [{ BASE_DOMAIN: 'localhost:3000' }, 'BASE_DOMAIN must be a host name'],
    [{ DEFAULT_KEY_LIFETIME: 'forever' }, 'DEFAULT_KEY_LIFETIME must be a positive duration'],
    [{ RATE_LIMIT_TIERS: 'free=lots' }, 'RATE_LIMIT_TIERS must be a budget like 1000/3600'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL must be a redis://host:6379 URL'],
  ])('refuses %p with a message naming the variable', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });
});
