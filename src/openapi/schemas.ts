/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 has them) of what the API answers: the bodies of
 * product.md's "Errors", and the success bodies of the routes. Request bodies are not here: they
 * come from the DTOs' validation decorators (dto-schemas.ts), so they cannot drift from what the
 * validation pipe accepts.
 */
import { AccessErrorCode } from '../access/access.errors';
import { ApiKeyErrorCode } from '../api-keys/api-key.errors';

export type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: 'string' };
const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, 'null'], ...extra });
const dateTime: Schema = { type: 'string', format: 'date-time' };
const nullableDateTime: Schema = { type: ['string', 'null'], format: 'date-time' };
const strings: Schema = { type: 'array', items: str };
const object = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({
  type: 'object',
  properties,
  required,
});

export const pageOf = (item: string): Schema =>
  object({ data: { type: 'array', items: ref(item) }, next_cursor: nullable('string') });

const rateLimit = nullable('object', {
  properties: { limit: { type: 'integer' }, window_seconds: { type: 'integer' } },
  required: ['limit', 'window_seconds'],
});

/** Error bodies: `message` always; the rest where product.md says. */
export const ERROR_SCHEMAS: Record<string, Schema> = {
  Error: object({ message: str }),
  ForbiddenError: object(
    {
      message: { const: 'This action is unauthorized.' },
      reason: {
        type: 'string',
        description: 'Why, when the caller can fix it (ip_not_allowed, tenant_suspended…).',
      },
      required_scope: {
        type: 'string',
        description: 'The scope the route requires and the credential lacks.',
      },
      provided_scopes: { ...strings, description: 'The effective scopes the credential has here.' },
    },
    ['message'],
  ),
  DomainError: object(
    {
      message: str,
      code: {
        type: 'string',
        // Every 409 code there is (a code missing from the filter's table does not compile).
        enum: [...Object.values(ApiKeyErrorCode), ...Object.values(AccessErrorCode)],
      },
    },
    ['message', 'code'],
  ),
  ValidationError: object({
    message: { const: 'The given data was invalid.' },
    errors: {
      type: 'object',
      additionalProperties: strings,
      description: 'What is wrong, per field.',
    },
  }),
};

const key = object({
  id: str,
  name: str,
  prefix: { type: 'string', description: 'Type, environment and public key id: safe to show.' },
  environment: { enum: ['live', 'test'] },
  workspace_id: nullable('string'),
  scopes: strings,
  ip_allowlist: strings,
  rate_limit_tier: nullable('string'),
  rate_limit: rateLimit,
  expires_at: nullableDateTime,
  last_used_at: nullableDateTime,
  revoked_at: nullableDateTime,
  rotated_from_id: nullable('string'),
  created_at: dateTime,
  status: { enum: ['active', 'expired', 'revoked'] },
});

const withSecret = (base: string, field: string, description: string): Schema => ({
  allOf: [ref(base), object({ [field]: { type: 'string', description } })],
});

