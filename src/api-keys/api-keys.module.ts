import { Module } from '@nestjs/common';
import { CredentialVerifier } from './credential-verifier';
import { KeyCache } from './key-cache';
import { KeyHasher } from './key-hasher';
import { KeyIssuer } from './key-issuer';
import { UsageRecorder } from './usage-recorder';

const SHARED = [KeyHasher, KeyCache, CredentialVerifier, KeyIssuer, UsageRecorder];

@Module({
  providers: SHARED,
  exports: SHARED,
})
export class ApiKeysModule {}
