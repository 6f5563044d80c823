import { Injectable } from '@nestjs/common';
import { In, IsNull, Not } from 'typeorm';
import type { LegacyFormat } from '../../core/context/legacy-formats';
import { ApiKey } from '../api-key.entity';
import { ApiKeysRepository } from '../api-keys.repository';
import type { RequestContext } from '../../core/context/request-context';

/** An imported row as the import writes it: everything but the tenant (the context's). */
export type ImportedKeyRow = Omit<ApiKey, 'tenantId'>;

export interface ExistingImport {
  workspaceId: string | null;
  userId: string | null;
  legacyHash: string | null;
}

/**
 * Imported credential rows: written by the import (src/imports, through this service, never the
 * repository), read by the hot path with both hashes, upgraded once.
 */
@Injectable()
export class LegacyKeyStore {
  constructor(private readonly keys: ApiKeysRepository) {}

  /**
   * The rows of `format` this tenant already has with these legacy ids, by legacy id, with where
   * they live and their old hash (null once upgraded): what tells a re-import from a clash.
   */
  async existingByLegacyId(
    ctx: RequestContext,
    format: LegacyFormat,
    legacyIds: readonly string[],
  ): Promise<Map<string, ExistingImport>> {
    const found = new Map<string, ExistingImport>();
    for (let i = 0; i < legacyIds.length; i += 500) {
      const rows = await this.keys
        .queryBuilder(ctx, 'k')
        .addSelect('k.legacyHash')
        .andWhere('k.format = :format', { format })
        .andWhere('k.legacyId IN (:...ids)', { ids: legacyIds.slice(i, i + 500) })
        .getMany();
      for (const row of rows)
        if (row.legacyId !== null)
          found.set(row.legacyId, {
            workspaceId: row.workspaceId,
            userId: row.userId,
            legacyHash: row.legacyHash,
          });
    }
    return found;
  }

  /** Key ids already taken (two rows of a dump, or an earlier import, with the same prefix). */
  async takenKeyIds(ctx: RequestContext, keyIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < keyIds.length; i += 500) {
      const rows = await this.keys.find(ctx, { keyId: In(keyIds.slice(i, i + 500)) });
      for (const row of rows) found.add(row.keyId);
    }
    return found;
  }

  insert(ctx: RequestContext, row: ImportedKeyRow): Promise<ApiKey> {
    return this.keys.insert(ctx, row);
  }

  /** The key ids of every row this tenant imported in these formats (LegacyKeyIndex's one query). */
  async keyIdsOf(ctx: RequestContext, formats: readonly LegacyFormat[]): Promise<string[]> {
    const rows = await this.keys
      .queryBuilder(ctx, 'k')
      .select('k.keyId', 'keyId')
      .andWhere('k.format IN (:...formats)', { formats })
      .getRawMany<{ keyId: string }>();
    return rows.map((row) => row.keyId);
  }

  /** The hot path's query on a cache miss, with the legacy hash too. */
  findForVerify(ctx: RequestContext, keyId: string): Promise<ApiKey | null> {
    return this.keys
      .queryBuilder(ctx, 'k')
      .addSelect('k.secretHash')
      .addSelect('k.legacyHash')
      .addSelect('k.legacyKey')
      .andWhere('k.keyId = :keyId', { keyId })
      .getOne();
  }

  /** The lazy upgrade: our HMAC replaces the old hash, once (a second caller changes nothing). */
  async upgrade(ctx: RequestContext, id: string, secretHash: string): Promise<boolean> {
    const changed = await this.keys.update(
      ctx,
      { id, legacyHash: Not(IsNull()) },
      { secretHash, legacyHash: null, legacyKey: null, updatedAt: new Date() },
    );
    return changed > 0;
  }
}
