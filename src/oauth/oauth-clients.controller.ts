import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { RequireWorkspace } from '../core/access-policy/route-policy.decorators';
import { PageQueryDto } from '../core/common/pagination';
import { CreateOAuthClientDto } from './dto/create-oauth-client.dto';
import { OAuthClientsService } from './oauth-clients.service';
import { Ctx } from '../core/context/ctx.decorator';
import type { RequestContext } from '../core/context/request-context';

/** OAuth 2.0 clients of the active workspace (client credentials grant). */
@RequireWorkspace()
@Controller('api/v1/oauth-clients')
export class OAuthClientsController {
  constructor(private readonly clients: OAuthClientsService) {}

  @RequireScope('oauth-clients:create')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateOAuthClientDto) {
    return this.clients.create(ctx, dto);
  }

  @RequireScope('oauth-clients:read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: PageQueryDto) {
    return this.clients.list(ctx, query);
  }

  @RequireScope('oauth-clients:read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.clients.get(ctx, id);
  }

  @RequireScope('oauth-clients:delete')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.clients.remove(ctx, id);
  }
}
