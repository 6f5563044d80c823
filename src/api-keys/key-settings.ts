import { Injectable } from '@nestjs/common';
import { ForbiddenError, InvalidInputError } from '../common/errors';
import { InjectConfig, KeygateConfig } from '../config/keygate.config';
import { RequestContext } from '../pipeline/request-context';
import { ScopeList } from '../scopes/scope-list';
import { coveredByAny } from '../scopes/scope-names';
import { normalizeAllowlistEntry } from './ip-allowlist';

/**
 * The rules every key setting obeys, whoever sets it (create, patch, user tokens): scopes in
 * colon form, from the catalog, never more than the caller holds; allowlists that parse; expiry
 * in the future; tiers that exist.
 */
@Injectable()
export class KeySettings {
  constructor(
    private readonly scopeList: ScopeList,
    private readonly context: RequestContext,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  async scopes(raw: string[], field = 'scopes'): Promise<string[]> {
    const normalized = await this.scopeList.normalize(raw, field);
    // No credential can grant what it does not hold itself.
    const held = this.context.effectiveScopes();
    const beyond = normalized.find((scope) => !coveredByAny(held, scope));
    if (beyond) throw new ForbiddenError({ required_scope: beyond, provided_scopes: held });
    return normalized;
  }

  allowlist(raw: string[]): string[] {
    const out: string[] = [];
    for (const entry of raw) {
      const normalized = normalizeAllowlistEntry(entry);
      if (!normalized) throw InvalidInputError.field('ip_allowlist', `"${String(entry).slice(0, 64)}" is not an IP address or CIDR range`);
      if (!out.includes(normalized)) out.push(normalized);
    }
    return out;
  }

  /** undefined → the configured default lifetime (if any); null → never expires. */
  expiry(raw: string | null | undefined, now = Date.now()): Date | null {
    if (raw === null) return null;
    if (raw === undefined) {
      const lifetime = this.config.defaultKeyLifetimeSeconds;
      return lifetime ? new Date(now + lifetime * 1000) : null;
    }
    const date = new Date(raw);
    if (Number.isNaN(date.getTime())) throw InvalidInputError.field('expires_at', 'expires_at must be an ISO-8601 date-time');
    if (date.getTime() <= now) throw InvalidInputError.field('expires_at', 'expires_at must be in the future');
    return date;
  }

  tier(raw: string | null | undefined): string | null {
    if (raw === undefined || raw === null) return null;
    if (!this.config.rateLimitTiers[raw]) {
      throw InvalidInputError.field('rate_limit_tier', `rate_limit_tier must be one of ${Object.keys(this.config.rateLimitTiers).join(', ')}`);
    }
    return raw;
  }
}
