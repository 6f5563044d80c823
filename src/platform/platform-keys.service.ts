import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KeyHasher } from '../api-keys/key-hasher';
import { KeyIdRecognizer } from '../api-keys/key-id-recognizer';
import { generateKey, parseKey } from '../api-keys/key-format';
import { newId } from '../core/common/ids';
import { Principal } from '../core/context/principal';
import { PlatformKey } from './platform-key.entity';

/** Operator keys for the platform API (`kgp_…`), made by `npm run cli -- platform:keys:create`. */
@Injectable()
export class PlatformKeysService implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: KeyHasher,
    private readonly keyIds: KeyIdRecognizer,
  ) {}

  /** Platform keys made before key-id tags keep working (see KeyIdRecognizer). */
  async onApplicationBootstrap(): Promise<void> {
    const rows = await this.dataSource
      .getRepository(PlatformKey)
      .createQueryBuilder('p')
      .select('p.keyId', 'keyId')
      .getRawMany<{ keyId: string }>();
    this.keyIds.rememberUntagged(rows.map((row) => row.keyId));
  }

  async create(name: string): Promise<{ id: string; name: string; prefix: string; key: string }> {
    const generated = generateKey('platform_key', 'live', this.hasher.keyIds.mint());
    const id = newId('pk');
    await this.dataSource.getRepository(PlatformKey).insert({
      id,
      name,
      keyId: generated.keyId,
      secretHash: this.hasher.hash(generated.key),
      revokedAt: null,
      createdAt: new Date(),
    });
    return { id, name, prefix: generated.prefix, key: generated.key };
  }

  /** Platform calls are rare operator actions: no cache, so a revoked platform key stops at once. */
  async verify(presented: string): Promise<Principal | null> {
    const parsed = parseKey(presented);
    if (!parsed || parsed.kind !== 'platform_key' || !this.keyIds.recognises(parsed.keyId)) return null;
    const row = await this.dataSource
      .getRepository(PlatformKey)
      .createQueryBuilder('p')
      .addSelect('p.secretHash')
      .where('p.keyId = :keyId', { keyId: parsed.keyId })
      .getOne();
    if (!row || row.revokedAt || !this.hasher.matches(presented, row.secretHash)) return null;
    return {
      kind: 'platform_key',
      credentialId: row.id,
      prefix: parsed.prefix,
      environment: 'live',
      boundWorkspaceId: null,
      userId: null,
      grantedScopes: ['*'],
      rateLimit: { limit: null, windowSeconds: 3600 },
      expiresAt: null,
      budgetId: row.id,
      allowlist: [],
    };
  }
}
