import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Invalidation, InvalidationBus } from '../core/events/invalidation-bus';
import { RedisConnection } from './redis-connection';

export const INVALIDATION_CHANNEL = 'keygate:invalidation';

interface Envelope {
  origin: string;
  event: Invalidation;
}

/**
 * Cache invalidation across instances over Redis pub/sub: every local change published on the
 * InvalidationBus is relayed to the channel; every message from another instance is delivered to
 * this instance's caches (messages carry the sender's instance id so our own are ignored).
 * A message lost while Redis is away is bounded by KEY_CACHE_TTL_SECONDS; in addition, the key
 * cache is emptied when the subscription comes back, since messages may have been missed.
 */
@Injectable()
export class RedisInvalidationBroadcaster implements OnModuleInit, OnApplicationShutdown {
  readonly instanceId = randomUUID();
  private readonly logger = new Logger('Invalidation');
  private subscriber?: Redis;
  private wasSubscribed = false;

  constructor(
    private readonly connection: RedisConnection,
    private readonly bus: InvalidationBus,
  ) {}

  onModuleInit(): void {
    const publisher = this.connection.client;
    if (!publisher) return;
    // The subscriber queues its SUBSCRIBE until connected; ioredis re-subscribes after reconnects.
    this.subscriber = this.connection.duplicate('subscriber', {
      enableOfflineQueue: true,
      commandTimeout: undefined,
    });
    this.subscriber.on('message', (_channel: string, message: string) => this.receive(message));
    this.subscriber.on('ready', () => this.onSubscriberReady());
    this.subscriber
      .subscribe(INVALIDATION_CHANNEL)
      .catch((error: Error) => this.connection.reportFailure('subscribe', error));
    this.bus.relay((event) => {
      const envelope: Envelope = { origin: this.instanceId, event };
      publisher.publish(INVALIDATION_CHANNEL, JSON.stringify(envelope)).then(
        () => this.connection.reportRecovery(),
        (error: Error) => {
          this.connection.reportFailure('publish', error);
          this.logger.warn(
            `invalidation not broadcast (${event.type}); other instances converge within KEY_CACHE_TTL_SECONDS`,
          );
        },
      );
    });
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }

  private onSubscriberReady(): void {
    if (this.wasSubscribed) this.bus.deliver({ type: 'resync' });
    this.wasSubscribed = true;
  }

  private receive(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return;
    }
    if (envelope.origin === this.instanceId || !envelope.event || typeof envelope.event.type !== 'string')
      return;
    this.bus.deliver(envelope.event);
  }
}
