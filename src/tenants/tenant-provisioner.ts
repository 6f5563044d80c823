import { Injectable } from '@nestjs/common';
import { validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { KeyIssuer } from '../api-keys/key-issuer';
import { AuditService } from '../audit/audit.service';
import { InvalidInputError, FieldErrors } from '../core/errors';
import { newId } from '../core/common/ids';
import { isUniqueViolation } from '../core/database/db-errors';
import { TransactionRunner } from '../core/database/transaction-runner';
import { RequestContext } from '../core/context/request-context';
import { PasswordHasher } from '../users/password-hasher';
import { presentUser } from '../users/user.presenter';
import { UserDirectory } from '../users/user-directory';
import { WorkspaceDirectory } from '../workspaces/workspace-directory';
import { MembershipRecords } from '../access/membership-records';
import { presentWorkspace } from '../workspaces/workspace.presenter';
import { CreateTenantDto } from './dto/create-tenant.dto';
import { Tenant } from './tenant.entity';
import { presentTenant } from './tenant.presenter';
import { TenantsRepository } from './tenants.repository';

/** Hosts that must never become tenants. */
const RESERVED_SLUGS = new Set(['www', 'api', 'admin', 'platform', 'app', 'static', 'status', 'health']);

/**
 * A new tenant, whole: the tenant, its owner (tenant role `owner`: every permission everywhere),
 * a default workspace with the owner as member, and an owner token. All in one transaction.
 */
@Injectable()
export class TenantProvisioner {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly users: UserDirectory,
    private readonly workspaces: WorkspaceDirectory,
    private readonly memberships: MembershipRecords,
    private readonly issuer: KeyIssuer,
    private readonly passwords: PasswordHasher,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Validates raw input (the CLI has no ValidationPipe in front of it). */
  async validate(input: Record<string, unknown>): Promise<CreateTenantDto> {
    const dto = plainToInstance(CreateTenantDto, input);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      const fields: FieldErrors = {};
      for (const e of errors) fields[e.property] = Object.values(e.constraints ?? {});
      throw new InvalidInputError(fields);
    }
    return dto;
  }

  async create(ctx: RequestContext, dto: CreateTenantDto) {
    if (RESERVED_SLUGS.has(dto.slug)) throw InvalidInputError.field('slug', 'slug is reserved');
    const passwordHash = await this.passwords.hash(dto.owner_password);
    const now = new Date();
    const tenant: Tenant = {
      id: newId('ten'),
      slug: dto.slug,
      name: dto.name ?? dto.slug,
      status: 'active',
      legacyFormats: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      return await this.transactions.run(ctx, async (ctx) => {
        if (await this.tenants.findBySlug(ctx, dto.slug))
          throw InvalidInputError.field('slug', 'slug has already been taken');
        await this.tenants.insert(ctx, tenant);
        return this.populate(ctx.withTenant(tenant), tenant, dto, passwordHash, now);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw InvalidInputError.field('slug', 'slug has already been taken');
      throw error;
    }
  }

  private async populate(
    ctx: RequestContext,
    tenant: Tenant,
    dto: CreateTenantDto,
    passwordHash: string,
    now: Date,
  ) {
    const workspace = await this.workspaces.insert(ctx, {
      id: newId('ws'),
      name: 'Default',
      status: 'active',
      createdAt: now,
      updatedAt: now,
    });
    const owner = await this.users.insert(ctx, {
      id: newId('usr'),
      email: dto.owner_email.toLowerCase(),
      name: dto.owner_email.split('@')[0],
      passwordHash,
      status: 'active',
      tenantRole: 'owner',
      currentWorkspaceId: workspace.id,
      createdAt: now,
      updatedAt: now,
    });
    await this.memberships.seed(ctx, {
      id: newId('mem'),
      workspaceId: workspace.id,
      userId: owner.id,
      role: 'owner',
      createdAt: now,
      updatedAt: now,
    });
    const token = await this.issuer.issue(ctx, {
      kind: 'user_token',
      name: 'owner',
      workspaceId: null,
      userId: owner.id,
      environment: 'live',
      scopes: ['*'],
      createdBy: 'provisioner',
    });
    await this.audit.record(ctx, {
      action: 'tenant.created',
      targetType: 'tenant',
      tenantLevel: true,
      targetId: tenant.id,
      workspaceId: workspace.id,
      metadata: { slug: tenant.slug },
    });
    return {
      tenant: presentTenant(tenant),
      owner: presentUser(owner),
      workspace: presentWorkspace(workspace),
      token: token.key,
    };
  }
}
