import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScopeCatalog } from './scope-catalog';
import { ScopesController } from './scopes.controller';
import { ScopesService } from './scopes.service';

@Module({
  imports: [DiscoveryModule],
  controllers: [ScopesController],
  providers: [ScopeCatalog, ScopesService],
  exports: [ScopeCatalog],
})
export class ScopesModule {}
