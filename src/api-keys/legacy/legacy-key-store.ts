import { Injectable } from '@nestjs/common';
import { In, IsNull, Not } from 'typeorm';
import type { LegacyFormat } from '../../core/context/legacy-formats';
import { ApiKey } from '../api-key.entity';
import { ApiKeysRepository } from '../api-keys.repository';

/** An imported row as the import writes it: everything but the tenant (the context's). */
export type ImportedKeyRow = Omit<ApiKey, 'tenantId'>;

/**
 * Imported credential rows: written by the import (src/imports, through this service, never the
 * repository), read by the hot path with both hashes, upgraded once.
 */
@Injectable()
export class LegacyKeyStore {
  constructor(private readonly keys: ApiKeysRepository) {}

  /** The legacy ids of `format` this tenant already has (what a re-import skips). */
  async existingLegacyIds(format: LegacyFormat, legacyIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < legacyIds.length; i += 500) {
      const rows = await this.keys.find({ format, legacyId: In(legacyIds.slice(i, i + 500)) });
      for (const row of rows) if (row.legacyId !== null) found.add(row.legacyId);
    }
    return found;
  }

  /** Key ids already taken (two rows of a dump, or an earlier import, with the same prefix). */
  async takenKeyIds(keyIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < keyIds.length; i += 500) {
      const rows = await this.keys.find({ keyId: In(keyIds.slice(i, i + 500)) });
      for (const row of rows) found.add(row.keyId);
    }
    return found;
  }

  insert(row: ImportedKeyRow): Promise<ApiKey> {
    return this.keys.insert(row);
  }

  /** The hot path's query on a cache miss, with the legacy hash too. */
  findForVerify(keyId: string): Promise<ApiKey | null> {
    return this.keys
      .queryBuilder('k')
      .addSelect('k.secretHash')
      .addSelect('k.legacyHash')
      .andWhere('k.keyId = :keyId', { keyId })
      .getOne();
  }

  /** The lazy upgrade: our HMAC replaces the old hash, once (a second caller changes nothing). */
  async upgrade(id: string, secretHash: string): Promise<boolean> {
    const changed = await this.keys.update(
      { id, legacyHash: Not(IsNull()) },
      { secretHash, legacyHash: null, updatedAt: new Date() },
    );
    return changed > 0;
  }
}
