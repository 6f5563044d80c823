import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { AutoScope, RequireScope } from './require-scope.decorator';
import {
  AnyHost,
  AuthenticatedOnly,
  PlatformRoute,
  Public,
  RequireWorkspace,
} from './route-policy.decorators';
import { routeScope } from './route-scope';

/**
 * Who may reach a route: exactly one of these, computed once at boot from the public decorators
 * (RouteAccessRegistry) and read by every link of the guard chain.
 */
export type RoutePolicy =
  /** No credential; the tenant still comes from the host unless `anyHost` (health checks). */
  | { kind: 'public'; anyHost: boolean }
  /** The platform API: bare BASE_DOMAIN host, platform keys only. */
  | { kind: 'platform' }
  /** Any valid tenant credential, no particular scope (`/auth/me`, a user's own tokens). */
  | { kind: 'authenticated'; requireWorkspace: boolean }
  /** The effective scopes must cover `scope` (@RequireScope, or @AutoScope from path and method). */
  | { kind: 'scope'; scope: string; requireWorkspace: boolean };

type Handler = (...args: never[]) => unknown;
type ControllerClass = abstract new (...args: never[]) => unknown;

/** A route whose decorators say nothing, or contradict each other: the app must not start. */
export class RoutePolicyError extends Error {
  constructor(route: string, problem: string) {
    super(`${route}: ${problem}`);
    this.name = 'RoutePolicyError';
  }
}

/** `GET /api/v1/api-keys/:id`: how a route is named in errors and in the access snapshot. */
export function routeName(controller: ControllerClass, handler: Handler): string {
  const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
  const path = `/${[
    Reflect.getMetadata(PATH_METADATA, controller),
    Reflect.getMetadata(PATH_METADATA, handler),
  ]
    .filter((p) => typeof p === 'string' && p !== '/' && p !== '')
    .join('/')}`.replace(/\/+/g, '/');
  return `${method === undefined ? '?' : RequestMethod[method]} ${path}`;
}

/**
 * The one policy of a route, or a RoutePolicyError naming it: deny by default (a route must
 * declare how it is reached), and no two ways at once (`@Public()` with a scope, `@AnyHost()`
 * without `@Public()`, a platform route with a workspace…).
 */
export function routePolicyOf(
  reflector: Reflector,
  controller: ControllerClass,
  handler: Handler,
): RoutePolicy {
  const targets = [handler, controller];
  const has = (decorator: Parameters<Reflector['getAllAndOverride']>[0]) =>
    reflector.getAllAndOverride(decorator, targets) !== undefined;
  const scope = routeScope(reflector, controller, handler);
  const declared = [
    has(Public) && '@Public()',
    has(PlatformRoute) && '@PlatformRoute()',
    has(AuthenticatedOnly) && '@AuthenticatedOnly()',
    scope && (has(RequireScope) ? `@RequireScope('${scope}')` : `@AutoScope() (${scope})`),
  ].filter((d): d is string => typeof d === 'string');
  const route = routeName(controller, handler);
  if (declared.length === 0) {
    const auto = has(AutoScope) ? ' (@AutoScope() found no resource in its path)' : '';
    throw new RoutePolicyError(
      route,
      `declares no access${auto}: add @RequireScope('resource:action'), or @Public() if anyone may call it`,
    );
  }
  if (declared.length > 1)
    throw new RoutePolicyError(route, `declares ${declared.join(' and ')}: choose one`);
  const anyHost = has(AnyHost);
  const requireWorkspace = has(RequireWorkspace);
  if (anyHost && !has(Public))
    throw new RoutePolicyError(
      route,
      '@AnyHost() needs @Public(): no tenant means no credential can be checked',
    );
  if (requireWorkspace && (has(Public) || has(PlatformRoute))) {
    throw new RoutePolicyError(
      route,
      `@RequireWorkspace() on a ${has(Public) ? 'public' : 'platform'} route, which has no workspace`,
    );
  }
  if (has(Public)) return { kind: 'public', anyHost };
  if (has(PlatformRoute)) return { kind: 'platform' };
  if (has(AuthenticatedOnly)) return { kind: 'authenticated', requireWorkspace };
  return { kind: 'scope', scope: scope!, requireWorkspace };
}

/** One line of the access snapshot. */
export function describePolicy(policy: RoutePolicy): string {
  switch (policy.kind) {
    case 'public':
      return policy.anyHost ? 'public, any host' : 'public';
    case 'platform':
      return 'platform key';
    case 'authenticated':
      return `any valid credential${policy.requireWorkspace ? ', in a workspace' : ''}`;
    case 'scope':
      return `scope ${policy.scope}${policy.requireWorkspace ? ', in a workspace' : ''}`;
  }
}
