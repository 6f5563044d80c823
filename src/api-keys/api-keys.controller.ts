import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { PageQueryDto } from '../core/common/pagination';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { RequireWorkspace } from '../core/access-policy/route-policy.decorators';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { RevokeByValueDto, RotateApiKeyDto } from './dto/rotate-api-key.dto';
import { UpdateApiKeyDto } from './dto/update-api-key.dto';
import { KeyRotationService } from './key-rotation.service';
import { Ctx } from '../core/context/ctx.decorator';
import type { RequestContext } from '../core/context/request-context';

/** Workspace API keys of the active workspace (product.md, "Key lifecycle"). */
@RequireWorkspace()
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly rotation: KeyRotationService,
  ) {}

  @RequireScope('api-keys:create')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateApiKeyDto) {
    return this.keys.create(ctx, dto);
  }

  @RequireScope('api-keys:read')
  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: PageQueryDto) {
    return this.keys.list(ctx, query);
  }

  /** Declared before `:id` routes so that "revoke" is never taken for an id. */
  @RequireScope('api-keys:update')
  @Post('revoke')
  @HttpCode(200)
  revokeByValue(@Ctx() ctx: RequestContext, @Body() dto: RevokeByValueDto) {
    return this.rotation.revokeByValue(ctx, dto.key);
  }

  @RequireScope('api-keys:read')
  @Get(':id')
  get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.keys.get(ctx, id);
  }

  @RequireScope('api-keys:update')
  @Patch(':id')
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: UpdateApiKeyDto) {
    return this.keys.update(ctx, id, dto);
  }

  @RequireScope('api-keys:delete')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.keys.remove(ctx, id);
  }

  @RequireScope('api-keys:update')
  @Post(':id/rotate')
  rotate(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: RotateApiKeyDto) {
    return this.rotation.rotate(ctx, id, dto.grace_period_seconds);
  }

  @RequireScope('api-keys:update')
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.rotation.revoke(ctx, id);
  }
}
