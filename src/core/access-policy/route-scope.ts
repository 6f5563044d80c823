import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { AutoScope, RequireScope } from './require-scope.decorator';
import { normalizeScope } from './scope-names';

type Handler = (...args: never[]) => unknown;
type ControllerClass = abstract new (...args: never[]) => unknown;

const ACTIONS: Record<string, string> = {
  GET: 'read',
  HEAD: 'read',
  POST: 'create',
  PUT: 'update',
  PATCH: 'update',
  DELETE: 'delete',
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
  const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
  return automaticScope(
    method === undefined ? '' : RequestMethod[method],
    paths
      .flatMap((p: unknown): unknown[] => (Array.isArray(p) ? (p as unknown[]) : [p]))
      .filter((p): p is string => typeof p === 'string'),
  );
}

/**
 * The automatic scope of a method and a path as a gateway saw them (`X-Original-Method` +
 * `X-Original-URI` at /api/v1/auth/check): the same rule as @AutoScope, on a concrete URI.
 * `GET /api/v1/reports/7?x=1` → `reports:read`; null when no resource or no known method.
 */
export function scopeOfRequest(method: string, uri: string): string | null {
  const path = uri.split(/[?#]/, 1)[0];
  // A path whose route depends on who reads it is refused (null: the check answers 422, a
  // denial), never guessed at: dot segments (`/reports/../admin`, `%2e%2e`: resolved by some
  // servers, routed literally by others), a backslash (a slash to the WHATWG parser, not to
  // nginx or Fastify), an escaped slash or backslash (`admin/x%2F..%2Freports`).
  if (path.includes('\\') || /%2f|%5c/i.test(path)) return null;
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..') return null;
    if (segment !== '') segments.push(segment);
  }
  return automaticScope(method.toUpperCase(), [`/${segments.join('/')}`]);
}

function automaticScope(method: string, paths: string[]): string | null {
  const segments = paths
    .flatMap((p) => p.split('/'))
    .filter((s) => s && !s.startsWith(':') && s !== 'api' && !/^v\d+$/.test(s));
  const action = ACTIONS[method];
  if (!segments[0] || !action) return null;
  return normalizeScope(`${segments[0].toLowerCase()}:${action}`);
}
