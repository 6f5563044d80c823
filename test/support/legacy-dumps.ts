import { hash } from 'bcrypt';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { KeyCache } from '../../src/api-keys/key-cache';
import type { TestApp } from './test-app';

/**
 * Dumps of the four source systems, built from plaintexts made here, hashed as each system hashes
 * them (real SHA-256, real bcrypt with PHP's `$2y$`, real HMAC-SHA-512), so an import test proves
 * that the very keys users hold keep working.
 */
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const base62 = (n: number) =>
  randomBytes(n * 2)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, n);

/** PHP's password_hash writes $2y$; the bcrypt package writes $2b$: the same algorithm. */
export async function phpBcrypt(plaintext: string, cost = 4): Promise<string> {
  return (await hash(plaintext, cost)).replace(/^\$2b\$/, '$2y$');
}

/** A Sanctum token: `<id>|<40 chars>`, stored as the SHA-256 hex of the part after the bar. */
export function sanctumToken(id: number, userId: number, abilities: unknown = ['invoices.read']) {
  const secret = base62(40);
  return {
    plaintext: `${id}|${secret}`,
    row: {
      id,
      tokenable_type: 'App\\Models\\User',
      tokenable_id: userId,
      name: `token ${id}`,
      token: sha256(secret),
      abilities,
      last_used_at: null,
      expires_at: null,
      created_at: '2025-06-01 10:00:00',
    },
  };
}

/** A PHP-admin key: 64 hex, looked up by its first 8 characters, bcrypt at rest. */
export async function hexKey(id: number, extra: Record<string, unknown> = {}, cost = 4) {
  const plaintext = randomBytes(32).toString('hex');
  return {
    plaintext,
    row: {
      id,
      name: `hex key ${id}`,
      key_prefix: plaintext.slice(0, 8),
      key_hash: await phpBcrypt(plaintext, cost),
      permissions: JSON.stringify(['invoices.read']),
      ip_allowlist: '[]',
      expires_at: null,
      last_used_at: null,
      revoked_at: null,
      created_at: '2025-06-01 10:00:00',
      ...extra,
    },
  };
}

/** A Voltis token: 160 hex from random_bytes, HMAC-SHA-512 under the old app key; a client id. */
export function voltisToken(
  clientId: string,
  userId: number,
  appKey: string,
  extra: Record<string, unknown> = {},
) {
  const plaintext = randomBytes(80).toString('hex');
  return {
    plaintext,
    row: {
      id: clientId,
      token_hashed: createHmac('sha512', appKey).update(plaintext).digest('hex'),
      user_id: userId,
      token_last_active: '2025-06-01 10:00:00',
      token_expires_at: null,
      ...extra,
    },
  };
}

/** A Core PHP key of the old shape `sk_live_<32>`, bcrypt at rest, found by its first 16 characters. */
export async function corePhpKey(
  id: number,
  environment: 'live' | 'test',
  extra: Record<string, unknown> = {},
) {
  const plaintext = `sk_${environment}_${base62(32)}`;
  return {
    plaintext,
    row: {
      id,
      name: `core key ${id}`,
      workspace_id: 77,
      key_prefix: plaintext.slice(0, 16),
      key_hash: await phpBcrypt(plaintext),
      scopes: ['invoices:read', 'invoices:create'],
      rate_limit_tier: 'pro',
      expires_at: null,
      created_at: '2025-06-01T10:00:00Z',
      ...extra,
    },
  };
}

export interface StoredRow {
  id: string;
  secret: string;
  legacy: string | null;
}

/** An imported row as stored (both hashes), read straight from the database. */
export async function storedRow(
  t: TestApp,
  tenantId: string,
  format: string,
  legacyId: string,
): Promise<StoredRow> {
  const rows = await t.app
    .get(DataSource)
    .query<StoredRow[]>(
      'SELECT id, secret_hash AS secret, legacy_hash AS legacy FROM api_keys WHERE tenant_id = ? AND format = ? AND legacy_id = ?',
      [tenantId, format, legacyId],
    );
  if (rows.length !== 1) throw new Error(`expected one ${format} row ${legacyId}, found ${rows.length}`);
  return rows[0];
}

/** What Keygate stores for a key after its first use: HMAC-SHA-256 under APP_KEY. */
export const keygateHmac = (appKey: string, plaintext: string) =>
  createHmac('sha256', appKey).update(plaintext).digest('hex');

/** Forgets every cached key, as a fresh instance would start. */
export function coldCache(t: TestApp): void {
  t.app.get(KeyCache).clear();
}
