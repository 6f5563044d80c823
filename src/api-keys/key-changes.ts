import { iso } from '../core/common/iso';
import type { ApiKey } from './api-key.entity';

type Change = { from: unknown; to: unknown };

/** What a PATCH changed, as `{field: {from, to}}` in the API's own names, for the audit row. */
export function changesOf(
  before: ApiKey,
  after: ApiKey,
  fields: readonly (keyof ApiKey)[],
): Record<string, Change> {
  const out: Record<string, Change> = {};
  for (const field of fields) {
    const from = shown(before[field]);
    const to = shown(after[field]);
    if (JSON.stringify(from) !== JSON.stringify(to)) out[NAMES[field] ?? String(field)] = { from, to };
  }
  return out;
}

const NAMES: Partial<Record<keyof ApiKey, string>> = {
  ipAllowlist: 'ip_allowlist',
  expiresAt: 'expires_at',
  rateLimitTier: 'rate_limit_tier',
  rateLimitLimit: 'rate_limit.limit',
  rateLimitWindowSeconds: 'rate_limit.window_seconds',
};

function shown(value: unknown): unknown {
  return value instanceof Date ? iso(value) : (value ?? null);
}
