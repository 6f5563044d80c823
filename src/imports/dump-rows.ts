import type { KeyEnvironment } from '../api-keys/api-key.entity';
import type { LegacyFormat } from '../core/context/legacy-formats';

/** One row of a dump, read into what Keygate stores (scopes still raw: the catalog decides). */
export interface LegacyRow {
  legacyId: string;
  /** The old look-up value: Sanctum's id, the Voltis client id, the key prefix. */
  lookup: string;
  kind: 'workspace_key' | 'user_token';
  name: string;
  /** The old hash as stored: SHA-256 hex, bcrypt, or HMAC-SHA-512 hex. */
  hash: string;
  /** For user tokens: the old system's user id, resolved through the dump's `users`. */
  legacyUserId: string | null;
  scopes: string[];
  ipAllowlist: string[];
  environment: KeyEnvironment;
  rateLimitTier: string | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date | null;
}

/** Why a row cannot be imported, in words an operator can act on. */
export class RowError extends Error {}

type Raw = Record<string, unknown>;

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const SHA512_HEX = /^[0-9a-fA-F]{128}$/;
const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const HEX_PREFIX = /^[0-9a-fA-F]{4,32}$/;
const SK_PREFIX = /^sk_(live|test)_[A-Za-z0-9]{0,24}$/;
const DATE = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Reads one dump row of `format`; throws RowError naming the field at fault. */
export function readRow(format: LegacyFormat, raw: unknown): LegacyRow {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new RowError('not an object');
  const row = raw as Raw;
  switch (format) {
    case 'sanctum':
      return sanctum(row);
    case 'hex-bcrypt':
      return hexBcrypt(row);
    case 'voltis':
      return voltis(row);
    case 'prefixed-bcrypt':
      return prefixedBcrypt(row);
  }
}

function sanctum(row: Raw): LegacyRow {
  const id = idOf(row, 'id');
  if (!/^\d{1,20}$/.test(id))
    throw new RowError('id must be a number (Sanctum tokens are presented as <id>|<secret>)');
  return {
    ...base(row),
    legacyId: id,
    lookup: id,
    kind: 'user_token',
    name: text(row, 'name') ?? `Sanctum token ${id}`,
    hash: matching(row, 'token', SHA256_HEX, 'the SHA-256 hex of the secret (64 characters)'),
    legacyUserId: idOf(row, 'tokenable_id'),
    scopes: list(row, 'abilities') ?? ['*'],
    expiresAt: date(row, 'expires_at'),
    lastUsedAt: date(row, 'last_used_at'),
  };
}

function hexBcrypt(row: Raw): LegacyRow {
  const prefix = matching(row, 'key_prefix', HEX_PREFIX, '4 to 32 hexadecimal characters');
  return {
    ...base(row),
    legacyId: idOf(row, 'id'),
    lookup: prefix,
    kind: 'workspace_key',
    name: text(row, 'name') ?? `Imported key ${prefix}`,
    hash: matching(row, 'key_hash', BCRYPT, 'a bcrypt hash ($2y$…)'),
    scopes: list(row, 'permissions') ?? [],
    ipAllowlist: list(row, 'ip_allowlist') ?? [],
    expiresAt: date(row, 'expires_at'),
    lastUsedAt: date(row, 'last_used_at'),
    revokedAt: date(row, 'revoked_at'),
  };
}

function voltis(row: Raw): LegacyRow {
  const id = idOf(row, 'id');
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(id))
    throw new RowError('id (the client id) must be 1-64 letters, digits, . _ -');
  return {
    ...base(row),
    legacyId: id,
    lookup: id,
    kind: 'user_token',
    name: `Voltis token ${id}`,
    hash: matching(row, 'token_hashed', SHA512_HEX, 'the HMAC-SHA-512 hex of the token (128 characters)'),
    legacyUserId: idOf(row, 'user_id'),
    scopes: ['*'],
    expiresAt: date(row, 'token_expires_at'),
    lastUsedAt: date(row, 'token_last_active'),
  };
}

function prefixedBcrypt(row: Raw): LegacyRow {
  const prefix = matching(
    row,
    'key_prefix',
    SK_PREFIX,
    'sk_live_ or sk_test_ and up to 24 characters of the key',
  );
  const tier = text(row, 'rate_limit_tier');
  return {
    ...base(row),
    legacyId: idOf(row, 'id'),
    lookup: prefix,
    kind: 'workspace_key',
    name: text(row, 'name') ?? `Imported key ${prefix}`,
    hash: matching(row, 'key_hash', BCRYPT, 'a bcrypt hash ($2y$…)'),
    scopes: list(row, 'scopes') ?? [],
    environment: prefix.startsWith('sk_test_') ? 'test' : 'live',
    rateLimitTier: tier ? tier.toLowerCase() : null,
    expiresAt: date(row, 'expires_at'),
  };
}

function base(row: Raw) {
  return {
    legacyUserId: null,
    ipAllowlist: [] as string[],
    environment: 'live' as KeyEnvironment,
    rateLimitTier: null,
    lastUsedAt: null,
    revokedAt: null,
    createdAt: date(row, 'created_at'),
  };
}

export function idOf(row: Raw, field: string): string {
  const value = row[field];
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && value.length > 0 && value.length <= 64) return value;
  throw new RowError(`${field} is missing or not an id`);
}

function text(row: Raw, field: string): string | null {
  const value = row[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > 200)
    throw new RowError(`${field} must be a string of at most 200 characters`);
  return value;
}

function matching(row: Raw, field: string, shape: RegExp, what: string): string {
  const value = row[field];
  if (typeof value !== 'string' || !shape.test(value)) throw new RowError(`${field} must be ${what}`);
  return value;
}

/** A JSON column: an array of strings, or the same as a JSON string; null/absent: none given. */
function list(row: Raw, field: string): string[] | null {
  let value = row[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new RowError(`${field} must be a JSON array of strings`);
    }
  }
  if (
    !Array.isArray(value) ||
    value.length > 200 ||
    !value.every((v) => typeof v === 'string' && v.length <= 128)
  )
    throw new RowError(`${field} must be an array of strings`);
  return value as string[];
}

/** `YYYY-MM-DD HH:MM:SS` (read as UTC, as MySQL exports it) or ISO-8601; null/absent: none. */
function date(row: Raw, field: string): Date | null {
  const value = row[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !DATE.test(value))
    throw new RowError(`${field} must be a date (YYYY-MM-DD HH:MM:SS or ISO-8601)`);
  if (!realCalendarDate(value)) throw new RowError(`${field} is not a valid date`);
  const iso = value.replace(' ', 'T');
  const parsed = new Date(/[Zz]|[+-]\d{2}:?\d{2}$/.test(iso) || iso.length <= 10 ? iso : `${iso}Z`);
  if (Number.isNaN(parsed.getTime())) throw new RowError(`${field} is not a valid date`);
  return parsed;
}

/** Month, day, hour, minute, second and offset within range: 2025-02-30 is refused, not rolled over. */
function realCalendarDate(value: string): boolean {
  const [, y, mo, d, h = '0', mi = '0', sec = '0'] =
    /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value) ?? [];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return false;
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(value.slice(10));
  return !offset || (Number(offset[2]) <= 23 && Number(offset[3]) <= 59);
}
