import { INestApplication } from '@nestjs/common';
import { HTTP_CODE_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { describePolicy, RoutePolicy, routeName, routePolicyOf } from '../core/access-policy/route-policy';
import { RoutePolicyRegistry } from '../pipeline/route-policy.registry';
import { dtoSchemas } from './dto-schemas';
import { errorResponses, ERROR_RESPONSES, RESPONSE_HEADERS } from './error-responses';
import {
  CONFLICT_ROUTES,
  ERROR_SCHEMAS,
  OAUTH_ERROR_SCHEMA,
  OAUTH_ROUTES,
  REDIRECT_ONLY_ROUTES,
  REDIRECT_ROUTES,
  RESPONSE_SCHEMAS,
  Schema,
  SUCCESS_BODIES,
  SUCCESS_MEDIA,
} from './schemas';
import { securityOf, securitySchemes } from './security';

type Handler = (...args: never[]) => unknown;
type ControllerClass = abstract new (...args: never[]) => unknown;
type Operation = Record<string, unknown> & { parameters?: Array<Record<string, unknown>> };

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** `/api/v1/api-keys/:id` → `/api/v1/api-keys/{id}`. */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/**
 * The OpenAPI 3.1 document of the running app. @nestjs/swagger lays out the paths from the
 * controllers; then one walk over the route policy registry (the same one the guard chain reads)
 * adds what this API decides in one place rather than per controller: who may call (security,
 * `x-required-scope`, a line of description), the request bodies from the DTOs' validation
 * decorators, and every route's success and error bodies.
 */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const registry = app.get(RoutePolicyRegistry);
  const reflector = app.get(Reflector);
  // The session cookie is a credential once the app can start sessions (the dashboard's sign-in).
  const sessions = [...registry.routes()].some(
    ({ controller, handler }) => routeName(controller, handler) === 'POST /api/v1/auth/session',
  );
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Keygate API')
    .setDescription(
      'Multi-tenant API keys and tokens. The tenant is the left-most label of the host ' +
        '(`acme.localhost:3000` → `acme`); the platform API (`/api/v1/tenants`) lives on the bare ' +
        'base domain. Credentials: `Authorization: Bearer`, `X-API-Key`, or HTTP Basic with the ' +
        'key as user name.',
    )
    .setVersion(version)
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('http://{tenant}.localhost:3000', 'A tenant host (local default)', {
      tenant: { default: 'acme', description: 'The tenant slug' },
    })
    .addServer('http://localhost:3000', 'The platform host (bare BASE_DOMAIN)')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  const bodies = new Map<string, ControllerClass>();
  const tags = new Set<string>();
  const queries = new Set<string>();
  const bodyNames = new Set<string>();
  for (const { controller, handler } of registry.routes()) {
    const route = routeName(controller, handler);
    const [method, path] = route.split(' ');
    const item = (document.paths[openApiPath(path)] ??= {}) as Record<string, Operation>;
    const operation = (item[method.toLowerCase()] ??= {});
    const policy = routePolicyOf(reflector, controller, handler);
    const args = routeArgs(controller, handler);
    for (const tag of (operation.tags as string[] | undefined) ?? []) tags.add(tag);
    describeAccess(operation, policy, sessions, method);
    if (args.body) {
      bodies.set(args.body.name, args.body);
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: ref(args.body.name) } },
      };
    }
    if (args.query) {
      bodies.set(args.query.name, args.query);
      queries.add(args.query.name);
    }
    if (args.body) bodyNames.add(args.body.name);
    if (OAUTH_ROUTES.has(route)) operation.requestBody = oauthRequestBody(route);
    operation.parameters = parameters(operation, path, args.query);
    operation.responses = {
      ...success(route, successStatus(handler, method), policy),
      ...errorResponses({
        policy,
        hasBody: !!args.body || !!args.query,
        hasPathParams: path.includes(':'),
        conflicts: CONFLICT_ROUTES.has(route),
        csrf: sessions && !['GET', 'HEAD'].includes(method),
        oauth: OAUTH_ROUTES.has(route),
      }),
    };
  }
  const dtos = dtoSchemas(bodies.values());
  for (const operation of operations(document)) expandQuery(operation, dtos);
  // A query DTO lives on as its parameters; only bodies (and what they nest) stay as schemas.
  for (const name of queries) if (!referencedByBodies(dtos, bodyNames).has(name)) delete dtos[name];
  document.components = {
    schemas: {
      ...ERROR_SCHEMAS,
      OAuthError: OAUTH_ERROR_SCHEMA,
      OAuthBadRequestError: { anyOf: [ref('OAuthError'), ref('Error')] },
      ...RESPONSE_SCHEMAS,
      ...dtos,
    },
    responses: Object.fromEntries(
      Object.entries(ERROR_RESPONSES).filter(([name]) => sessions || name !== 'CsrfMismatch'),
    ) as never,
    headers: RESPONSE_HEADERS as never,
    securitySchemes: securitySchemes(sessions) as never,
  };
  document.tags = [...tags]
    .sort()
    .map((name) => ({ name, description: TAGS[name] ?? `The ${name} routes.` }));
  return document;
}

