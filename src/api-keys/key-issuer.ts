import { Injectable } from '@nestjs/common';
import { newId } from '../core/common/ids';
import { ApiKey, CredentialKind, KeyEnvironment } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { generateKey } from './key-format';
import { KeyHasher } from './key-hasher';
import type { RequestContext } from '../core/context/request-context';

export interface IssueInput {
  kind: CredentialKind;
  name: string;
  workspaceId: string | null;
  userId: string | null;
  environment: KeyEnvironment;
  scopes: string[];
  ipAllowlist?: string[];
  expiresAt?: Date | null;
  rateLimitTier?: string | null;
  rateLimitLimit?: number | null;
  rateLimitWindowSeconds?: number | null;
  rotatedFromId?: string | null;
  lineageId?: string | null;
  createdBy?: string | null;
  /** Set for OAuth access tokens (format `oauth`). */
  oauthClientId?: string | null;
}

/** Creates a credential row (hash only) and hands back the plaintext, which is never stored. */
@Injectable()
export class KeyIssuer {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly hasher: KeyHasher,
  ) {}

  async issue(ctx: RequestContext, input: IssueInput): Promise<{ row: ApiKey; key: string; prefix: string }> {
    const generated = generateKey(input.kind, input.environment, this.hasher.keyIds.mint());
    const now = new Date();
    const row = await this.keys.insert(ctx, {
      id: newId(input.kind === 'user_token' ? 'tok' : 'key'),
      kind: input.kind,
      workspaceId: input.workspaceId,
      userId: input.userId,
      name: input.name,
      keyId: generated.keyId,
      secretHash: this.hasher.hash(generated.key),
      environment: input.environment,
      scopes: input.scopes,
      ipAllowlist: input.ipAllowlist ?? [],
      rateLimitTier: input.rateLimitTier ?? null,
      rateLimitLimit: input.rateLimitLimit ?? null,
      rateLimitWindowSeconds: input.rateLimitWindowSeconds ?? null,
      expiresAt: input.expiresAt ?? null,
      lastUsedAt: null,
      revokedAt: null,
      rotatedFromId: input.rotatedFromId ?? null,
      supersededAt: null,
      lineageId: input.lineageId ?? null,
      createdBy: input.createdBy ?? null,
      format: input.oauthClientId ? 'oauth' : 'keygate',
      legacyId: null,
      legacyHash: null,
      legacyKey: null,
      displayPrefix: null,
      oauthClientId: input.oauthClientId ?? null,
      createdAt: now,
      updatedAt: now,
    });
    return { row, key: generated.key, prefix: generated.prefix };
  }
}
