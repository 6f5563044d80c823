import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AnyHost, AuthenticatedOnly, PlatformRoute, Public, RequireWorkspace } from './route-policy.decorators';

export interface RoutePolicy {
  isPublic: boolean;
  anyHost: boolean;
  platform: boolean;
  requireWorkspace: boolean;
  authenticatedOnly: boolean;
}

export function routePolicy(reflector: Reflector, context: ExecutionContext): RoutePolicy {
  const targets = [context.getHandler(), context.getClass()];
  return {
    isPublic: reflector.getAllAndOverride(Public, targets) === true,
    anyHost: reflector.getAllAndOverride(AnyHost, targets) === true,
    platform: reflector.getAllAndOverride(PlatformRoute, targets) === true,
    requireWorkspace: reflector.getAllAndOverride(RequireWorkspace, targets) === true,
    authenticatedOnly: reflector.getAllAndOverride(AuthenticatedOnly, targets) === true,
  };
}
