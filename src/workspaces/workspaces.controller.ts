import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { PageQueryDto } from '../core/common/pagination';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { CreateWorkspaceDto, UpdateWorkspaceDto } from './dto/workspace.dto';
import { presentWorkspace } from './workspace.presenter';
import { WorkspacesService } from './workspaces.service';
import { Ctx } from '../core/context/ctx.decorator';
import type { RequestContext } from '../core/context/request-context';

/**
 * Workspaces of the tenant. Routes naming a workspace also require the scope IN that workspace
 * (WorkspaceAccess), not only in the active one.
 */
@Controller('api/v1/workspaces')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  @RequireScope('workspaces:read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: PageQueryDto) {
    return this.workspaces.list(ctx, query);
  }

  @RequireScope('workspaces:create')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateWorkspaceDto) {
    return this.workspaces.create(ctx, dto.name);
  }

  @RequireScope('workspaces:read')
  @Get(':id')
  async get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return presentWorkspace(await this.workspaces.find(ctx, id, 'workspaces:read'));
  }

  @RequireScope('workspaces:update')
  @Patch(':id')
  rename(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: UpdateWorkspaceDto) {
    return this.workspaces.rename(ctx, id, dto.name);
  }

  @RequireScope('workspaces:delete')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.workspaces.remove(ctx, id);
  }

  @RequireScope('workspaces:update')
  @Post(':id/suspend')
  @HttpCode(200)
  suspend(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.workspaces.setStatus(ctx, id, 'suspended');
  }

  @RequireScope('workspaces:update')
  @Post(':id/resume')
  @HttpCode(200)
  resume(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.workspaces.setStatus(ctx, id, 'active');
  }
}
