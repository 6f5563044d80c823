import { INestApplicationContext, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { routeScope } from '../../src/core/access-policy/route-scope';
import { AnyHost, AuthenticatedOnly, PlatformRoute, Public } from '../../src/core/access-policy/route-policy.decorators';

export interface RouteEntry {
  route: string;
  access: string | null;
}

/** Every HTTP route of the app and what it takes to reach it (null = nothing declared). */
export function routeInventory(app: INestApplicationContext): RouteEntry[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const entries: RouteEntry[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    const controller = wrapper.metatype as (abstract new (...args: never[]) => unknown) | undefined;
    if (!instance || !controller) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, (...args: never[]) => unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const path = `/${[Reflect.getMetadata(PATH_METADATA, controller), Reflect.getMetadata(PATH_METADATA, handler)]
        .filter((p) => typeof p === 'string' && p !== '/' && p !== '')
        .join('/')}`.replace(/\/+/g, '/');
      const targets = [handler, controller];
      const scope = routeScope(reflector, controller, handler);
      const access = scope
        ? `scope ${scope}`
        : reflector.getAllAndOverride(PlatformRoute, targets)
          ? 'platform key'
          : reflector.getAllAndOverride(Public, targets)
            ? reflector.getAllAndOverride(AnyHost, targets)
              ? 'public, any host'
              : 'public'
            : reflector.getAllAndOverride(AuthenticatedOnly, targets)
              ? 'any valid credential'
              : null;
      entries.push({ route: `${RequestMethod[method]} ${path}`, access });
    }
  }
  return entries.sort((a, b) => a.route.localeCompare(b.route));
}
