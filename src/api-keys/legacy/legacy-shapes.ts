import { createHash } from 'node:crypto';
import type { LegacyFormat, LegacyFormatSettings } from '../../core/context/legacy-formats';

/** One way a presented value could be a credential of an old system: where to look it up. */
export interface LegacyCandidate {
  format: LegacyFormat;
  /** The old system's look-up value: Sanctum's row id, the Voltis client id, a key prefix. */
  lookup: string;
}

const SANCTUM = /^(\d{1,20})\|[A-Za-z0-9]{1,128}$/;
const HEX_64 = /^[0-9a-fA-F]{64}$/;
const VOLTIS_TOKEN = /^[0-9a-fA-F]{32,256}$/;
const VOLTIS_CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Core PHP's `{sk}_{environment}_{random}`; the native shape was refused before this is asked. */
const OLD_SK = /^sk_(?:live|test)_[A-Za-z0-9]{16,64}$/;
/** Longest look-up prefix a dump may use; more candidates than this a value never makes. */
export const MAX_PREFIX_LENGTHS = 3;

/**
 * The formats a presented value could belong to, among those the tenant imported. Shape checks
 * only (regexes, no allocation beyond the result): no hash, no look-up. Empty for a tenant
 * without imports, which is why those tenants pay nothing.
 */
export function legacyCandidates(
  presented: string,
  clientId: string | null,
  formats: LegacyFormatSettings,
): LegacyCandidate[] {
  const out: LegacyCandidate[] = [];
  if (clientId !== null) {
    if (formats.voltis && VOLTIS_TOKEN.test(presented) && VOLTIS_CLIENT_ID.test(clientId))
      out.push({ format: 'voltis', lookup: clientId });
    // A ClientID header names a Voltis token; nothing else is looked up beside it.
    return out;
  }
  const sanctum = formats.sanctum ? SANCTUM.exec(presented) : null;
  if (sanctum) out.push({ format: 'sanctum', lookup: sanctum[1] });
  for (const format of ['hex-bcrypt', 'prefixed-bcrypt'] as const) {
    const settings = formats[format];
    if (!settings || !(format === 'hex-bcrypt' ? HEX_64 : OLD_SK).test(presented)) continue;
    for (const length of (settings.prefixLengths ?? []).slice(0, MAX_PREFIX_LENGTHS)) {
      if (length < presented.length) out.push({ format, lookup: presented.slice(0, length) });
    }
  }
  return out;
}

/**
 * The `key_id` an imported credential is stored under: derived from the tenant, the format and
 * the old look-up value, so that the hot path finds it through the same unique index and key
 * cache as a native key, old ids of two tenants never collide, and a re-import lands on the same
 * row. 32 characters, never the shape of a native key id (16).
 */
export function legacyKeyId(tenantId: string, candidate: LegacyCandidate): string {
  const digest = createHash('sha256')
    .update(`${tenantId}\0${candidate.format}\0${candidate.lookup}`)
    .digest('hex');
  return `lg${digest.slice(0, 30)}`;
}

/** What listings and logs show for an imported credential: the part the old system showed too. */
export function legacyDisplayPrefix(candidate: LegacyCandidate): string {
  if (candidate.format === 'sanctum') return `${candidate.lookup}|`;
  if (candidate.format === 'voltis') return `voltis:${candidate.lookup}`;
  return candidate.lookup;
}
