import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { PageQueryDto } from '../core/common/pagination';
import { PlatformRoute } from '../core/access-policy/route-policy.decorators';
import { CreateTenantDto, UpdateTenantDto } from './dto/create-tenant.dto';
import { TenantProvisioner } from './tenant-provisioner';
import { presentTenant } from './tenant.presenter';
import { TenantsService } from './tenants.service';

/** The platform API: bare BASE_DOMAIN host, platform keys only. */
@PlatformRoute()
@Controller('api/v1/tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly provisioner: TenantProvisioner,
  ) {}

  @Get()
  list(@Query() query: PageQueryDto) {
    return this.tenants.list(query);
  }

  @Post()
  create(@Body() dto: CreateTenantDto) {
    return this.provisioner.create(dto);
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return presentTenant(await this.tenants.get(id));
  }

  @Patch(':id')
  rename(@Param('id') id: string, @Body() dto: UpdateTenantDto) {
    return this.tenants.rename(id, dto.name);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.tenants.remove(id);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  suspend(@Param('id') id: string) {
    return this.tenants.setStatus(id, 'suspended');
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string) {
    return this.tenants.setStatus(id, 'active');
  }
}
