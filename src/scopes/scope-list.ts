import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../core/errors';
import { ScopeCatalog } from './scope-catalog';
import { normalizeScope } from '../core/access-policy/scope-names';
import type { RequestContext } from '../core/context/request-context';

/**
 * Scope lists given as input where keys are not involved (a role's permissions, a user token's
 * abilities): colon form, no duplicates, and every entry in the tenant's catalog, else 422. Who
 * may grant them is checked by the caller, because "held" differs: a token's own abilities for
 * tokens, the effective scopes for roles.
 */
@Injectable()
export class ScopeList {
  constructor(private readonly catalog: ScopeCatalog) {}

  async normalize(ctx: RequestContext, raw: readonly string[], field: string): Promise<string[]> {
    const normalized: string[] = [];
    for (const entry of raw) {
      const scope = normalizeScope(entry);
      if (!scope)
        throw InvalidInputError.field(
          field,
          `"${String(entry).slice(0, 80)}" is not a scope (resource:action)`,
        );
      if (!normalized.includes(scope)) normalized.push(scope);
    }
    const unknown = await this.catalog.unknown(ctx, normalized);
    if (unknown.length > 0) {
      throw InvalidInputError.field(
        field,
        `unknown scopes: ${unknown.join(', ')} (register custom ones at POST /api/v1/scopes)`,
      );
    }
    return normalized;
  }
}
