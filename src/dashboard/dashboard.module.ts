import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AssetBundle } from './asset-bundle';
import { AssetsController } from './assets.controller';
import { DashboardController } from './dashboard.controller';

/** The first-party web UI: pages on tenant hosts and their content-hashed assets. */
@Module({
  imports: [SessionsModule, AccessModule],
  controllers: [DashboardController, AssetsController],
  providers: [AssetBundle],
})
export class DashboardModule {}
