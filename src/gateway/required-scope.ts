import { scopeOfRequest } from '../core/access-policy/route-scope';
import { normalizeScope } from '../core/access-policy/scope-names';
import { InvalidInputError } from '../core/errors';

/** The request headers a gateway sends to /api/v1/auth/check (lower-case names, as Node has them). */
export type GatewayHeaders = Record<string, string | string[] | undefined>;

const single = (headers: GatewayHeaders, name: string): string | undefined => {
  const value = headers[name];
  if (Array.isArray(value)) throw InvalidInputError.field(name, `Send one ${name} header, not several.`);
  return value === undefined || value.trim() === '' ? undefined : value.trim();
};

/**
 * The scope a gateway asks about: `X-Required-Scope` (one concrete scope), else the automatic
 * scope of `X-Original-Method` + `X-Original-URI` (as @AutoScope derives it), else none (any
 * valid credential). A header that names no usable scope is 422: a gateway misconfiguration must
 * not quietly turn into "any key will do".
 */
export function requiredScope(headers: GatewayHeaders): string | null {
  const explicit = single(headers, 'x-required-scope');
  if (explicit !== undefined) {
    const scope = normalizeScope(explicit);
    if (!scope || scope.includes('*'))
      throw InvalidInputError.field(
        'x-required-scope',
        "X-Required-Scope must be one concrete scope such as 'reports:read'.",
      );
    return scope;
  }
  const uri = single(headers, 'x-original-uri');
  const method = single(headers, 'x-original-method');
  if (uri === undefined && method === undefined) return null;
  if (uri === undefined || method === undefined)
    throw InvalidInputError.field(
      uri === undefined ? 'x-original-uri' : 'x-original-method',
      'X-Original-Method and X-Original-URI go together.',
    );
  const scope = scopeOfRequest(method, uri);
  if (!scope)
    throw InvalidInputError.field(
      'x-original-uri',
      'No scope follows from X-Original-Method and X-Original-URI (a path such as /api/v1/reports and GET, POST, PUT, PATCH or DELETE); send X-Required-Scope instead.',
    );
  return scope;
}
