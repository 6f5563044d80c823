import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { InvalidInputError } from '../core/errors';
import { newId } from '../core/common/ids';
import { iso } from '../core/common/iso';
import { isUniqueViolation } from '../core/database/db-errors';
import { TransactionRunner } from '../core/database/transaction-runner';
import { RequestContext } from '../core/context/request-context';
import { assertEnvironmentAllows } from '../access/test-credential-rule';
import { CustomScopesRepository } from './custom-scopes.repository';
import { CreateScopeDto } from './dto/create-scope.dto';
import { ScopeCatalog } from './scope-catalog';
import { normalizeScope } from '../core/access-policy/scope-names';

/** Custom scopes a tenant may register. */
export const MAX_CUSTOM_SCOPES = 500;

/** The catalog as the API shows it, and the tenant's own scopes for its services. */
@Injectable()
export class ScopesService {
  constructor(
    private readonly catalog: ScopeCatalog,
    private readonly customScopes: CustomScopesRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  async list(ctx: RequestContext) {
    return { data: await this.catalog.forTenant(ctx) };
  }

  async create(ctx: RequestContext, dto: CreateScopeDto) {
    assertEnvironmentAllows(ctx.principal());
    const name = normalizeScope(dto.name);
    if (!name || name.includes('*') || !name.includes(':')) {
      throw InvalidInputError.field('name', 'name must be a concrete scope such as invoices:approve');
    }
    const catalog = await this.catalog.forTenant(ctx);
    if (catalog.some((entry) => entry.name === name)) {
      throw InvalidInputError.field('name', 'name is already in the catalog');
    }
    // Bounded: every scope list a request sends is checked against the tenant's catalog.
    if (catalog.filter((entry) => entry.source === 'custom').length >= MAX_CUSTOM_SCOPES) {
      throw InvalidInputError.field('name', `a tenant has at most ${MAX_CUSTOM_SCOPES} custom scopes`);
    }
    const row = { id: newId('scp'), name, description: dto.description ?? '', createdAt: new Date() };
    try {
      await this.transactions.run(ctx, async (ctx) => {
        await this.customScopes.insert(ctx, row);
        await this.audit.record(ctx, {
          action: 'scope.created',
          targetType: 'scope',
          tenantLevel: true,
          targetId: row.id,
          metadata: { name },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw InvalidInputError.field('name', 'name is already in the catalog');
      throw error;
    }
    return {
      id: row.id,
      name,
      description: row.description,
      source: 'custom',
      created_at: iso(row.createdAt),
    };
  }
}
