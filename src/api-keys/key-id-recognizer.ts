import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKey } from './api-key.entity';
import { KeyHasher } from './key-hasher';

/**
 * Whether a well-formed key id can exist, answered in memory: the id carries the server's tag
 * (every id issued since the tag exists), or it is one of the ids issued before, read once at
 * boot. Those are never issued again, so the set only goes stale by deletions (which then cost a
 * query answering "not found", as before) and needs no invalidation across instances.
 */
@Injectable()
export class KeyIdRecognizer implements OnApplicationBootstrap {
  private readonly logger = new Logger('KeyIds');
  private readonly untagged = new Set<string>();

  constructor(
    private readonly hasher: KeyHasher,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Every tenant's ids at once, by design: this is a property of the key format, not tenant data.
    const rows = await this.dataSource
      .getRepository(ApiKey)
      .createQueryBuilder('k')
      .select('k.keyId', 'keyId')
      // Imported legacy rows have ids derived from their old look-up value and are only ever
      // looked up by LegacyVerifier, never as a presented Keygate key: not needed here.
      .where('k.legacyId IS NULL')
      .getRawMany<{ keyId: string }>();
    this.rememberUntagged(rows.map((row) => row.keyId));
  }

  /** Adds the ids among `keyIds` that carry no tag (another feature's key table, at its boot). */
  rememberUntagged(keyIds: Iterable<string>): void {
    const before = this.untagged.size;
    for (const keyId of keyIds) if (!this.hasher.keyIds.carriesTag(keyId)) this.untagged.add(keyId);
    const added = this.untagged.size - before;
    if (added > 0) this.logger.log(`${added} key ids issued before key-id tags remembered at boot`);
  }

  recognises(keyId: string): boolean {
    return this.hasher.keyIds.carriesTag(keyId) || this.untagged.has(keyId);
  }
}
