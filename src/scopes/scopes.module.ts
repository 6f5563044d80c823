import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CustomScopesRepository } from './custom-scopes.repository';
import { ScopeCatalog } from './scope-catalog';
import { ScopeList } from './scope-list';
import { ScopesController } from './scopes.controller';
import { ScopesService } from './scopes.service';

@Module({
  imports: [DiscoveryModule],
  controllers: [ScopesController],
  providers: [CustomScopesRepository, ScopeCatalog, ScopeList, ScopesService],
  exports: [ScopeCatalog, ScopeList, ScopesService],
})
export class ScopesModule {}
