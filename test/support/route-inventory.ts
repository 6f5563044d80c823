import { INestApplicationContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { describePolicy, routeName, routePolicyOf } from '../../src/core/access-policy/route-policy';
import { RoutePolicyRegistry } from '../../src/pipeline/route-policy.registry';

export interface RouteEntry {
  route: string;
  access: string;
}

/** Every HTTP route of the app and who may reach it, as the guard chain reads it. */
export function routeInventory(app: INestApplicationContext): RouteEntry[] {
  const registry = app.get(RoutePolicyRegistry);
  const reflector = app.get(Reflector);
  const entries: RouteEntry[] = [];
  for (const { handler, controller } of registry.routes()) {
    entries.push({
      route: routeName(controller, handler),
      access: describePolicy(routePolicyOf(reflector, controller, handler)),
    });
  }
  return entries.sort((a, b) => a.route.localeCompare(b.route));
}
