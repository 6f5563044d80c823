import { Body, Controller, Get, Post } from '@nestjs/common';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { CreateScopeDto } from './dto/create-scope.dto';
import { ScopesService } from './scopes.service';
import { Ctx } from '../core/context/ctx.decorator';
import type { RequestContext } from '../core/context/request-context';

@Controller('api/v1/scopes')
export class ScopesController {
  constructor(private readonly scopes: ScopesService) {}

  @RequireScope('scopes:read')
  @Get()
  list(@Ctx() ctx: RequestContext) {
    return this.scopes.list(ctx);
  }

  @RequireScope('scopes:create')
  @Post()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateScopeDto) {
    return this.scopes.create(ctx, dto);
  }
}
