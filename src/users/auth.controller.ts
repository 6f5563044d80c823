import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { RequestContext } from '../core/context/request-context';
import { AuthenticatedOnly, Public } from '../core/access-policy/route-policy.decorators';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { UserTokensService } from '../api-keys/user-tokens.service';
import { UsersRepository } from './users.repository';

@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly context: RequestContext,
    private readonly auth: AuthService,
    private readonly tokens: UserTokensService,
    private readonly users: UsersRepository,
  ) {}

  /** Email and password for a user token; on a tenant host (the tenant still comes from it). */
  @Public()
  @Post('login')
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto);
  }

  /** Revokes the token this request came with (user tokens only; a workspace key is 403). */
  @AuthenticatedOnly()
  @Post('logout')
  @HttpCode(204)
  async logout(): Promise<void> {
    await this.tokens.revokeCurrent();
  }

  /** The principal: what any valid credential may ask about itself. */
  @AuthenticatedOnly()
  @Get('me')
  async me() {
    const principal = this.context.principal()!;
    const user = principal.userId ? await this.users.findOne({ id: principal.userId }) : null;
    const tenant = this.context.tenant();
    const workspace = this.context.workspace();
    return {
      credential_type: principal.kind,
      key_id: principal.credentialId,
      prefix: principal.prefix,
      environment: principal.environment,
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      user_id: principal.userId,
      user: user ? { id: user.id, email: user.email, name: user.name, tenant_role: user.tenantRole } : null,
      workspace: workspace ? { id: workspace.id, name: workspace.name } : null,
      scopes: this.context.effectiveScopes(),
    };
  }
}
