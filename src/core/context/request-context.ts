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

/**
 * The one request context, carried explicitly: the HTTP layer's first hook makes one per request
 * and keeps it on the request (`contextOf`), the guards fill it, handlers take it with `@Ctx()`
 * and pass it to services and repositories as their first argument. No request-scoped providers.
 *
 * Not AsyncLocalStorage, which carried it until the instruction counts said otherwise: on Node 20
 * its promise hooks run on every promise of every request, and cost ~51,000 instructions a
 * request on the public route and ~43,000 on an authenticated one, ~40% of all Keygate added to
 * bare Nest there (`npm run bench:instructions`; README, benchmarks). An explicit argument also
 * shows in every signature which work depends on the caller.
 */
export class RequestContext {
  private tenantValue: ContextTenant | undefined = undefined;
  private principalValue: Principal | undefined = undefined;
  private workspaceValue: ContextWorkspace | null = null;
  private scopesValue: string[] = [];
  private clientIpValue: string | null = null;
  private manager: EntityManager | undefined = undefined;
  /** Work to run once the open transaction has committed (cache invalidations). */
  private afterCommitHooks: Array<() => void> | undefined = undefined;
  /** Set while a transaction opened from this context runs (see `openTransaction`). */
  private transactionOpen = false;

  /** Outside a request (CLI, background jobs): a context for this tenant's data. */
  static forTenant(tenant: ContextTenant): RequestContext {
    return new RequestContext().withTenant(tenant);
  }

  /**
   * Outside a request, a context of no tenant: platform work (CLI, start-up, batches that span
   * tenants). A tenant-scoped repository given it throws instead of reaching any tenant's rows.
   */
  static platform(): RequestContext {
    return new RequestContext();
  }

  /** The same context (and transaction) acting for `tenant`: a tenant being provisioned. */
  withTenant(tenant: ContextTenant): RequestContext {
    const copy = this.copy();
    copy.tenantValue = tenant;
    return copy;
  }

  /** What the access log reports of a finished request. */
  summary(): { tenant?: string; credential?: string } {
    return { tenant: this.tenantValue?.slug, credential: this.principalValue?.prefix };
  }

  tenant(): ContextTenant {
    const tenant = this.tenantValue;
    if (!tenant) throw new MissingTenantContextError();
    return tenant;
  }

  tenantId(): string {
    return this.tenant().id;
  }

  setTenant(tenant: ContextTenant): void {
    this.tenantValue = tenant;
  }

  principal(): Principal | undefined {
    return this.principalValue;
  }

  setPrincipal(principal: Principal): void {
    this.principalValue = principal;
  }

  workspace(): ContextWorkspace | null {
    return this.workspaceValue;
  }

  setWorkspace(workspace: ContextWorkspace | null, effectiveScopes: string[]): void {
    this.workspaceValue = workspace;
    this.scopesValue = effectiveScopes;
  }

  effectiveScopes(): string[] {
    return this.scopesValue;
  }

  clientIp(): string | null {
    return this.clientIpValue;
  }

  setClientIp(ip: string): void {
    this.clientIpValue = ip;
  }

  /**
   * The open transaction's manager (TransactionRunner), else undefined: the pool's. Every query
   * made with a context asks this first, so it is where a context is refused while a transaction
   * opened from it runs (see `openTransaction`).
   */
  entityManager(): EntityManager | undefined {
    if (this.transactionOpen) throw new OuterContextInTransactionError();
    return this.manager;
  }

  /**
   * The same request's context bound to a transaction (TransactionRunner makes it): repositories
   * given it run their queries in that transaction, and `afterCommit` queues into `hooks`.
   *
   * Until `closeTransaction`, this outer context refuses to reach the database. Work inside the
   * transaction that used it by mistake (a closure made before the transaction, say) would run
   * on another connection, outside the transaction, and commit on its own: on MySQL a revocation
   * was written without its audit row that way (found by an attack pass). SQLite's one connection
   * hides such a slip; this refusal makes every test, on any database, fail on it.
   */
  openTransaction(manager: EntityManager, hooks: Array<() => void>): RequestContext {
    const bound = this.copy();
    bound.manager = manager;
    bound.afterCommitHooks = hooks;
    this.transactionOpen = true;
    return bound;
  }

  closeTransaction(): void {
    this.transactionOpen = false;
  }

  private copy(): RequestContext {
    const copy = new RequestContext();
    copy.tenantValue = this.tenantValue;
    copy.principalValue = this.principalValue;
    copy.workspaceValue = this.workspaceValue;
    copy.scopesValue = this.scopesValue;
    copy.clientIpValue = this.clientIpValue;
    copy.manager = this.manager;
    copy.afterCommitHooks = this.afterCommitHooks;
    return copy;
  }

  /**
   * Runs `fn` once the current transaction has committed (at once outside a transaction): a
   * cache invalidated before the commit could be refilled from the old rows by another request.
   */
  afterCommit(fn: () => void): void {
    // Run at once from the outer context, it would forget a cache before the commit.
    if (this.transactionOpen) throw new OuterContextInTransactionError();
    if (this.afterCommitHooks && this.manager) this.afterCommitHooks.push(fn);
    else fn();
  }
}

/** A programming error: a context used while the transaction opened from it runs. */
export class OuterContextInTransactionError extends Error {
  constructor() {
    super(
      'This request context has a transaction open: inside TransactionRunner.run, use the context ' +
        'it hands its work (name it ctx, so that it shadows this one).',
    );
    this.name = 'OuterContextInTransactionError';
  }
}

/**
 * Where each request keeps its context: `request.hosts[CONTEXT_KEY]`. An odd place, chosen by
 * measurement: Nest runs the global pipes (our ValidationPipe) on every custom parameter
 * decorator, which cost ~8,000 instructions a request with `@Ctx()` as one (10% of a whole bare
 * Nest request, `npm run bench:instructions`), and hands over without pipes only parameters of
 * its own kinds. `@HostParam(key)` is the one of those that reads a property the app can set:
 * `req.hosts`, which Nest itself fills only for host-constrained controllers (Keygate has none;
 * the tenant comes from the Host through the guard chain).
 */
export const CONTEXT_KEY = 'keygate:context';
type WithContext = { hosts?: Record<string, RequestContext | undefined> };

/** Gives `request` its fresh context (the HTTP layer's first hook, once per request). */
export function openContext(request: object): RequestContext {
  const context = new RequestContext();
  (request as WithContext).hosts = { [CONTEXT_KEY]: context };
  return context;
}

/**
 * The request's context. A request the first hook did not see (none here; a test's hand-made
 * request) gets an empty one, which holds no tenant and so reaches no tenant's rows.
 */
export function contextOf(request: object): RequestContext {
  return (request as WithContext).hosts?.[CONTEXT_KEY] ?? openContext(request);
}

/** The context if the first hook opened one (the access log of an answer given before it did not). */
export function openedContext(request: object): RequestContext | undefined {
  return (request as WithContext).hosts?.[CONTEXT_KEY];
}
