import { Controller, Delete, Get, HttpCode, Param, Req } from '@nestjs/common';
import { AuthenticatedOnly } from '../core/access-policy/route-policy.decorators';
import { currentUser } from '../core/context/current-user';
import { RequestContext } from '../core/context/request-context';
import { ForbiddenError } from '../core/errors';
import type { HttpRequest } from '../core/http/http-request';
import { sessionSecret } from './session-cookie';
import { SessionsService } from './sessions.service';
import { Ctx } from '../core/context/ctx.decorator';

/**
 * A signed-in browser's own sessions. Signing in is `POST /api/v1/auth/session` and logging out
 * `POST /api/v1/auth/logout` (AuthController), beside the token login they share a throttle with.
 */
@AuthenticatedOnly()
@Controller('api/v1/auth')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  /** The current session and its CSRF token (how the dashboard's pages learn it). */
  @Get('session')
  current(@Ctx() ctx: RequestContext, @Req() request: HttpRequest) {
    const me = currentUser(ctx);
    const secret = sessionSecret(request);
    if (!me.viaSession || secret === null) throw ForbiddenError.because('not_a_session');
    return { id: me.credentialId, user_id: me.userId, csrf_token: this.sessions.csrfToken(secret) };
  }

  /**
   * Where the user is signed in (addresses, devices), and signing a device out: for the person
   * at a browser only. A token, whatever its abilities, neither reads those nor ends them.
   */
  @Get('sessions')
  list(@Ctx() ctx: RequestContext) {
    this.assertSession(ctx);
    return this.sessions.list(ctx);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  async revoke(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    this.assertSession(ctx);
    await this.sessions.revoke(ctx, id);
  }

  private assertSession(ctx: RequestContext): void {
    if (!currentUser(ctx).viaSession) throw ForbiddenError.because('not_a_session');
  }
}
