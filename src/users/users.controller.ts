import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { PageQueryDto } from '../core/common/pagination';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { CreateUserDto, SearchUsersDto, UpdateUserDto } from './dto/user.dto';
import { presentUser } from './user.presenter';
import { UserLifecycleService } from './user-lifecycle.service';
import { UsersService } from './users.service';

/** The tenant's users (`users:*`). The caller's own record and tokens are at `/users/me`. */
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly lifecycle: UserLifecycleService,
  ) {}

  @RequireScope('users:read')
  @Get()
  list(@Query() query: PageQueryDto) {
    return this.users.list(query);
  }

  @RequireScope('users:read')
  @Get('search')
  search(@Query() query: SearchUsersDto) {
    return this.users.search(query);
  }

  @RequireScope('users:create')
  @Post()
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  @RequireScope('users:read')
  @Get(':id')
  async get(@Param('id') id: string) {
    return presentUser(await this.users.get(id));
  }

  @RequireScope('users:update')
  @Patch(':id')
  update(@Param('id') id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(id, dto);
  }

  @RequireScope('users:delete')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.lifecycle.remove(id);
  }

  @RequireScope('users:update')
  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@Param('id') id: string) {
    return this.lifecycle.setStatus(id, 'deactivated');
  }

  @RequireScope('users:update')
  @Post(':id/reactivate')
  @HttpCode(200)
  reactivate(@Param('id') id: string) {
    return this.lifecycle.setStatus(id, 'active');
  }
}
