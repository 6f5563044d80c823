import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { PageQueryDto } from '../core/common/pagination';
import { AuthenticatedOnly } from '../core/access-policy/route-policy.decorators';
import { CurrentWorkspaceService } from './current-workspace.service';
import { CurrentWorkspaceDto } from './dto/user.dto';
import { CreateUserTokenDto } from '../api-keys/dto/user-token.dto';
import { UserTokensService } from '../api-keys/user-tokens.service';
import { Ctx } from '../core/context/ctx.decorator';
import type { RequestContext } from '../core/context/request-context';

/**
 * The caller's own user: any valid user token, no scope (acting on oneself needs none); a
 * workspace key has no user and gets 403 from the services.
 */
@AuthenticatedOnly()
@Controller('api/v1/users/me')
export class MeController {
  constructor(
    private readonly tokens: UserTokensService,
    private readonly currentWorkspace: CurrentWorkspaceService,
  ) {}

  @Get()
  me(@Ctx() ctx: RequestContext) {
    return this.currentWorkspace.me(ctx);
  }

  @Put('current-workspace')
  setCurrentWorkspace(@Ctx() ctx: RequestContext, @Body() dto: CurrentWorkspaceDto) {
    return this.currentWorkspace.set(ctx, dto.workspace_id);
  }

  @Get('tokens')
  listTokens(@Ctx() ctx: RequestContext, @Query() query: PageQueryDto) {
    return this.tokens.list(ctx, query);
  }

  @Post('tokens')
  createToken(@Ctx() ctx: RequestContext, @Body() dto: CreateUserTokenDto) {
    return this.tokens.create(ctx, dto);
  }

  @Delete('tokens')
  @HttpCode(204)
  async revokeAll(@Ctx() ctx: RequestContext): Promise<void> {
    await this.tokens.revokeAll(ctx);
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  async revoke(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.tokens.revoke(ctx, id);
  }
}
