import { Controller, Get } from '@nestjs/common';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { RequestContext } from '../core/context/request-context';
import { Public } from '../core/access-policy/route-policy.decorators';
import { Ctx } from '../core/context/ctx.decorator';

/**
 * Two handlers of exactly the same shape, one public and one behind the whole guard chain, so
 * that `npm run bench` can measure what the chain costs (the ratio of their throughputs), and so
 * that an integrator can check a key with the smallest possible call.
 */
@Controller('api/v1/ping')
export class PingController {
  /** No credential: tenant from the host only. */
  @Public()
  @Get('public')
  public(@Ctx() ctx: RequestContext) {
    return { ok: true, tenant: ctx.tenant().slug };
  }

  /** The same answer through credential, workspace, scope and rate-limit checks. */
  @RequireScope('ping:read')
  @Get()
  ping(@Ctx() ctx: RequestContext) {
    return { ok: true, tenant: ctx.tenant().slug };
  }
}
