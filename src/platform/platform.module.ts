import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { PlatformKeysService } from './platform-keys.service';

@Module({
  imports: [ApiKeysModule],
  providers: [PlatformKeysService],
  exports: [PlatformKeysService],
})
export class PlatformModule {}
