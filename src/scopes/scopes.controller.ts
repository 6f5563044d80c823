import { Body, Controller, Get, Post } from '@nestjs/common';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { CreateScopeDto } from './dto/create-scope.dto';
import { ScopesService } from './scopes.service';

@Controller('api/v1/scopes')
export class ScopesController {
  constructor(private readonly scopes: ScopesService) {}

  @RequireScope('scopes:read')
  @Get()
  list() {
    return this.scopes.list();
  }

  @RequireScope('scopes:create')
  @Post()
  create(@Body() dto: CreateScopeDto) {
    return this.scopes.create(dto);
  }
}