/** Success bodies, by component name. */
export const RESPONSE_SCHEMAS: Record<string, Schema> = {
  ApiKey: key,
  ApiKeyWithSecret: withSecret('ApiKey', 'key', 'The plaintext key: returned this once, never again.'),
  RotatedApiKey: {
    allOf: [
      ref('ApiKeyWithSecret'),
      object({ old_key: { ...ref('ApiKey'), description: 'The rotated key, with its end of grace.' } }),
    ],
  },
  ApiKeyPage: pageOf('ApiKey'),
  VerifyResult: object({
    valid: { type: 'boolean' },
    code: {
      enum: ['VALID', 'NOT_FOUND', 'EXPIRED', 'REVOKED', 'FORBIDDEN', 'INSUFFICIENT_SCOPES', 'RATE_LIMITED'],
    },
    key_id: nullable('string'),
    credential_type: { enum: ['workspace_key', 'user_token', null] },
    user_id: nullable('string', { description: 'Set for user tokens.' }),
    workspace_id: nullable('string'),
    environment: { enum: ['live', 'test', null] },
    scopes: {
      ...strings,
      description: "Effective scopes (a user token's abilities within its user's permissions).",
    },
    expires_at: nullableDateTime,
    ratelimit: nullable('object', {
      properties: {
        limit: nullable('integer'),
        window_seconds: { type: 'integer' },
        remaining: { type: 'integer' },
        reset: { type: 'integer', description: 'Unix seconds.' },
      },
      required: ['limit', 'window_seconds'],
    }),
  }),
  Principal: object({
    credential_type: { enum: ['workspace_key', 'user_token', 'session'] },
    key_id: str,
    prefix: str,
    environment: { enum: ['live', 'test'] },
    tenant: object({ id: str, slug: str, name: str }),
    user_id: nullable('string'),
    user: nullable('object', {
      properties: { id: str, email: str, name: str, tenant_role: nullable('string') },
      required: ['id', 'email', 'name'],
    }),
    workspace: nullable('object', { properties: { id: str, name: str }, required: ['id', 'name'] }),
    scopes: strings,
  }),
  Login: object(
    { token: str, token_type: { const: 'Bearer' }, token_id: str, expires_at: nullableDateTime },
    ['token', 'token_type', 'token_id'],
  ),
  UserToken: object(
    {
      id: str,
      name: str,
      prefix: str,
      abilities: strings,
      expires_at: nullableDateTime,
      last_used_at: nullableDateTime,
      created_at: dateTime,
      status: { enum: ['active', 'expired'] },
      current: { type: 'boolean' },
    },
    ['id', 'name', 'prefix', 'abilities', 'expires_at', 'created_at'],
  ),
  UserTokenPage: pageOf('UserToken'),
  User: object(
    {
      id: str,
      email: str,
      name: str,
      status: str,
      tenant_role: nullable('string'),
      current_workspace_id: nullable('string'),
      created_at: dateTime,
      updated_at: dateTime,
    },
    ['id', 'email', 'name', 'status', 'created_at'],
  ),
  UserPage: pageOf('User'),
  UserList: object({ data: { type: 'array', items: ref('User') } }, ['data']),
  Workspace: object({ id: str, name: str, status: str, created_at: dateTime, updated_at: dateTime }, [
    'id',
    'name',
    'status',
    'created_at',
  ]),
  WorkspacePage: pageOf('Workspace'),
  Membership: object(
    {
      id: str,
      workspace_id: str,
      user_id: str,
      role: str,
      user: nullable('object', { properties: { id: str, email: str, name: str, status: str } }),
      created_at: dateTime,
      updated_at: dateTime,
    },
    ['id', 'workspace_id', 'user_id', 'role'],
  ),
  MembershipPage: pageOf('Membership'),
  Role: object({
    id: nullable('string', { description: 'null for built-in roles.' }),
    name: str,
    description: nullable('string'),
    permissions: strings,
    built_in: { type: 'boolean' },
    created_at: nullableDateTime,
    updated_at: nullableDateTime,
  }),
  RoleList: object({ data: { type: 'array', items: ref('Role') } }, ['data']),
  Tenant: object({ id: str, slug: str, name: str, status: str, created_at: dateTime, updated_at: dateTime }, [
    'id',
    'slug',
    'name',
    'status',
  ]),
  TenantPage: pageOf('Tenant'),
  ProvisionedTenant: object({
    tenant: ref('Tenant'),
    owner: ref('User'),
    workspace: ref('Workspace'),
    token: { type: 'string', description: "The owner's user token: returned this once." },
  }),
  Scope: object({ name: str, description: nullable('string') }, ['name']),
  ScopeList: object({ data: { type: 'array', items: ref('Scope') } }, ['data']),
  AuditLog: object(
    {
      id: str,
      action: str,
      actor_type: nullable('string'),
      actor_id: nullable('string'),
      target_type: nullable('string'),
      target_id: nullable('string'),
      workspace_id: nullable('string'),
      ip: nullable('string'),
      metadata: {},
      created_at: dateTime,
    },
    ['id', 'action', 'created_at'],
  ),
  AuditLogPage: pageOf('AuditLog'),
  Health: object(
    {
      status: { enum: ['ok', 'degraded'] },
      database: { enum: ['up', 'down'] },
      driver: str,
      redis: { enum: ['up', 'down', 'not_configured'] },
    },
    ['status', 'database'],
  ),
  Liveness: object({ status: { const: 'live' } }),
  Readiness: object(
    {
      status: { enum: ['ready', 'not_ready'] },
      database: { enum: ['up', 'down'] },
      redis: { enum: ['up', 'down', 'not_configured'] },
      shutting_down: { const: true },
    },
    ['status', 'database', 'redis'],
  ),
  SignedIn: object({
    session_id: str,
    csrf_token: {
      type: 'string',
      description: 'Send it as `X-CSRF-Token` (or a `_csrf` form field) on state-changing requests.',
    },
    expires_at: dateTime,
    user: ref('User'),
  }),
  CurrentSession: object({ id: str, user_id: str, csrf_token: str }),
  Session: object({
    id: str,
    ip: nullable('string'),
    user_agent: nullable('string'),
    created_at: dateTime,
    last_seen_at: dateTime,
    expires_at: dateTime,
    current: { type: 'boolean', description: 'The session this request came with.' },
  }),
  SessionList: object({ data: { type: 'array', items: ref('Session') } }, ['data']),
  ImportReport: object({
    format: str,
    imported: { type: 'integer', description: 'Rows imported by this run.' },
    skipped: { ...strings, description: 'Legacy ids an earlier run imported: left as they are.' },
    refused: {
      type: 'array',
      description: 'Empty on success (a refused row refuses the whole dump with 422).',
      items: object({ row: { type: 'integer' }, id: nullable('string'), reason: str }),
    },
  }),
  OAuthClient: object({
    id: str,
    name: str,
    client_id: str,
    workspace_id: str,
    scopes: strings,
    created_at: dateTime,
  }),
  OAuthClientWithSecret: withSecret(
    'OAuthClient',
    'client_secret',
    'The client secret: returned this once, never again.',
  ),
  OAuthClientPage: pageOf('OAuthClient'),
  OAuthToken: object({
    access_token: str,
    token_type: { const: 'Bearer' },
    expires_in: { type: 'integer', description: 'Seconds.' },
    scope: { type: 'string', description: 'Space-separated scopes.' },
  }),
  OAuthIntrospection: object(
    {
      active: { type: 'boolean' },
      scope: str,
      client_id: nullable('string'),
      token_type: { const: 'Bearer' },
      exp: nullable('integer', { description: 'Unix seconds.' }),
      iat: { type: 'integer', description: 'Unix seconds.' },
      sub: nullable('string'),
      workspace_id: nullable('string'),
    },
    ['active'],
  ),
  OAuthRevoked: { type: 'object', maxProperties: 0, description: 'RFC 7009: 200 with an empty object.' },
  Example: { type: 'object', description: 'An example controller’s answer (src/examples).' },
};

