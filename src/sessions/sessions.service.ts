import { IsNull } from 'typeorm';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { newId } from '../core/common/ids';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { currentUser } from '../core/context/current-user';
import { RequestContext } from '../core/context/request-context';
import { TransactionRunner } from '../core/database/transaction-runner';
import { ForbiddenError } from '../core/errors';
import { Session } from './session.entity';
import { presentSession } from './session.presenter';
import { SessionSecrets } from './session-secrets';
import { SessionsRepository } from './sessions.repository';

/** last_seen_at is written at most this often per session: no database write per request. */
const TOUCH_EVERY_MS = 60_000;

export interface StartedSession {
  session: Session;
  /** The cookie's value: handed to the browser once, never stored. */
  secret: string;
  csrfToken: string;
}

/**
 * Server-side sessions of the dashboard: started by a password sign-in, ended by logout, by a
 * revoke from the session list, after SESSION_IDLE_MINUTES without a request, or at the latest
 * SESSION_MAX_HOURS after sign-in.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly secrets: SessionSecrets,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  /** For a user whose password was just checked (AuthService.authenticate). */
  async start(
    ctx: RequestContext,
    userId: string,
    userAgent: string | null,
    workspaces: readonly string[],
  ): Promise<StartedSession> {
    const secret = this.secrets.generate();
    const now = new Date();
    const row = {
      id: newId('ses'),
      idHash: this.secrets.hash(secret),
      userId,
      ip: ctx.clientIp(),
      userAgent: userAgent ? userAgent.slice(0, 400) : null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.sessionMaxHours * 3_600_000),
      revokedAt: null,
    };
    const session = await this.transactions.run(ctx, async (ctx) => {
      const inserted = await this.sessions.insert(ctx, row);
      await this.audit.record(ctx, {
        action: 'user.signed_in',
        targetType: 'user',
        targetId: userId,
        workspaceId: workspaces[0] ?? null,
        alsoIn: workspaces,
        actor: { type: 'user', id: userId },
        metadata: { session_id: row.id },
      });
      return inserted;
    });
    return { session, secret, csrfToken: this.secrets.csrf(secret) };
  }

  /**
   * The live session behind a cookie secret on this tenant, or null (unknown, another tenant's,
   * revoked, idle too long, past its absolute end). Touches last_seen_at at most once a minute.
   */
  async resolve(ctx: RequestContext, secret: string, now = Date.now()): Promise<Session | null> {
    const session = await this.sessions.findByHash(ctx, this.secrets.hash(secret));
    if (!session) return null;
    const idleEnd = session.lastSeenAt.getTime() + this.config.sessionIdleMinutes * 60_000;
    if (now >= session.expiresAt.getTime() || now >= idleEnd) return null;
    if (now - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      session.lastSeenAt = new Date(now);
      await this.sessions.update(ctx, { id: session.id }, { lastSeenAt: session.lastSeenAt });
    }
    return session;
  }

  csrfToken(secret: string): string {
    return this.secrets.csrf(secret);
  }

  csrfMatches(secret: string, presented: string | null): boolean {
    return this.secrets.csrfMatches(secret, presented);
  }

  /**
   * Ends every live session of a user, inside the caller's transaction: a new password (someone
   * may have had the old one) and a deactivation sign the user out everywhere, as Laravel,
   * Stripe and GitHub do. Reactivating means signing in again. Tokens are not touched.
   */
  async endAllOf(ctx: RequestContext, userId: string): Promise<number> {
    const live = await this.sessions.find(ctx, { userId, revokedAt: IsNull() });
    if (live.length > 0)
      await this.sessions.update(ctx, { userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return live.length;
  }

  /** The caller's own sessions still alive, newest first. */
  async list(ctx: RequestContext) {
    const me = currentUser(ctx);
    const now = Date.now();
    const rows = await this.sessions.find(ctx, { userId: me.userId }, { order: { id: 'DESC' }, take: 100 });
    const idleMs = this.config.sessionIdleMinutes * 60_000;
    const alive = rows.filter(
      (s) => s.revokedAt === null && s.expiresAt.getTime() > now && s.lastSeenAt.getTime() + idleMs > now,
    );
    const currentId = me.viaSession ? me.credentialId : null;
    return { data: alive.map((s) => presentSession(s, currentId)) };
  }

  /**
   * One of the caller's own sessions (anyone else's is 404): it stops working at once. Ending an
   * ended one again changes nothing and records nothing (the update counts what it changed, so two
   * concurrent ends write one audit row).
   */
  async revoke(ctx: RequestContext, id: string): Promise<void> {
    const me = currentUser(ctx);
    const session = await this.sessions.findOneOrFail(ctx, { id, userId: me.userId });
    await this.transactions.run(ctx, async (ctx) => {
      const ended = await this.sessions.update(
        ctx,
        { id: session.id, revokedAt: IsNull() },
        { revokedAt: new Date() },
      );
      if (ended === 0) return;
      await this.audit.record(ctx, {
        action: 'session.revoked',
        targetType: 'session',
        targetId: session.id,
        metadata: { current: session.id === me.credentialId },
      });
    });
  }

  /** Logout of the session the request came with. */
  endCurrent(ctx: RequestContext): Promise<void> {
    const me = currentUser(ctx);
    if (!me.viaSession) throw ForbiddenError.because('not_a_user');
    return this.revoke(ctx, me.credentialId);
  }
}
