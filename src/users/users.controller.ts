import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { PageQueryDto } from '../core/common/pagination';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { CreateUserDto, SearchUsersDto, UpdateUserDto } from './dto/user.dto';
import { presentUser } from './user.presenter';
import { UserLifecycleService } from './user-lifecycle.service';
import { UsersService } from './users.service';
import { Ctx } from '../core/context/ctx.decorator';
import type { RequestContext } from '../core/context/request-context';

/** The tenant's users (`users:*`). The caller's own record and tokens are at `/users/me`. */
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly lifecycle: UserLifecycleService,
  ) {}

  @RequireScope('users:read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: PageQueryDto) {
    return this.users.list(ctx, query);
  }

  @RequireScope('users:read')
  @Get('search')
  search(@Ctx() ctx: RequestContext, @Query() query: SearchUsersDto) {
    return this.users.search(ctx, query);
  }

  @RequireScope('users:create')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateUserDto) {
    return this.users.create(ctx, dto);
  }

  @RequireScope('users:read')
  @Get(':id')
  async get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return presentUser(await this.users.get(ctx, id));
  }

  @RequireScope('users:update')
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(ctx, id, dto);
  }

  @RequireScope('users:delete')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.lifecycle.remove(ctx, id);
  }

  @RequireScope('users:update')
  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.lifecycle.setStatus(ctx, id, 'deactivated');
  }

  @RequireScope('users:update')
  @Post(':id/reactivate')
  @HttpCode(200)
  reactivate(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.lifecycle.setStatus(ctx, id, 'active');
  }
}
