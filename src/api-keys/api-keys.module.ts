import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ScopesModule } from '../scopes/scopes.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { CredentialVerifier } from './credential-verifier';
import { KeyCache } from './key-cache';
import { KeyHasher } from './key-hasher';
import { KeyIssuer } from './key-issuer';
import { KeyRotationService } from './key-rotation.service';
import { KeySettings } from './key-settings';
import { KeyUsageReader } from './key-usage.reader';
import { KeyVerificationService } from './key-verification.service';
import { UsageRecorder } from './usage-recorder';
import { VerifyController } from './verify.controller';

/** Used by the guard chain, user tokens and the platform: the hot path and key creation. */
const SHARED = [KeyHasher, KeyCache, CredentialVerifier, KeyIssuer, UsageRecorder, KeySettings];

@Module({
  imports: [ScopesModule, WorkspacesModule, AccessModule],
  controllers: [ApiKeysController, VerifyController],
  providers: [...SHARED, ApiKeysService, KeyRotationService, KeyUsageReader, KeyVerificationService],
  exports: SHARED,
})
export class ApiKeysModule {}
