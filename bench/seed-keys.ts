import { generateKey } from '../src/api-keys/key-format';
import { KeyHasher } from '../src/api-keys/key-hasher';
import { newId } from '../src/core/common/ids';
import type { KeygateConfig } from '../src/core/config/load-config';
import { BENCH_APP_KEY } from './app-process';

/** The api_keys columns, in the order of the rows below. */
export const KEY_COLUMNS = [
  'id',
  'tenant_id',
  'kind',
  'workspace_id',
  'user_id',
  'name',
  'key_id',
  'secret_hash',
  'environment',
  'scopes',
  'ip_allowlist',
  'rate_limit_tier',
  'rate_limit_limit',
  'rate_limit_window_seconds',
  'expires_at',
  'last_used_at',
  'revoked_at',
  'rotated_from_id',
  'created_by',
  'created_at',
  'updated_at',
];

export type KeyRow = unknown[];

/**
 * Workspace keys made with the app's own key format and KeyHasher (HMAC under the same APP_KEY),
 * exactly as KeyIssuer makes them, but written in bulk. Each has `ping:read` and a budget large
 * enough never to be hit, so the rate limiter counts every request without refusing any.
 */
export class KeyFactory {
  private readonly hasher = new KeyHasher({ appKey: BENCH_APP_KEY } as KeygateConfig);

  constructor(
    private readonly tenantId: string,
    private readonly workspaceId: string,
    private readonly timestamp: (date: Date) => unknown,
  ) {}

  make(count: number, keep: (index: number) => boolean): { rows: KeyRow[]; plaintexts: string[] } {
    const rows: KeyRow[] = [];
    const plaintexts: string[] = [];
    const now = this.timestamp(new Date());
    for (let i = 0; i < count; i++) {
      const generated = generateKey('workspace_key', 'live', this.hasher.keyIds.mint());
      if (keep(i)) plaintexts.push(generated.key);
      rows.push([
        newId('key'),
        this.tenantId,
        'workspace_key',
        this.workspaceId,
        null,
        'bench',
        generated.keyId,
        this.hasher.hash(generated.key),
        'live',
        '["ping:read"]',
        '[]',
        null,
        1_000_000_000,
        3600,
        null,
        null,
        null,
        null,
        null,
        now,
        now,
      ]);
    }
    return { rows, plaintexts };
  }
}