/** Names that are bodies or nested in one (a DTO used both as a query and a body stays). */
function referencedByBodies(dtos: Record<string, Schema>, bodies: Set<string>): Set<string> {
  const text = JSON.stringify([...bodies].map((name) => dtos[name]));
  return new Set([...bodies, ...Object.keys(dtos).filter((name) => text.includes(`/${name}"`))]);
}

const TAGS: Record<string, string> = {
  ApiKeys: 'Workspace API keys: create, list, rotate, revoke (the plaintext is shown once).',
  Verify: 'Verification for other services (POST /keys/verify).',
  Auth: 'Sign in for a user token, sign out, and who the caller is.',
  AuthCheck: 'For gateways: nginx auth_request, Envoy ext_authz.',
  Me: "The signed-in user's own profile and tokens.",
  Users: 'Users of the tenant.',
  Workspaces: 'Workspaces of the tenant.',
  Members: 'Memberships of a workspace.',
  Roles: 'Built-in and custom roles.',
  Scopes: 'The scope catalog and custom scopes.',
  AuditLogs: 'The audit log.',
  Tenants: 'The platform API (bare BASE_DOMAIN host, platform keys).',
  Health: 'For load balancers.',
  Dashboard: 'The dashboard’s pages (HTML); without a session they send the browser to /login.',
  Assets: 'The dashboard’s CSS and JavaScript, under content-hashed names.',
  Sessions: 'A signed-in browser’s own sessions (the dashboard’s cookie credential).',
  KeyImport: 'Imports of legacy credentials into the active workspace.',
  Metrics: 'Prometheus text for operators (platform key, bare BASE_DOMAIN host).',
  OAuthClients: 'OAuth 2.0 clients of the active workspace (client credentials grant).',
  OAuthToken: 'The OAuth 2.0 token, introspection (RFC 7662) and revocation (RFC 7009) endpoints.',
  OpenApi: 'This document and its interactive documentation.',
  Invoices: 'An example of routes protected with @RequireScope.',
  Clients: 'An example of automatic scopes (@AutoScope).',
  Ping: 'An example of a public and a protected route.',
};

function describeAccess(operation: Operation, policy: RoutePolicy, sessions: boolean, method: string): void {
  const access = describePolicy(policy);
  operation.security = securityOf(policy, sessions, method);
  operation['x-keygate-access'] = access;
  if (policy.kind === 'scope') operation['x-required-scope'] = policy.scope;
  const line =
    policy.kind === 'scope'
      ? `Requires scope \`${policy.scope}\`${policy.requireWorkspace ? ' in the active workspace' : ''}.`
      : policy.kind === 'public'
        ? `Public${policy.anyHost ? ', on any host' : ''}.`
        : policy.kind === 'platform'
          ? 'Platform key, on the bare BASE_DOMAIN host.'
          : `Any valid credential${policy.requireWorkspace ? ', in a workspace' : ''}.`;
  const existing =
    typeof operation.description === 'string' && operation.description ? `\n\n${operation.description}` : '';
  operation.description = `${line}${existing}`;
  operation.summary ??= summaryOf(operation);
}

