import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../context/request-context';

export type Invalidation =
  | { type: 'key'; keyId: string }
  | { type: 'user'; tenantId: string; userId: string }
  | { type: 'workspace'; workspaceId: string }
  /** A tenant's roles or memberships changed in a way that touches many users at once. */
  | { type: 'roles'; tenantId: string }
  | { type: 'tenant'; tenantId: string; slug: string }
  /** Events may have been missed (Redis reconnected): drop everything cached from the database. */
  | { type: 'resync' };

/**
 * "This changed, forget what you cached about it." Services publish; each feature module
 * subscribes its own caches (onModuleInit), so no module imports another's caches, and it is the one place a cross-instance
 * broadcaster (Redis pub/sub) plugs in: it relays `publish` out and calls `deliver` on arrival.
 */
@Injectable()
export class InvalidationBus {
  private readonly handlers: Array<(event: Invalidation) => void> = [];
  private readonly relays: Array<(event: Invalidation) => void> = [];

  subscribe(handler: (event: Invalidation) => void): void {
    this.handlers.push(handler);
  }

  /** Registers a relay to other instances (called for local changes only). */
  relay(relay: (event: Invalidation) => void): void {
    this.relays.push(relay);
  }

  /**
   * Inside a transaction, delivered once it commits: invalidated earlier, a cache could be refilled
   * by another request from the rows as they were before the change.
   */
  publish(ctx: RequestContext, event: Invalidation): void {
    ctx.afterCommit(() => {
      this.deliver(event);
      for (const relay of this.relays) relay(event);
    });
  }

  /** Applies an event locally, without relaying it again. */
  deliver(event: Invalidation): void {
    for (const handler of this.handlers) handler(event);
  }
}
