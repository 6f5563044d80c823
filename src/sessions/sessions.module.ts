import { Module } from '@nestjs/common';
import { SessionAuthenticator } from './session-authenticator';
import { SessionSecrets } from './session-secrets';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/** Dashboard sessions: the table, sign-in/out and the cookie as a credential of the guard chain. */
@Module({
  controllers: [SessionsController],
  providers: [SessionsRepository, SessionSecrets, SessionsService, SessionAuthenticator],
  exports: [SessionsService, SessionAuthenticator],
})
export class SessionsModule {}
