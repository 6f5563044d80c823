import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ScopesModule } from '../scopes/scopes.module';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { CredentialRecords } from './credential-records';
import { CredentialRetirement } from './credential-retirement';
import { UserTokensService } from './user-tokens.service';
import { ApiKeysService } from './api-keys.service';
import { CredentialVerifier } from './credential-verifier';
import { KeyCache } from './key-cache';
import { KeyHasher } from './key-hasher';
import { KeyIdRecognizer } from './key-id-recognizer';
import { KeyIssuer } from './key-issuer';
import { KeyRotationService } from './key-rotation.service';
import { KeySettings } from './key-settings';
import { KeyUsageReader } from './key-usage.reader';
import { KeyVerificationService } from './key-verification.service';
import { LegacyKeyIndex } from './legacy/legacy-key-index';
import { LegacyKeyStore } from './legacy/legacy-key-store';
import { OAuthAccessTokens } from './oauth-access-tokens';
import { LegacyVerifier } from './legacy/legacy-verifier';
import { UsageRecorder } from './usage-recorder';
import { VerifyController } from './verify.controller';

/** Used by the guard chain, users, workspaces and the platform: the hot path, key creation, user tokens, cascades. */
const SHARED = [
  KeyHasher,
  KeyIdRecognizer,
  KeyCache,
  CredentialVerifier,
  KeyIssuer,
  UsageRecorder,
  KeySettings,
  UserTokensService,
  CredentialRecords,
  LegacyKeyStore,
  OAuthAccessTokens,
];

@Module({
  imports: [ScopesModule, AccessModule],
  controllers: [ApiKeysController, VerifyController],
  providers: [
    ApiKeysRepository,
    CredentialRetirement,
    LegacyVerifier,
    LegacyKeyIndex,
    ...SHARED,
    ApiKeysService,
    KeyRotationService,
    KeyUsageReader,
    KeyVerificationService,
  ],
  exports: SHARED,
})
export class ApiKeysModule {}
