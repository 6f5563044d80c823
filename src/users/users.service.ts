import { SessionsService } from '../sessions/sessions.service';
import { Injectable } from '@nestjs/common';
import { PermissionResolver } from '../access/permission-resolver';
import { AuditService } from '../audit/audit.service';
import { InvalidInputError } from '../core/errors';
import { newId } from '../core/common/ids';
import { PageQueryDto } from '../core/common/pagination';
import { isUniqueViolation } from '../core/database/db-errors';
import { keysetPage } from '../core/database/keyset-page';
import { TransactionRunner } from '../core/database/transaction-runner';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { RequestContext } from '../core/context/request-context';
import { CreateUserDto, SearchUsersDto, UpdateUserDto } from './dto/user.dto';
import { ManageableUsers } from './manageable-users';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';
import { presentUser } from './user.presenter';
import { UsersRepository } from './users.repository';

const EMAIL_TAKEN = 'email has already been taken';

/**
 * Users of the request's tenant (another tenant's id is 404 through the scoped repository).
 * Every change commits with its audit row and is published, so the guard chain applies it to
 * the user's tokens on the next request.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly manageable: ManageableUsers,
    private readonly passwords: PasswordHasher,
    private readonly permissions: PermissionResolver,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly bus: InvalidationBus,
    private readonly sessions: SessionsService,
  ) {}

  list(ctx: RequestContext, query: PageQueryDto) {
    return keysetPage(this.users.queryBuilder(ctx, 'u'), 'u', query, presentUser);
  }

  /** Seed 000's `/users/search`: name or email contains `q`, this tenant only, by name. */
  async search(ctx: RequestContext, query: SearchUsersDto) {
    const pattern = `%${query.q.toLowerCase().replace(/[!%_]/g, '!$&')}%`;
    const rows = await this.users
      .queryBuilder(ctx, 'u')
      .andWhere("(LOWER(u.name) LIKE :pattern ESCAPE '!' OR u.email LIKE :pattern ESCAPE '!')", { pattern })
      .orderBy('u.name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(query.limit ?? 20)
      .getMany();
    return { data: rows.map(presentUser) };
  }

  get(ctx: RequestContext, id: string): Promise<User> {
    return this.users.findOneOrFail(ctx, { id });
  }

  create(ctx: RequestContext, dto: CreateUserDto) {
    return this.transactions.exclusive(ctx, (ctx) => this.createChecked(ctx, dto));
  }

  private async createChecked(ctx: RequestContext, dto: CreateUserDto) {
    await this.manageable.assertMayCreate(ctx, dto.tenant_role);
    const now = new Date();
    const email = dto.email.toLowerCase();
    const passwordHash = await this.passwords.hash(dto.password);
    const user = {
      id: newId('usr'),
      email,
      name: dto.name,
      passwordHash,
      status: 'active' as const,
      tenantRole: dto.tenant_role ?? null,
      currentWorkspaceId: null,
      createdAt: now,
      updatedAt: now,
    };
    const row = await this.uniqueEmail(() =>
      this.transactions.run(ctx, async (ctx) => {
        if (await this.users.findOne(ctx, { email })) throw InvalidInputError.field('email', EMAIL_TAKEN);
        const inserted = await this.users.insert(ctx, user);
        await this.audit.record(ctx, {
          action: 'user.created',
          targetType: 'user',
          tenantLevel: true,
          targetId: user.id,
          alsoIn: user.tenantRole ? await this.permissions.allWorkspaceIds(ctx) : [],
          metadata: { email, tenant_role: user.tenantRole },
        });
        return inserted;
      }),
    );
    return presentUser(row);
  }

  update(ctx: RequestContext, id: string, dto: UpdateUserDto) {
    return this.transactions.exclusive(ctx, (ctx) => this.updateChecked(ctx, id, dto));
  }

  private async updateChecked(ctx: RequestContext, id: string, dto: UpdateUserDto) {
    // Renaming oneself is fine; changing one's own tenant role is how an owner locks itself out.
    const user = await this.manageable.find(ctx, id, 'users:update', {
      selfAllowed: dto.tenant_role === undefined,
      tenantRole: dto.tenant_role,
      setsPassword: dto.password !== undefined,
      changesIdentity: dto.password !== undefined || dto.email !== undefined,
    });
    const reach = await this.manageable.reach(ctx, id);
    const email = dto.email?.toLowerCase();
    const patch: Partial<User> = { updatedAt: new Date() };
    if (email !== undefined) patch.email = email;
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.tenant_role !== undefined) patch.tenantRole = dto.tenant_role;
    if (dto.password !== undefined) patch.passwordHash = await this.passwords.hash(dto.password);
    // From → to, but for the password only that it changed: no password or hash in the log.
    const changes: Record<string, unknown> = {};
    for (const field of ['email', 'name'] as const) {
      if (patch[field] !== undefined && patch[field] !== user[field])
        changes[field] = { from: user[field], to: patch[field] };
    }
    if (patch.tenantRole !== undefined && patch.tenantRole !== user.tenantRole) {
      changes.tenant_role = { from: user.tenantRole, to: patch.tenantRole };
    }
    if (patch.passwordHash !== undefined) changes.password = 'changed';
    await this.uniqueEmail(() =>
      this.transactions.run(ctx, async (ctx) => {
        if (email && email !== user.email && (await this.users.findOne(ctx, { email })))
          throw InvalidInputError.field('email', EMAIL_TAKEN);
        await this.users.update(ctx, { id }, patch);
        if (patch.passwordHash !== undefined) await this.sessions.endAllOf(ctx, id);
        await this.audit.record(ctx, {
          action: 'user.updated',
          targetType: 'user',
          tenantLevel: true,
          targetId: id,
          // A new tenant role reaches every workspace: each one's log shows it.
          alsoIn: patch.tenantRole ? await this.permissions.allWorkspaceIds(ctx) : reach,
          metadata: { changes },
        });
      }),
    );
    this.changed(ctx, id);
    const { passwordHash: _hash, ...visible } = patch;
    return presentUser({ ...user, ...visible });
  }

  private async uniqueEmail<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw InvalidInputError.field('email', EMAIL_TAKEN);
      throw error;
    }
  }

  private changed(ctx: RequestContext, userId: string): void {
    this.bus.publish(ctx, { type: 'user', tenantId: ctx.tenantId(), userId });
  }
}
