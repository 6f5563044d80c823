import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { CreateRoleDto, UpdateRoleDto } from './dto/role.dto';
import { RoleDirectory } from './role-directory';
import { RolesService } from './roles.service';
import { Ctx } from '../core/context/ctx.decorator';
import type { RequestContext } from '../core/context/request-context';

/** Built-in roles (read-only, listed first) and the tenant's own roles. */
@Controller('api/v1/roles')
export class RolesController {
  constructor(
    private readonly roles: RolesService,
    private readonly directory: RoleDirectory,
  ) {}

  @RequireScope('roles:read')
  @Get()
  list(@Ctx() ctx: RequestContext) {
    return this.directory.list(ctx);
  }

  @RequireScope('roles:read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.directory.get(ctx, id);
  }

  @RequireScope('roles:create')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateRoleDto) {
    return this.roles.create(ctx, dto);
  }

  @RequireScope('roles:update')
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: UpdateRoleDto) {
    return this.roles.update(ctx, id, dto);
  }

  @RequireScope('roles:delete')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.roles.remove(ctx, id);
  }
}
