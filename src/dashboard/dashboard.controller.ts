import { Controller, Get, Req, Res } from '@nestjs/common';
import { PermissionResolver } from '../access/permission-resolver';
import { Public } from '../core/access-policy/route-policy.decorators';
import { RequestContext } from '../core/context/request-context';
import type { HttpRequest } from '../core/http/http-request';
import { sessionSecret } from '../sessions/session-cookie';
import { SessionsService } from '../sessions/sessions.service';
import { AssetBundle } from './asset-bundle';
import { CONTENT_SECURITY_POLICY, HtmlReply, PageId, renderPage } from './page-shell';
import { Ctx } from '../core/context/ctx.decorator';

/**
 * The dashboard's pages on every tenant host. Public routes (a page without a session redirects
 * to /login rather than answering 401); what they show comes from the REST API, called by the
 * page's script with the session cookie and its CSRF token, with the caller's own permissions.
 */
@Public()
@Controller()
export class DashboardController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly assets: AssetBundle,
    private readonly permissions: PermissionResolver,
  ) {}

  @Get()
  async home(
    @Ctx() ctx: RequestContext,
    @Req() request: HttpRequest,
    @Res() reply: HtmlReply,
  ): Promise<void> {
    redirect(reply, (await this.signedIn(ctx, request)) ? '/settings/api-tokens' : '/login');
  }

  @Get('login')
  async login(
    @Ctx() ctx: RequestContext,
    @Req() request: HttpRequest,
    @Res() reply: HtmlReply,
  ): Promise<void> {
    if (await this.signedIn(ctx, request)) return redirect(reply, '/settings/api-tokens');
    this.page(ctx, reply, 'login');
  }

  @Get('settings/api-tokens')
  apiTokens(@Ctx() ctx: RequestContext, @Req() request: HttpRequest, @Res() reply: HtmlReply): Promise<void> {
    return this.settings(ctx, request, reply, 'api-tokens');
  }

  @Get('settings/api-keys')
  apiKeys(@Ctx() ctx: RequestContext, @Req() request: HttpRequest, @Res() reply: HtmlReply): Promise<void> {
    return this.settings(ctx, request, reply, 'api-keys');
  }

  @Get('settings/audit')
  audit(@Ctx() ctx: RequestContext, @Req() request: HttpRequest, @Res() reply: HtmlReply): Promise<void> {
    return this.settings(ctx, request, reply, 'audit');
  }

  private async settings(
    ctx: RequestContext,
    request: HttpRequest,
    reply: HtmlReply,
    page: PageId,
  ): Promise<void> {
    if (!(await this.signedIn(ctx, request))) return redirect(reply, '/login');
    this.page(ctx, reply, page);
  }

  /**
   * A live session of this tenant behind the cookie (another tenant's is none), of a user still
   * active (the API refuses a deactivated one, and its pages must not bounce between two URLs).
   */
  private async signedIn(ctx: RequestContext, request: HttpRequest): Promise<boolean> {
    const secret = sessionSecret(request);
    const session = secret === null ? null : await this.sessions.resolve(ctx, secret);
    if (!session) return false;
    const access = await this.permissions.access(ctx, ctx.tenantId(), session.userId);
    return access?.status === 'active';
  }

  private page(ctx: RequestContext, reply: HtmlReply, page: PageId): void {
    const html = renderPage({
      page,
      tenantName: ctx.tenant().name,
      css: this.assets.url('dashboard.css'),
      js: this.assets.url('dashboard.js'),
      icon: this.assets.url('favicon.svg'),
    });
    reply
      .code(200)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      .header('Referrer-Policy', 'same-origin')
      .header('X-Frame-Options', 'DENY')
      .send(html);
  }
}

function redirect(reply: HtmlReply, to: string): void {
  reply.code(302).header('Location', to).send('');
}
