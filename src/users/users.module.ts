import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ScopesModule } from '../scopes/scopes.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { WorkspaceDirectoryModule } from '../workspaces/workspace-directory.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UserDirectoryModule } from './user-directory.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CurrentWorkspaceService } from './current-workspace.service';
import { LoginThrottle } from './login-throttle';
import { MeController } from './me.controller';
import { PasswordHasher } from './password-hasher';
import { ManageableUsers } from './manageable-users';
import { UserLifecycleService } from './user-lifecycle.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [
    ApiKeysModule,
    ScopesModule,
    AccessModule,
    UserDirectoryModule,
    WorkspaceDirectoryModule,
    SessionsModule,
  ],
  controllers: [AuthController, MeController, UsersController],
  providers: [
    PasswordHasher,
    LoginThrottle,
    AuthService,
    UsersService,
    UserLifecycleService,
    ManageableUsers,
    CurrentWorkspaceService,
  ],
  exports: [PasswordHasher],
})
export class UsersModule {}
