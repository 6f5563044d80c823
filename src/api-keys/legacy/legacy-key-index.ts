import { Injectable } from '@nestjs/common';
import type { LegacyFormat, LegacyFormatSettings } from '../../core/context/legacy-formats';
import type { RequestContext } from '../../core/context/request-context';
import { LegacyKeyStore } from './legacy-key-store';

/**
 * Which key ids a tenant's imported credentials are stored under, held in memory, so that a value
 * shaped like an imported credential with no such row is refused without a query. A native key
 * carries a tag only the server can compute (key-id-tag.ts), which stops a forged one before the
 * database; an old system's value carries nothing of the kind (a Sanctum token is `<id>|<40>`,
 * anyone can mint one), so without this every made-up value cost a look-up, from any number of
 * client addresses.
 *
 * Per tenant: the first 32 bits of each derived key id (legacyKeyId: hex of a SHA-256), sorted,
 * 4 bytes a row, read in one query the first time a legacy-shaped value is presented. A hit
 * means "maybe" (one in 2^32 / rows is a false one, and costs the look-up it always did); a miss
 * is certain for the set it was read from. Kept current by the tenant's own record: every import
 * stamps `importedAt` on its format (same transaction as the rows), and the tenant cache, which the
 * hot path reads anyway, brings the new stamp to every instance (at once through the invalidation
 * bus, within TENANT_CACHE_TTL_SECONDS without it) — exactly as it brings the new formats.
 */
@Injectable()
export class LegacyKeyIndex {
  private readonly tenants = new Map<string, TenantKeyIds>();

  constructor(private readonly store: LegacyKeyStore) {}

  /** False only when no row of the tenant's (as of `formats`) is stored under `keyId`. */
  mayHold(
    ctx: RequestContext,
    tenantId: string,
    formats: LegacyFormatSettings,
    keyId: string,
  ): boolean | Promise<boolean> {
    const stamp = importStamp(formats);
    let entry = this.tenants.get(tenantId);
    // A request still holding the tenant's previous copy while a newer one arrives can make one
    // more read at the switch; the tenant cache hands every later request the same copy.
    if (entry === undefined || entry.stamp !== stamp) {
      entry = new TenantKeyIds(stamp, this.load(ctx, formats));
      this.tenants.set(tenantId, entry);
    }
    const prefix = prefixOf(keyId);
    if (entry.ids !== null) return contains(entry.ids, prefix);
    const loading = entry;
    return loading.ready.then(
      (ids) => {
        loading.ids = ids;
        return contains(ids, prefix);
      },
      () => {
        // Not read (the database failed): the look-up decides, as it did before this index.
        if (this.tenants.get(tenantId) === loading) this.tenants.delete(tenantId);
        return true;
      },
    );
  }

  private async load(ctx: RequestContext, formats: LegacyFormatSettings): Promise<Uint32Array> {
    const keyIds = await this.store.keyIdsOf(ctx, Object.keys(formats) as LegacyFormat[]);
    return Uint32Array.from(keyIds, prefixOf).sort();
  }
}

class TenantKeyIds {
  ids: Uint32Array | null = null;

  constructor(
    readonly stamp: string,
    readonly ready: Promise<Uint32Array>,
  ) {}
}

/**
 * Every format's `importedAt`, in the order of the settings ('' for rows imported before the
 * stamp). Compared for equality, not order: instances' clocks may disagree, and an import stamped
 * earlier than the last one is still a change.
 */
const stamps = new WeakMap<LegacyFormatSettings, string>();
function importStamp(formats: LegacyFormatSettings): string {
  let stamp = stamps.get(formats);
  if (stamp === undefined) {
    stamp = Object.entries(formats)
      .map(([format, settings]) => `${format}@${settings?.importedAt ?? ''}`)
      .sort()
      .join(',');
    stamps.set(formats, stamp);
  }
  return stamp;
}

/** `lg` and 30 hex digits: the first 8 digits as a number. */
function prefixOf(keyId: string): number {
  return parseInt(keyId.slice(2, 10), 16);
}

function contains(sorted: Uint32Array, value: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = sorted[middle];
    if (at === value) return true;
    if (at < value) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}
