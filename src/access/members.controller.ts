import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { PageQueryDto } from '../core/common/pagination';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { AddMemberDto, UpdateMemberDto } from './dto/member.dto';
import { MembersService } from './members.service';
import { Ctx } from '../core/context/ctx.decorator';
import type { RequestContext } from '../core/context/request-context';

/** A workspace's members: reading needs `workspaces:read`, changing them `workspaces:update`. */
@Controller('api/v1/workspaces/:id/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @RequireScope('workspaces:read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() query: PageQueryDto) {
    return this.members.list(ctx, id, query);
  }

  @RequireScope('workspaces:update')
  @Post()
  add(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: AddMemberDto) {
    return this.members.add(ctx, id, dto.user_id, dto.role);
  }

  @RequireScope('workspaces:update')
  @Patch(':userId')
  changeRole(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Body() dto: UpdateMemberDto,
  ) {
    return this.members.changeRole(ctx, id, userId, dto.role);
  }

  @RequireScope('workspaces:update')
  @Delete(':userId')
  @HttpCode(204)
  async remove(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Param('userId') userId: string,
  ): Promise<void> {
    await this.members.remove(ctx, id, userId);
  }
}
