import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ScopesModule } from '../scopes/scopes.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CurrentWorkspaceService } from './current-workspace.service';
import { LoginThrottle } from './login-throttle';
import { MeController } from './me.controller';
import { PasswordHasher } from './password-hasher';
import { ManageableUsers } from './manageable-users';
import { UserLifecycleService } from './user-lifecycle.service';
import { UserTokensService } from './user-tokens.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [ApiKeysModule, WorkspacesModule, ScopesModule, AccessModule],
  controllers: [AuthController, MeController, UsersController],
  providers: [
    PasswordHasher,
    LoginThrottle,
    AuthService,
    UserTokensService,
    UsersService,
    UserLifecycleService,
    ManageableUsers,
    CurrentWorkspaceService,
  ],
  exports: [PasswordHasher],
})
export class UsersModule {}
