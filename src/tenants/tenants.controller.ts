import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { PageQueryDto } from '../core/common/pagination';
import { PlatformRoute } from '../core/access-policy/route-policy.decorators';
import { CreateTenantDto, UpdateTenantDto } from './dto/create-tenant.dto';
import { TenantProvisioner } from './tenant-provisioner';
import { presentTenant } from './tenant.presenter';
import { TenantsService } from './tenants.service';
import { Ctx } from '../core/context/ctx.decorator';
import type { RequestContext } from '../core/context/request-context';

/** The platform API: bare BASE_DOMAIN host, platform keys only. */
@PlatformRoute()
@Controller('api/v1/tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly provisioner: TenantProvisioner,
  ) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: PageQueryDto) {
    return this.tenants.list(ctx, query);
  }

  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateTenantDto) {
    return this.provisioner.create(ctx, dto);
  }

  @Get(':id')
  async get(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return presentTenant(await this.tenants.get(ctx, id));
  }

  @Patch(':id')
  rename(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() dto: UpdateTenantDto) {
    return this.tenants.rename(ctx, id, dto.name);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    await this.tenants.remove(ctx, id);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  suspend(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.tenants.setStatus(ctx, id, 'suspended');
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    return this.tenants.setStatus(ctx, id, 'active');
  }
}
