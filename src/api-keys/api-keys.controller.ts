import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { PageQueryDto } from '../core/common/pagination';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { RequireWorkspace } from '../core/access-policy/route-policy.decorators';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { RevokeByValueDto, RotateApiKeyDto } from './dto/rotate-api-key.dto';
import { UpdateApiKeyDto } from './dto/update-api-key.dto';
import { KeyRotationService } from './key-rotation.service';

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
  create(@Body() dto: CreateApiKeyDto) {
    return this.keys.create(dto);
  }

  @RequireScope('api-keys:read')
  @Get()
  list(@Query() query: PageQueryDto) {
    return this.keys.list(query);
  }

  /** Declared before `:id` routes so that "revoke" is never taken for an id. */
  @RequireScope('api-keys:update')
  @Post('revoke')
  @HttpCode(200)
  revokeByValue(@Body() dto: RevokeByValueDto) {
    return this.rotation.revokeByValue(dto.key);
  }

  @RequireScope('api-keys:read')
  @Get(':id')
  get(@Param('id') id: string) {
    return this.keys.get(id);
  }

  @RequireScope('api-keys:update')
  @Patch(':id')
  update(@Param('id') id: string, @Body() dto: UpdateApiKeyDto) {
    return this.keys.update(id, dto);
  }

  @RequireScope('api-keys:delete')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.keys.remove(id);
  }

  @RequireScope('api-keys:update')
  @Post(':id/rotate')
  rotate(@Param('id') id: string, @Body() dto: RotateApiKeyDto) {
    return this.rotation.rotate(id, dto.grace_period_seconds);
  }

  @RequireScope('api-keys:update')
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@Param('id') id: string) {
    return this.rotation.revoke(id);
  }
}
