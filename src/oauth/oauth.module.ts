import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { OAuthClientsController } from './oauth-clients.controller';
import { OAuthClientsRepository } from './oauth-clients.repository';
import { OAuthClientsService } from './oauth-clients.service';
import { OAuthTokenController } from './oauth-token.controller';
import { OAuthTokenService } from './oauth-token.service';
import { WorkspaceDirectoryModule } from '../workspaces/workspace-directory.module';

/**
 * OAuth 2.0 client credentials (seed 002): clients per workspace, and the token, introspection and
 * revocation endpoints. Access tokens are api-keys rows (OAuthAccessTokens), so the guard chain
 * treats them as it treats every key.
 */
@Module({
  imports: [ApiKeysModule, AccessModule, WorkspaceDirectoryModule],
  controllers: [OAuthClientsController, OAuthTokenController],
  providers: [OAuthClientsRepository, OAuthClientsService, OAuthTokenService],
})
export class OAuthModule {}
