import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../core/errors';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { ScopeList } from '../scopes/scope-list';
import { normalizeAllowlistEntry } from './ip-allowlist';
import type { RequestContext } from '../core/context/request-context';

/**
 * The rules every key setting obeys, whoever sets it (create, patch, user tokens): scopes in
 * colon form, from the catalog; allowlists that parse; expiry in the future; tiers that exist.
 * Who may set them is not decided here but by Authority, for the key as a whole.
 */
@Injectable()
export class KeySettings {
  constructor(
    private readonly scopeList: ScopeList,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  /** Whether the caller may grant them is Authority's question, asked of the whole key. */
  scopes(ctx: RequestContext, raw: string[], field = 'scopes'): Promise<string[]> {
    return this.scopeList.normalize(ctx, raw, field);
  }

  allowlist(raw: string[]): string[] {
    const out: string[] = [];
    for (const entry of raw) {
      const normalized = normalizeAllowlistEntry(entry);
      if (!normalized)
        throw InvalidInputError.field(
          'ip_allowlist',
          `"${String(entry).slice(0, 64)}" is not an IP address or CIDR range`,
        );
      if (!out.includes(normalized)) out.push(normalized);
    }
    return out;
  }

  /**
   * undefined → the configured default lifetime (if any), and never past `cap` (the expiry of a
   * caller that may not be outlived); null → never expires.
   */
  expiry(raw: string | null | undefined, cap: number | null = null, now = Date.now()): Date | null {
    if (raw === null) return null;
    if (raw === undefined) {
      const lifetime = this.config.defaultKeyLifetimeSeconds;
      const end = Math.min(lifetime ? now + lifetime * 1000 : Infinity, cap ?? Infinity);
      return Number.isFinite(end) ? new Date(end) : null;
    }
    const date = new Date(raw);
    if (Number.isNaN(date.getTime()))
      throw InvalidInputError.field('expires_at', 'expires_at must be an ISO-8601 date-time');
    if (date.getTime() <= now)
      throw InvalidInputError.field('expires_at', 'expires_at must be in the future');
    return date;
  }

  tier(raw: string | null | undefined): string | null {
    if (raw === undefined || raw === null) return null;
    if (!this.config.rateLimitTiers.has(raw)) {
      throw InvalidInputError.field(
        'rate_limit_tier',
        `rate_limit_tier must be one of ${[...this.config.rateLimitTiers.keys()].join(', ')}`,
      );
    }
    return raw;
  }
}
