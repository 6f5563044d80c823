import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScopeCatalog } from './scope-catalog';
import { ScopeList } from './scope-list';
import { ScopesController } from './scopes.controller';
import { ScopesService } from './scopes.service';

@Module({
  imports: [DiscoveryModule],
  controllers: [ScopesController],
  providers: [ScopeCatalog, ScopeList, ScopesService],
  exports: [ScopeCatalog, ScopeList],
})
export class ScopesModule {}