function summaryOf(operation: Operation): string {
  const id = typeof operation.operationId === 'string' ? operation.operationId : 'operation';
  return id
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

function routeArgs(
  controller: ControllerClass,
  handler: Handler,
): { body?: ControllerClass; query?: ControllerClass } {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, handler.name) ??
    []) as ControllerClass[];
  const found: { body?: ControllerClass; query?: ControllerClass } = {};
  for (const [key, arg] of Object.entries(args)) {
    const kind = Number(key.split(':')[0]) as RouteParamtypes;
    const type = types[arg.index];
    const isDto =
      typeof type === 'function' && ![String, Number, Boolean, Object, Array].includes(type as never);
    if (!isDto || arg.data !== undefined) continue;
    if (kind === RouteParamtypes.BODY) found.body = type;
    if (kind === RouteParamtypes.QUERY) found.query = type;
  }
  return found;
}

/** Path parameters from the route (always strings here), then the query DTO's (expanded later). */
function parameters(
  operation: Operation,
  path: string,
  query?: ControllerClass,
): Array<Record<string, unknown>> {
  const names = [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
  const pathParams = names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const rest = (operation.parameters ?? []).filter((p) => p.in !== 'path' && p.in !== 'query');
  return [...pathParams, ...rest, ...(query ? [{ 'x-query-dto': query.name }] : [])];
}

function expandQuery(operation: Operation, dtos: Record<string, Schema>): void {
  const marker = operation.parameters?.find((p) => typeof p['x-query-dto'] === 'string');
  if (!marker) return;
  const schema = dtos[marker['x-query-dto'] as string] as {
    properties?: Record<string, Schema>;
    required?: string[];
  };
  const query = Object.entries(schema.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: (schema.required ?? []).includes(name),
    schema: s,
  }));
  operation.parameters = [...operation.parameters!.filter((p) => p !== marker), ...query];
}

function successStatus(handler: Handler, method: string): number {
  const explicit = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
  return explicit ?? (method === 'POST' ? 201 : 200);
}

function success(route: string, status: number, policy: RoutePolicy): Record<string, unknown> {
  const counted = policy.kind === 'scope' || policy.kind === 'authenticated';
  const headers = {
    'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
    ...(counted
      ? {
          'X-RateLimit-Limit': { $ref: '#/components/headers/X-RateLimit-Limit' },
          'X-RateLimit-Remaining': { $ref: '#/components/headers/X-RateLimit-Remaining' },
          'X-RateLimit-Reset': { $ref: '#/components/headers/X-RateLimit-Reset' },
        }
      : {}),
  };
  if (status === 204) return { '204': { description: 'Done; no body.', headers } };
  const redirect = REDIRECT_ROUTES.has(route)
    ? {
        '302': {
          description: 'To /login without a session, to the settings with one; no body.',
          headers: { ...headers, Location: { $ref: '#/components/headers/Location' } },
        },
      }
    : {};
  if (REDIRECT_ONLY_ROUTES.has(route)) return redirect;
  const media = SUCCESS_MEDIA[route];
  if (media)
    return {
      [String(status)]: {
        description: 'Success.',
        headers,
        content: Object.fromEntries(media.map((type) => [type, { schema: { type: 'string' } }])),
      },
      ...redirect,
    };
  const body = SUCCESS_BODIES[route] ?? (route.includes('/api/v1/') ? 'Example' : undefined);
  return {
    [String(status)]: {
      description: 'Success.',
      headers,
      content: { 'application/json': { schema: body ? ref(body) : { type: 'object' } } },
    },
  };
}

/** The OAuth endpoints take a form (RFC 6749) or the same fields as JSON. */
function oauthRequestBody(route: string): Record<string, unknown> {
  const secret = {
    client_id: {
      type: 'string',
      description: 'With client_secret: the client in the body, instead of Basic.',
    },
    client_secret: { type: 'string' },
  };
  const properties: Record<string, Schema> =
    route === 'POST /oauth/token'
      ? {
          grant_type: { const: 'client_credentials' },
          scope: { type: 'string', description: 'Space-separated; the client’s scopes when absent.' },
          ...secret,
        }
      : { token: { type: 'string' }, ...secret };
  const required = route === 'POST /oauth/token' ? ['grant_type'] : ['token'];
  const schema = { type: 'object', properties, required };
  return {
    required: true,
    content: { 'application/x-www-form-urlencoded': { schema }, 'application/json': { schema } },
  };
}

function* operations(document: OpenAPIObject): Generator<Operation> {
  for (const item of Object.values(document.paths))
    for (const [method, operation] of Object.entries(item as Record<string, unknown>))
      if (['get', 'put', 'post', 'patch', 'delete', 'head', 'options'].includes(method))
        yield operation as Operation;
}
