import type { RoutePolicy } from '../core/access-policy/route-policy';

const json = (schema: string, example: Record<string, unknown>) => ({
  'application/json': { schema: { $ref: `#/components/schemas/${schema}` }, example },
});

/** The error answers of product.md ("Errors"), once, referred to by every operation. */
export const ERROR_RESPONSES: Record<string, unknown> = {
  BadRequest: {
    description: 'Malformed JSON, a body nested too deeply, or two Host or Authorization lines.',
    content: json('Error', { message: 'Malformed JSON.' }),
  },
  Unauthenticated: {
    description:
      'The same for every failed credential: missing, malformed, unknown, expired, revoked, another tenant’s.',
    content: json('Error', { message: 'Unauthenticated.' }),
  },
  Forbidden: {
    description:
      'A missing scope (`required_scope`, `provided_scopes`), or a refusal the caller can fix (`reason`: ip_not_allowed, workspace_suspended, test_credential…).',
    content: json('ForbiddenError', {
      message: 'This action is unauthorized.',
      required_scope: 'api-keys:create',
      provided_scopes: ['api-keys:read'],
    }),
  },
  NotFound: {
    description: 'No such resource in this tenant (another tenant’s id too), or an unknown tenant host.',
    content: json('Error', { message: 'Not Found.' }),
  },
  Conflict: {
    description: 'A rule of the resource’s state, named by `code`.',
    content: json('DomainError', {
      message: 'This key has already been rotated.',
      code: 'API_KEY_ALREADY_ROTATED',
    }),
  },
  PayloadTooLarge: {
    description: 'The body is over the limit.',
    content: json('Error', { message: 'Payload Too Large.' }),
  },
  CsrfMismatch: {
    description: 'A state-changing request with the session cookie and without its CSRF token.',
    content: json('Error', { message: 'CSRF token mismatch.' }),
  },
  Invalid: {
    description: 'The body or query failed validation.',
    content: json('ValidationError', {
      message: 'The given data was invalid.',
      errors: { name: ['name must be a string'] },
    }),
  },
  TooManyRequests: {
    description: 'Over the key’s rate limit, or too many failed authentications from this address.',
    headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } },
    content: json('Error', { message: 'Too Many Attempts.' }),
  },
  OAuthBadRequest: {
    description:
      'RFC 6749 §5.2 (`invalid_request`, `invalid_scope`, `unsupported_grant_type`), or malformed JSON (`{message}`).',
    content: json('OAuthBadRequestError', {
      error: 'invalid_request',
      error_description: 'grant_type is required',
    }),
  },
  OAuthUnauthenticated: {
    description:
      'RFC 6749 §5.2 `invalid_client`: the client (or the introspecting key) failed to authenticate; a `WWW-Authenticate: Basic` challenge when it tried Basic.',
    headers: { 'WWW-Authenticate': { $ref: '#/components/headers/WWW-Authenticate' } },
    content: json('OAuthError', {
      error: 'invalid_client',
      error_description: 'client authentication failed',
    }),
  },
  Unavailable: {
    description: 'The database cannot be reached right now; try again.',
    content: json('Error', { message: 'Service Unavailable.' }),
  },
};

const header = (description: string, type = 'string') => ({ description, schema: { type } });

export const RESPONSE_HEADERS: Record<string, unknown> = {
  'X-Request-Id': header('The request id (the caller’s own when it sent a sane one).'),
  'X-RateLimit-Limit': header('Requests allowed in the key’s window.', 'integer'),
  'X-RateLimit-Remaining': header('Requests left in the window.', 'integer'),
  'X-RateLimit-Reset': header('When the window ends, in Unix seconds.', 'integer'),
  'Retry-After': header('Seconds to wait.', 'integer'),
  'WWW-Authenticate': header('`Basic realm="oauth", charset="UTF-8"` when the client tried Basic.'),
  Location: header('Where the page sends the browser.'),
};

export interface ErrorFacts {
  policy: RoutePolicy;
  hasBody: boolean;
  hasPathParams: boolean;
  conflicts: boolean;
  csrf: boolean;
  /** An OAuth 2.0 endpoint: its 400 and 401 are RFC 6749 §5.2 bodies. */
  oauth?: boolean;
}

const use = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** Which error answers an operation can give, from its policy and shape. */
export function errorResponses(facts: ErrorFacts): Record<string, unknown> {
  const { policy } = facts;
  const anyHost = policy.kind === 'public' && policy.anyHost;
  const credential = policy.kind !== 'public';
  // A public route that takes a body is a sign-in (`POST /auth/login`): a wrong password is 401.
  const mayBe401 = credential || facts.hasBody;
  const out: Record<string, unknown> = { '400': use('BadRequest') };
  if (mayBe401) out['401'] = use('Unauthenticated');
  // Public tenant routes can still be 403: a suspended tenant.
  if (!anyHost) out['403'] = use('Forbidden');
  if (!anyHost || facts.hasPathParams) out['404'] = use('NotFound');
  if (facts.conflicts) out['409'] = use('Conflict');
  if (facts.hasBody) out['413'] = use('PayloadTooLarge');
  if (facts.csrf && policy.kind !== 'platform' && credential) out['419'] = use('CsrfMismatch');
  if (facts.hasBody) out['422'] = use('Invalid');
  if (!anyHost) out['429'] = use('TooManyRequests');
  if (!anyHost) out['503'] = use('Unavailable');
  if (facts.oauth) {
    out['400'] = use('OAuthBadRequest');
    out['401'] = use('OAuthUnauthenticated');
  }
  return out;
}
