import { Controller, Get, Headers, HttpCode, Res } from '@nestjs/common';
import { AuthenticatedOnly } from '../core/access-policy/route-policy.decorators';
import { assertScope } from '../core/access-policy/scope-rule';
import { RequestContext } from '../core/context/request-context';
import { UnauthenticatedError } from '../core/errors';
import { GatewayHeaders, requiredScope } from './required-scope';
import { Ctx } from '../core/context/ctx.decorator';

/** What a reply must offer here: Fastify's and Express's both have it. */
interface HeaderSink {
  header(name: string, value: string): unknown;
}

/**
 * For gateways (nginx `auth_request`, Envoy `ext_authz`): the guard chain authenticates the
 * presented credential as on any route (401, 403 for an IP or workspace refusal, 429 with the
 * key's budget counted), then the scope the gateway asks about is checked by the one scope rule.
 * 204 with who the caller is, for the gateway to pass upstream.
 */
@Controller('api/v1/auth')
export class AuthCheckController {
  @AuthenticatedOnly()
  @Get('check')
  @HttpCode(204)
  check(
    @Ctx() ctx: RequestContext,
    @Headers() headers: GatewayHeaders,
    @Res({ passthrough: true }) reply: HeaderSink,
  ): void {
    // A browser's dashboard cookie reaches any service on the tenant's host name (cookies ignore
    // ports), and a gateway cannot check its CSRF token: here it is no credential at all.
    if (ctx.principal()?.viaSession) throw new UnauthenticatedError('session_at_gateway');
    const scope = requiredScope(headers);
    const effective = ctx.effectiveScopes();
    if (scope !== null) {
      // A gateway keeps no body of this answer (nginx auth_request), so the scope goes in a header too.
      reply.header('x-keygate-required-scope', scope);
      assertScope(effective, scope);
    }
    const principal = ctx.principal()!;
    reply.header('x-keygate-key-id', principal.credentialId);
    reply.header('x-keygate-workspace-id', ctx.workspace()?.id ?? '');
    reply.header('x-keygate-scopes', effective.join(','));
    reply.header('x-keygate-environment', principal.environment);
    if (principal.userId) reply.header('x-keygate-user-id', principal.userId);
  }
}