/** RFC 6749 §5.2: the error body of the OAuth endpoints (`/oauth/*`), instead of `{message}`. */
export const OAUTH_ERROR_SCHEMA: Schema = object({
  error: { enum: ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope'] },
  error_description: str,
});

/** The success body of each route that has one, by route name (routes absent here answer 204 or an example). */
export const SUCCESS_BODIES: Record<string, string> = {
  'POST /api/v1/api-keys': 'ApiKeyWithSecret',
  'GET /api/v1/api-keys': 'ApiKeyPage',
  'GET /api/v1/api-keys/:id': 'ApiKey',
  'PATCH /api/v1/api-keys/:id': 'ApiKey',
  'POST /api/v1/api-keys/:id/rotate': 'RotatedApiKey',
  'POST /api/v1/api-keys/:id/revoke': 'ApiKey',
  'POST /api/v1/api-keys/revoke': 'ApiKey',
  'POST /api/v1/keys/verify': 'VerifyResult',
  'GET /api/v1/auth/me': 'Principal',
  'POST /api/v1/auth/login': 'Login',
  'GET /api/v1/users/me/tokens': 'UserTokenPage',
  'POST /api/v1/users/me/tokens': 'UserToken',
  'GET /api/v1/users/me': 'User',
  'PUT /api/v1/users/me/current-workspace': 'User',
  'GET /api/v1/users': 'UserPage',
  'GET /api/v1/users/search': 'UserList',
  'POST /api/v1/users': 'User',
  'GET /api/v1/users/:id': 'User',
  'PATCH /api/v1/users/:id': 'User',
  'POST /api/v1/users/:id/deactivate': 'User',
  'POST /api/v1/users/:id/reactivate': 'User',
  'GET /api/v1/workspaces': 'WorkspacePage',
  'POST /api/v1/workspaces': 'Workspace',
  'GET /api/v1/workspaces/:id': 'Workspace',
  'PATCH /api/v1/workspaces/:id': 'Workspace',
  'POST /api/v1/workspaces/:id/suspend': 'Workspace',
  'POST /api/v1/workspaces/:id/resume': 'Workspace',
  'GET /api/v1/workspaces/:id/members': 'MembershipPage',
  'POST /api/v1/workspaces/:id/members': 'Membership',
  'PATCH /api/v1/workspaces/:id/members/:userId': 'Membership',
  'GET /api/v1/roles': 'RoleList',
  'GET /api/v1/roles/:id': 'Role',
  'POST /api/v1/roles': 'Role',
  'PATCH /api/v1/roles/:id': 'Role',
  'GET /api/v1/tenants': 'TenantPage',
  'POST /api/v1/tenants': 'ProvisionedTenant',
  'GET /api/v1/tenants/:id': 'Tenant',
  'PATCH /api/v1/tenants/:id': 'Tenant',
  'POST /api/v1/tenants/:id/suspend': 'Tenant',
  'POST /api/v1/tenants/:id/resume': 'Tenant',
  'GET /api/v1/scopes': 'ScopeList',
  'POST /api/v1/scopes': 'Scope',
  'GET /api/v1/audit-logs': 'AuditLogPage',
  'GET /health': 'Health',
  'GET /health/live': 'Liveness',
  'GET /health/ready': 'Readiness',
  'POST /api/v1/auth/session': 'SignedIn',
  'GET /api/v1/auth/session': 'CurrentSession',
  'GET /api/v1/auth/sessions': 'SessionList',
  'POST /api/v1/api-keys/import': 'ImportReport',
  'POST /api/v1/oauth-clients': 'OAuthClientWithSecret',
  'GET /api/v1/oauth-clients': 'OAuthClientPage',
  'GET /api/v1/oauth-clients/:id': 'OAuthClient',
  'POST /oauth/token': 'OAuthToken',
  'POST /oauth/introspect': 'OAuthIntrospection',
  'POST /oauth/revoke': 'OAuthRevoked',
};

/**
 * Routes that answer something other than JSON on success: a page, an asset, Prometheus text
 * (each a string in the media types listed), and the dashboard's pages that redirect (302 with
 * `Location`: to /login without a session, to the settings with one).
 */
export const SUCCESS_MEDIA: Record<string, string[]> = {
  'GET /login': ['text/html'],
  'GET /settings/api-tokens': ['text/html'],
  'GET /settings/api-keys': ['text/html'],
  'GET /settings/audit': ['text/html'],
  'GET /assets/:file': ['text/css', 'text/javascript', 'image/svg+xml'],
  'GET /metrics': ['text/plain'],
};

export const REDIRECT_ROUTES = new Set([
  'GET /',
  'GET /login',
  'GET /settings/api-tokens',
  'GET /settings/api-keys',
  'GET /settings/audit',
]);

/** Routes that answer 302 and never 200 (`GET /` sends to /login or to the settings). */
export const REDIRECT_ONLY_ROUTES = new Set(['GET /']);

/** The OAuth 2.0 endpoints: RFC 6749 §5.2 errors, client authentication in the request. */
export const OAUTH_ROUTES = new Set(['POST /oauth/token', 'POST /oauth/introspect', 'POST /oauth/revoke']);

/** Routes that can refuse with a module's own rule (409 with `code`): the DomainErrors they throw. */
export const CONFLICT_ROUTES = new Set([
  'POST /api/v1/api-keys/:id/rotate',
  'PATCH /api/v1/api-keys/:id',
  'DELETE /api/v1/roles/:id',
]);
