import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';
import { MissingTenantContextError } from '../errors';
import type { Principal } from './principal';
import type { LegacyFormatSettings } from './legacy-formats';

/** The request's tenant as the context carries it (the tenants feature's entity is one). */
export interface ContextTenant {
  id: string;
  slug: string;
  name: string;
  status: string;
  /** Formats it imported credentials from (see legacy-formats.ts); absent or null: none. */
  legacyFormats?: LegacyFormatSettings | null;
}

/** The active workspace as the context carries it (the workspaces feature's entity is one). */
export interface ContextWorkspace {
  id: string;
  name: string;
  status: string;
}

/** What the context holds; keys are read and written only through the helpers below. */
export interface ContextStore {
  tenant?: ContextTenant;
  principal?: Principal;
  workspace?: ContextWorkspace | null;
  effectiveScopes?: string[];
  clientIp?: string;
  entityManager?: EntityManager;
  /** Work to run once the open transaction has committed (cache invalidations). */
  afterCommit?: Array<() => void>;
}

/** One store per request, opened by the HTTP layer's first hook (or `run` outside requests). */
const storage = new AsyncLocalStorage<ContextStore>();

/**
 * The one request context (Node's AsyncLocalStorage): the guards fill it, services and
 * repositories read it through these typed helpers. No request-scoped providers anywhere.
 * (nestjs-cls did this before; it also installs a global interceptor on every route, which
 * measured ~5% of the hot path's CPU, for nothing this app uses.)
 */
@Injectable()
export class RequestContext {
  /** Runs `fn` in a fresh context; what it sets is visible to everything `fn` awaits. */
  static run<T>(fn: () => T): T {
    return storage.run({}, fn);
  }

  /**
   * Runs `fn` in `store`: the HTTP layer opens each request's context with it and keeps the
   * store on the request too, so that the access log can read it after the response.
   */
  static runIn<T>(store: ContextStore, fn: () => T): T {
    return storage.run(store, fn);
  }

  /** What the access log reports of a finished request (read from the store it kept). */
  static summary(store: ContextStore): { tenant?: string; credential?: string } {
    return { tenant: store.tenant?.slug, credential: store.principal?.prefix };
  }

  private read<K extends keyof ContextStore>(key: K): ContextStore[K] | undefined {
    return storage.getStore()?.[key];
  }

  private write<K extends keyof ContextStore>(key: K, value: ContextStore[K]): void {
    const store = storage.getStore();
    if (!store)
      throw new Error('RequestContext used outside a request: wrap the work in RequestContext.run()');
    store[key] = value;
  }

  /** A nested context that starts as a copy of the current one. */
  private nested<T>(fn: () => Promise<T>): Promise<T> {
    return storage.run({ ...(storage.getStore() ?? {}) }, fn);
  }

  tenant(): ContextTenant {
    const tenant = this.read('tenant');
    if (!tenant) throw new MissingTenantContextError();
    return tenant;
  }

  tenantId(): string {
    return this.tenant().id;
  }

  setTenant(tenant: ContextTenant): void {
    this.write('tenant', tenant);
  }

  principal(): Principal | undefined {
    return this.read('principal');
  }

  setPrincipal(principal: Principal): void {
    this.write('principal', principal);
  }

  workspace(): ContextWorkspace | null {
    return this.read('workspace') ?? null;
  }

  setWorkspace(workspace: ContextWorkspace | null, effectiveScopes: string[]): void {
    this.write('workspace', workspace);
    this.write('effectiveScopes', effectiveScopes);
  }

  effectiveScopes(): string[] {
    return this.read('effectiveScopes') ?? [];
  }

  clientIp(): string | null {
    return this.read('clientIp') ?? null;
  }

  setClientIp(ip: string): void {
    this.write('clientIp', ip);
  }

  entityManager(): EntityManager | undefined {
    return this.read('entityManager');
  }

  /** Runs `fn` in a nested context that shares this one's values but has its own transaction. */
  withEntityManager<T>(manager: EntityManager, fn: () => Promise<T>): Promise<T> {
    return this.nested(() => {
      this.write('entityManager', manager);
      return fn();
    });
  }

  /**
   * Runs `transaction` (which opens one) in a nested context; what `afterCommit` queues inside it
   * runs once it has resolved, i.e. committed, and is dropped if it fails.
   */
  async collectingAfterCommit<T>(transaction: () => Promise<T>): Promise<T> {
    const hooks: Array<() => void> = [];
    const result = await this.nested(() => {
      this.write('afterCommit', hooks);
      return transaction();
    });
    for (const hook of hooks) hook();
    return result;
  }

  /**
   * Runs `fn` once the current transaction has committed (at once outside a transaction): a
   * cache invalidated before the commit could be refilled from the old rows by another request.
   */
  afterCommit(fn: () => void): void {
    const hooks = this.read('afterCommit');
    if (hooks && this.read('entityManager')) hooks.push(fn);
    else fn();
  }

  /** Outside a request (CLI, background jobs): run `fn` as if inside this tenant's request. */
  runForTenant<T>(tenant: ContextTenant, fn: () => Promise<T>): Promise<T> {
    return this.nested(() => {
      this.write('tenant', tenant);
      return fn();
    });
  }
}
