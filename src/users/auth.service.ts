import { Injectable, Logger } from '@nestjs/common';
import { KeyIssuer } from '../api-keys/key-issuer';
import { PermissionResolver } from '../access/permission-resolver';
import { AuditService } from '../audit/audit.service';
import { UnauthenticatedError } from '../core/errors';
import { iso } from '../core/common/iso';
import { TransactionRunner } from '../core/database/transaction-runner';
import { RequestContext } from '../core/context/request-context';
import { LoginDto } from './dto/login.dto';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { presentUser } from './user.presenter';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

/** bcrypt reads 72 bytes at most; passwords are refused beyond that at creation, never cut. */
const BCRYPT_MAX_BYTES = 72;

/**
 * Email and password in, a user token out (abilities `*`, capped at use by the user's
 * permissions). Unknown email, wrong password, deactivated user and another tenant's user all
 * get the same 401 after one bcrypt comparison each, so neither body nor timing tells them apart.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly issuer: KeyIssuer,
    private readonly permissions: PermissionResolver,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
  ) {}

  async login(ctx: RequestContext, dto: LoginDto) {
    const user = await this.authenticate(ctx, dto);
    const workspaces = await this.workspacesOf(ctx, user.id);
    const issued = await this.transactions.run(ctx, async (ctx) => {
      const token = await this.issuer.issue(ctx, {
        kind: 'user_token',
        name: dto.device_name ?? 'login',
        workspaceId: null,
        userId: user.id,
        environment: 'live',
        scopes: ['*'],
        createdBy: 'login',
      });
      await this.audit.record(ctx, {
        action: 'user.logged_in',
        targetType: 'user',
        targetId: user.id,
        // In the log of every workspace the user can act in, as a sign-in there would be.
        workspaceId: user.currentWorkspaceId ?? workspaces[0] ?? null,
        alsoIn: workspaces,
        actor: { type: 'user', id: user.id },
        metadata: { token_id: token.row.id },
      });
      return token;
    });
    return {
      token: issued.key,
      token_type: 'Bearer',
      token_id: issued.row.id,
      abilities: issued.row.scopes,
      expires_at: iso(issued.row.expiresAt),
      user: presentUser(user),
    };
  }

  /**
   * The user behind an email and password, or the one 401; throttled (per email and per address)
   * before bcrypt. Shared by the token login and the dashboard's session sign-in.
   */
  async authenticate(ctx: RequestContext, dto: Pick<LoginDto, 'email' | 'password'>): Promise<User> {
    const tenantId = ctx.tenantId();
    const ip = ctx.clientIp() ?? 'unknown';
    const email = dto.email.trim().toLowerCase();
    this.throttle.hit(tenantId, email, ip);
    // The users repository is tenant-scoped: another tenant's user is simply not found here.
    const user = await this.users.findByEmailWithPassword(ctx, email);
    const fits = Buffer.byteLength(dto.password, 'utf8') <= BCRYPT_MAX_BYTES;
    const matches = await this.passwords.verify(
      fits ? dto.password : '',
      fits && user ? user.passwordHash : null,
    );
    if (!user || !matches || user.status !== 'active') {
      const reason = !user ? 'unknown_email' : !matches ? 'wrong_password' : 'user_inactive';
      this.logger.warn(`login failed: reason=${reason} ip=${ip}`);
      throw new UnauthenticatedError(reason);
    }
    this.throttle.succeeded(tenantId, email);
    return user;
  }

  /** The workspaces a user can act in (where a sign-in is logged). */
  async workspacesOf(ctx: RequestContext, userId: string): Promise<string[]> {
    const access = await this.permissions.access(ctx, ctx.tenantId(), userId);
    return access ? await this.permissions.workspacesOf(ctx, access) : [];
  }
}
