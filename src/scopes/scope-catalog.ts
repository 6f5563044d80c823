import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { routeScope } from '../core/access-policy/route-scope';
import { VIEW_ALL_LOCATIONS } from '../access/built-in-roles';
import { CustomScopesRepository } from './custom-scopes.repository';
import type { RequestContext } from '../core/context/request-context';

export interface CatalogEntry {
  name: string;
  description: string;
  source: 'code' | 'built-in' | 'custom';
}

/** Scopes that no route requires but that Keygate itself understands. */
const BUILT_IN: CatalogEntry[] = [
  { name: 'keys:verify', description: 'Verify keys presented to your own services', source: 'built-in' },
  { name: VIEW_ALL_LOCATIONS, description: 'Access every workspace of the tenant', source: 'built-in' },
];

/**
 * The scope catalog: every scope some route requires (found at boot by walking the controllers),
 * the built-ins, and the tenant's own custom scopes. Keys can only be granted scopes from here.
 */
@Injectable()
export class ScopeCatalog implements OnModuleInit {
  private codeScopes: CatalogEntry[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly customScopes: CustomScopesRepository,
  ) {}

  onModuleInit(): void {
    const found = new Map<string, CatalogEntry>();
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, (...args: never[]) => unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const scope = routeScope(this.reflector, wrapper.metatype as never, prototype[method]);
        if (scope && !BUILT_IN.some((b) => b.name === scope)) {
          found.set(scope, {
            name: scope,
            description: `Required by ${wrapper.name}.${method}`,
            source: 'code',
          });
        }
      }
    }
    this.codeScopes = [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Code and built-in scopes: the same for every tenant. */
  fixed(): CatalogEntry[] {
    return [...BUILT_IN, ...this.codeScopes];
  }

  /** The whole catalog for the tenant of the request context. */
  async forTenant(ctx: RequestContext): Promise<CatalogEntry[]> {
    const custom = await this.customScopes.find(ctx, {}, { order: { name: 'ASC' } });
    return [
      ...this.fixed(),
      ...custom.map((c) => ({ name: c.name, description: c.description, source: 'custom' as const })),
    ];
  }

  /**
   * Which of `requested` are outside the catalog. A wildcard is known when it matches at least
   * one catalog scope (`invoices:*` needs some `invoices:…`); `*` is always known.
   */
  async unknown(ctx: RequestContext, requested: readonly string[]): Promise<string[]> {
    // Sets, not a scan per requested scope: 200 requested against thousands of custom scopes ran
    // for seconds, on the one thread every tenant shares.
    const names = new Set((await this.forTenant(ctx)).map((e) => e.name));
    const resources = new Set<string>();
    const actions = new Set<string>();
    for (const name of names) {
      const [resource, action] = name.split(':');
      if (action !== undefined) {
        resources.add(resource);
        actions.add(action);
      }
    }
    const known = (scope: string): boolean => {
      if (scope === '*' || names.has(scope)) return true;
      const [resource, action] = scope.split(':');
      if (action === '*') return resources.has(resource);
      return resource === '*' && actions.has(action);
    };
    return requested.filter((scope) => !known(scope));
  }
}
