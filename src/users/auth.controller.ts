import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { header, requestHost, type HttpRequest } from '../core/http/http-request';
import { iso } from '../core/common/iso';
import { sessionCookie } from '../sessions/session-cookie';
import { SessionsService } from '../sessions/sessions.service';
import { RequestContext } from '../core/context/request-context';
import { AuthenticatedOnly, Public } from '../core/access-policy/route-policy.decorators';
import { AuthService } from './auth.service';
import { LoginDto, SignInDto } from './dto/login.dto';
import { presentUser } from './user.presenter';
import { UserTokensService } from '../api-keys/user-tokens.service';
import { UsersRepository } from './users.repository';
import { ForbiddenError } from '../core/errors';
import { Ctx } from '../core/context/ctx.decorator';

/** The one thing read of the reply: a header (Fastify's and Express's replies both have it). */
interface Reply {
  header(name: string, value: string): unknown;
}

@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: UserTokensService,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  /** Email and password for a user token; on a tenant host (the tenant still comes from it). */
  @Public()
  @Post('login')
  login(@Ctx() ctx: RequestContext, @Body() dto: LoginDto) {
    return this.auth.login(ctx, dto);
  }

  /**
   * The dashboard's sign-in: a server-side session in an HttpOnly, SameSite=Lax cookie, with the
   * CSRF token its state-changing requests must carry. Throttled with `POST /auth/login`.
   */
  @Public()
  @Post('session')
  async signIn(
    @Ctx() ctx: RequestContext,
    @Body() dto: SignInDto,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) reply: Reply,
  ) {
    assertNotCrossSite(request, requestHost(request, this.config.trustProxy));
    const user = await this.auth.authenticate(ctx, dto);
    const workspaces = await this.auth.workspacesOf(ctx, user.id);
    const ordered = user.currentWorkspaceId ? [user.currentWorkspaceId, ...workspaces] : workspaces;
    const started = await this.sessions.start(ctx, user.id, header(request, 'user-agent'), [
      ...new Set(ordered),
    ]);
    reply.header('Set-Cookie', this.cookie(started.secret, this.config.sessionMaxHours * 3600));
    return {
      session_id: started.session.id,
      csrf_token: started.csrfToken,
      expires_at: iso(started.session.expiresAt),
      user: presentUser(user),
    };
  }

  /**
   * Ends what this request came with: the session (and its cookie) for a signed-in browser, the
   * token otherwise (user tokens only; a workspace key is 403).
   */
  @AuthenticatedOnly()
  @Post('logout')
  @HttpCode(204)
  async logout(@Ctx() ctx: RequestContext, @Res({ passthrough: true }) reply: Reply): Promise<void> {
    if (ctx.principal()?.viaSession) {
      await this.sessions.endCurrent(ctx);
      reply.header('Set-Cookie', this.cookie('', 0));
      return;
    }
    await this.tokens.revokeCurrent(ctx);
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    return sessionCookie(value, { secure: this.config.nodeEnv === 'production', maxAgeSeconds });
  }

  /** The principal: what any valid credential may ask about itself. */
  @AuthenticatedOnly()
  @Get('me')
  async me(@Ctx() ctx: RequestContext) {
    const principal = ctx.principal()!;
    const user = principal.userId ? await this.users.findOne(ctx, { id: principal.userId }) : null;
    const tenant = ctx.tenant();
    const workspace = ctx.workspace();
    return {
      credential_type: principal.viaSession ? 'session' : principal.kind,
      key_id: principal.credentialId,
      prefix: principal.prefix,
      environment: principal.environment,
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      user_id: principal.userId,
      user: user ? { id: user.id, email: user.email, name: user.name, tenant_role: user.tenantRole } : null,
      workspace: workspace ? { id: workspace.id, name: workspace.name } : null,
      scopes: ctx.effectiveScopes(),
    };
  }
}

/**
 * A cross-site page must not be able to sign a visitor in as someone else (login CSRF: what the
 * victim then creates lands in the attacker's account). Sign-in takes JSON only (a cross-site
 * form cannot send it without a CORS preflight, which this app never grants), and a browser that
 * says where the request comes from must say it comes from this very origin; other tenants are
 * other origins (`Sec-Fetch-Site: same-site` is refused too).
 */
function assertNotCrossSite(request: HttpRequest, host: string): void {
  const type = (header(request, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
  const site = header(request, 'sec-fetch-site');
  const origin = header(request, 'origin');
  let foreignOrigin = false;
  if (origin !== null) {
    try {
      foreignOrigin = new URL(origin).hostname.toLowerCase() !== host;
    } catch {
      foreignOrigin = true; // "null" (a sandboxed frame, a file) or anything unreadable
    }
  }
  if (
    type !== 'application/json' ||
    (site !== null && site !== 'same-origin' && site !== 'none') ||
    foreignOrigin
  )
    throw ForbiddenError.because('cross_site_sign_in');
}
