import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../core/access-policy/route-policy.decorators';
import { OAuthError, OAuthRequest, OAuthTokenService } from './oauth-token.service';
import { Ctx } from '../core/context/ctx.decorator';
import type { RequestContext } from '../core/context/request-context';

/**
 * The OAuth 2.0 endpoints. Public to the guard chain because the client authenticates itself
 * (Basic or body, RFC 6749 §2.3.1), which no Keygate credential format covers; the tenant still
 * comes from the host. Errors are RFC 6749 §5.2 bodies, not Keygate's.
 */
@Controller('oauth')
export class OAuthTokenController {
  constructor(private readonly oauth: OAuthTokenService) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  token(
    @Ctx() ctx: RequestContext,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, () => this.oauth.token(ctx, request(body, headers)));
  }

  @Public()
  @Post('introspect')
  @HttpCode(200)
  introspect(
    @Ctx() ctx: RequestContext,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, () => this.oauth.introspect(ctx, request(body, headers)));
  }

  @Public()
  @Post('revoke')
  @HttpCode(200)
  revoke(
    @Ctx() ctx: RequestContext,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, async () => {
      await this.oauth.revoke(ctx, request(body, headers));
      return {};
    });
  }
}

function request(body: unknown, headers: Record<string, string | undefined>): OAuthRequest {
  return { body, authorization: headers.authorization, apiKey: headers['x-api-key'] };
}

async function answer(reply: FastifyReply, work: () => Promise<unknown>): Promise<unknown> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    void reply.code(error.status);
    if (error.basic) void reply.header('WWW-Authenticate', 'Basic realm="oauth", charset="UTF-8"');
    return { error: error.error, error_description: error.description };
  }
}
