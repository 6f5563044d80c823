import { Controller, Get } from '@nestjs/common';
import { KeygatePrincipal, Public, RequireScope } from '@keygate/nestjs';

/** The host app's own routes, protected the way a Keygate user protects theirs. */
@Controller()
export class ReportsController {
  @RequireScope('reports:read')
  @Get('reports')
  list(@KeygatePrincipal() caller: KeygatePrincipal) {
    return {
      data: [{ id: 'r_1', title: 'Quarterly revenue' }],
      requested_by: { key_id: caller.keyId, workspace_id: caller.workspaceId, scopes: caller.scopes },
    };
  }

  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }
}
