import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { EntityManager } from 'typeorm';
import { MissingTenantContextError } from '../common/errors';
import type { Tenant } from '../tenants/tenant.entity';
import type { Workspace } from '../workspaces/workspace.entity';
import type { Principal } from './principal';

/** What the context holds; keys are read and written only through the helpers below. */
interface ContextStore {
  tenant?: Tenant;
  principal?: Principal;
  workspace?: Workspace | null;
  effectiveScopes?: string[];
  clientIp?: string;
  entityManager?: EntityManager;
}

/**
 * The one request context (AsyncLocalStorage via nestjs-cls): the guards fill it, services and
 * repositories read it through these typed helpers. No request-scoped providers anywhere.
 */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService) {}

  private read<K extends keyof ContextStore>(key: K): ContextStore[K] | undefined {
    return this.cls.isActive() ? (this.cls.get(key) as ContextStore[K] | undefined) : undefined;
  }

  private write<K extends keyof ContextStore>(key: K, value: ContextStore[K]): void {
    this.cls.set(key, value);
  }

  tenant(): Tenant {
    const tenant = this.read('tenant');
    if (!tenant) throw new MissingTenantContextError();
    return tenant;
  }

  tenantId(): string {
    return this.tenant().id;
  }

  setTenant(tenant: Tenant): void {
    this.write('tenant', tenant);
  }

  principal(): Principal | undefined {
    return this.read('principal');
  }

  setPrincipal(principal: Principal): void {
    this.write('principal', principal);
  }

  workspace(): Workspace | null {
    return this.read('workspace') ?? null;
  }

  setWorkspace(workspace: Workspace | null, effectiveScopes: string[]): void {
    this.write('workspace', workspace);
    this.write('effectiveScopes', effectiveScopes);
  }

  effectiveScopes(): string[] {
    return (this.read('effectiveScopes')) ?? [];
  }

  clientIp(): string | null {
    return (this.read('clientIp')) ?? null;
  }

  setClientIp(ip: string): void {
    this.write('clientIp', ip);
  }

  requestId(): string | null {
    return this.cls.isActive() ? (this.cls.getId() ?? null) : null;
  }

  entityManager(): EntityManager | undefined {
    return this.read('entityManager');
  }

  /** Runs `fn` in a nested context that shares this one's values but has its own transaction. */
  withEntityManager<T>(manager: EntityManager, fn: () => Promise<T>): Promise<T> {
    return this.cls.run({ ifNested: 'inherit' }, () => {
      this.write('entityManager', manager);
      return fn();
    });
  }

  /** Outside a request (CLI, background jobs): run `fn` as if inside this tenant's request. */
  runForTenant<T>(tenant: Tenant, fn: () => Promise<T>): Promise<T> {
    return this.cls.run({ ifNested: 'inherit' }, () => {
      this.write('tenant', tenant);
      return fn();
    });
  }
}
