/** The source systems whose hashed credentials a tenant can import (product.md, "Moving in"). */
export const LEGACY_FORMATS = ['sanctum', 'hex-bcrypt', 'voltis', 'prefixed-bcrypt'] as const;
export type LegacyFormat = (typeof LEGACY_FORMATS)[number];

/** `keygate`: issued here; `oauth`: an OAuth 2.0 access token; else imported from that system. */
export type CredentialFormat = 'keygate' | 'oauth' | LegacyFormat;

export const isLegacyFormat = (value: unknown): value is LegacyFormat =>
  (LEGACY_FORMATS as readonly unknown[]).includes(value);

/**
 * What a tenant imported, on its row (and so in the tenant cache the hot path already reads): a
 * presented value that is not a Keygate key is tried as a legacy one only for these formats.
 * - `prefixLengths`: the lengths of the look-up prefixes its rows carry (hex-bcrypt, prefixed-bcrypt);
 * - `sealedKey`: the old application's HMAC key (voltis), sealed under APP_KEY;
 * - `importedAt`: when rows of the format were last imported (ISO 8601): a newer one tells every
 *   instance, through the tenant cache, that its in-memory list of the tenant's imported key ids
 *   (LegacyKeyIndex) is out of date.
 */
export type LegacyFormatSettings = Partial<
  Record<LegacyFormat, { prefixLengths?: number[]; sealedKey?: string; importedAt?: string }>
>;
