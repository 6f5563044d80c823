import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { AutoScope, RequireScope } from './require-scope.decorator';

type Handler = (...args: never[]) => unknown;
type ControllerClass = abstract new (...args: never[]) => unknown;

const ACTIONS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'read',
  [RequestMethod.HEAD]: 'read',
  [RequestMethod.POST]: 'create',
  [RequestMethod.PUT]: 'update',
  [RequestMethod.PATCH]: 'update',
  [RequestMethod.DELETE]: 'delete',
};

/**
 * The scope a route requires, from metadata only (no request), so that the guard and the catalog
 * discovery agree by construction. Returns null when the route declares none.
 */
export function routeScope(
  reflector: Reflector,
  controller: ControllerClass,
  handler: Handler,
): string | null {
  const explicit = reflector.getAllAndOverride(RequireScope, [handler, controller]);
  if (explicit) return explicit;
  if (!reflector.getAllAndOverride(AutoScope, [handler, controller])) return null;
  const paths = [Reflect.getMetadata(PATH_METADATA, controller), Reflect.getMetadata(PATH_METADATA, handler)];
  const segments = paths
    .flatMap((p: unknown): unknown[] => (Array.isArray(p) ? (p as unknown[]) : [p]))
    .filter((p): p is string => typeof p === 'string')
    .flatMap((p) => p.split('/'))
    .filter((s) => s && !s.startsWith(':') && s !== 'api' && !/^v\d+$/.test(s));
  const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
  const action = method === undefined ? undefined : ACTIONS[method];
  if (!segments[0] || !action) return null;
  return `${segments[0].toLowerCase()}:${action}`;
}
