import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { AuthController } from './auth.controller';
import { PasswordHasher } from './password-hasher';

@Module({
  imports: [ApiKeysModule, WorkspacesModule],
  controllers: [AuthController],
  providers: [PasswordHasher],
  exports: [PasswordHasher],
})
export class UsersModule {}
