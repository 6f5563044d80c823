import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';

/** How long any command may wait for Redis before its caller falls back. */
const COMMAND_TIMEOUT_MS = 500;

/**
 * The Redis connection when REDIS_URL is set (null client otherwise). Commands never wait for
 * Redis: no offline queue and short timeouts, so while Redis is away a command fails at once and
 * the caller falls back (rate limits to in-process counters). ioredis reconnects by itself; the
 * outage and the recovery are each logged once.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly client: Redis | null;
  private readonly logger = new Logger('Redis');
  private readonly extra: Redis[] = [];
  private down = false;

  constructor(@InjectConfig() config: KeygateConfig) {
    this.client = config.redisUrl
      ? // No auto-pipelining: the rate-limit hits of one event-loop turn are sent together by
        // RedisRateLimitStorage, which sends a lone hit as a plain command (ioredis made a
        // pipeline of it, measured costly, see there). Half the others' timeout, as before: a
        // stalled Redis still answers within ~0.5 s.
        this.open(config.redisUrl, 'commands', {
          enableOfflineQueue: false,
          commandTimeout: COMMAND_TIMEOUT_MS / 2,
        })
      : null;
  }

  /** True when Redis is configured and the command connection is ready right now. */
  isUp(): boolean {
    return this.client?.status === 'ready';
  }

  /** A second connection (pub/sub needs its own); closed with this one. */
  duplicate(role: string, options: RedisOptions = {}): Redis {
    if (!this.client) throw new Error('REDIS_URL is not set');
    const connection = this.open(this.client.options, role, options);
    this.extra.push(connection);
    return connection;
  }

  /** Logs the first failure of an outage (not one line per reconnect attempt). */
  reportFailure(what: string, error: unknown): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn(
      `Redis unreachable (${what}: ${(error as Error)?.message ?? String(error)}); rate limits use in-process counters until it is back`,
    );
  }

  /**
   * Logs the end of an outage once. Called on the command connection's reconnect and on every
   * command that succeeds: a stall (Redis paused, a slow network) times commands out without
   * closing the connection, so no reconnect would ever tell that it is over, and the next
   * outage's first failure would go unlogged.
   */
  reportRecovery(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.warn('Redis is back: shared rate-limit counters and invalidation resumed');
  }

  onApplicationShutdown(): void {
    for (const connection of [this.client, ...this.extra]) connection?.disconnect();
  }

  private open(target: string | RedisOptions, role: string, options: RedisOptions): Redis {
    const settings: RedisOptions = {
      connectTimeout: 1000,
      commandTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      // Reconnect forever, quickly at first, then every second.
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
      ...options,
    };
    const connection =
      typeof target === 'string' ? new Redis(target, settings) : new Redis({ ...target, ...settings });
    connection.on('error', (error: Error) => this.reportFailure(role, error));
    if (role === 'commands') connection.on('ready', () => this.reportRecovery());
    return connection;
  }
}
