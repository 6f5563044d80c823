import { Controller, Get } from '@nestjs/common';
import { RequestContext } from '../pipeline/request-context';
import { AuthenticatedOnly } from '../pipeline/route-policy.decorators';

@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly context: RequestContext) {}

  /** The principal: what any valid credential may ask about itself. */
  @AuthenticatedOnly()
  @Get('me')
  me() {
    const principal = this.context.principal()!;
    const tenant = this.context.tenant();
    const workspace = this.context.workspace();
    return {
      credential_type: principal.kind,
      key_id: principal.credentialId,
      prefix: principal.prefix,
      environment: principal.environment,
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      user_id: principal.userId,
      workspace: workspace ? { id: workspace.id, name: workspace.name } : null,
      scopes: this.context.effectiveScopes(),
    };
  }
}
