import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  AnyHost,
  AuthenticatedOnly,
  PlatformRoute,
  Public,
  RequireWorkspace,
} from './route-policy.decorators';
import { routeScope } from './route-scope';

export interface RoutePolicy {
  isPublic: boolean;
  anyHost: boolean;
  platform: boolean;
  requireWorkspace: boolean;
  authenticatedOnly: boolean;
  /** The scope the route requires (@RequireScope or @AutoScope), or null. */
  scope: string | null;
}

/**
 * Route metadata is fixed once the app has booted, yet every link of the guard chain asks for it
 * on every request (five reflector look-ups each). Memoised per handler and class: measured by
 * `npm run bench`, this is part of what keeps the guard chain's cost near zero.
 */
const memo = new WeakMap<object, WeakMap<object, RoutePolicy>>();

export function routePolicy(reflector: Reflector, context: ExecutionContext): RoutePolicy {
  const handler = context.getHandler();
  const controller = context.getClass();
  let byClass = memo.get(handler);
  let policy = byClass?.get(controller);
  if (policy) return policy;
  const targets = [handler, controller];
  policy = {
    isPublic: reflector.getAllAndOverride(Public, targets) === true,
    anyHost: reflector.getAllAndOverride(AnyHost, targets) === true,
    platform: reflector.getAllAndOverride(PlatformRoute, targets) === true,
    requireWorkspace: reflector.getAllAndOverride(RequireWorkspace, targets) === true,
    authenticatedOnly: reflector.getAllAndOverride(AuthenticatedOnly, targets) === true,
    scope: routeScope(reflector, controller as never, handler as never),
  };
  if (!byClass) memo.set(handler, (byClass = new WeakMap()));
  byClass.set(controller, policy);
  return policy;
}
