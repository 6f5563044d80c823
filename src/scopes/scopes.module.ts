import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScopeCatalog } from './scope-catalog';

@Module({
  imports: [DiscoveryModule],
  providers: [ScopeCatalog],
  exports: [ScopeCatalog],
})
export class ScopesModule {}
