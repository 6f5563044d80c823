import { Injectable } from '@nestjs/common';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { Principal } from '../core/context/principal';
import { header, HttpRequest } from '../core/http/http-request';
import { sessionSecret } from './session-cookie';
import { Session } from './session.entity';
import { CsrfMismatchError } from './session.errors';
import { SessionsService } from './sessions.service';
import type { RequestContext } from '../core/context/request-context';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The session cookie as a credential of the guard chain, asked only when a request carries no
 * other credential (the bearer-key hot path never gets here). It yields the principal of a user
 * token of that user with abilities `*`: the user's own permissions in the workspace chosen.
 * A state-changing method must carry the session's CSRF token (`X-CSRF-Token`, or a `_csrf`
 * form field), else 419.
 */
@Injectable()
export class SessionAuthenticator {
  constructor(
    private readonly sessions: SessionsService,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  /** Is there a well-formed session cookie at all (cheap, no database)? */
  present(request: HttpRequest): boolean {
    return sessionSecret(request) !== null;
  }

  /** The principal, null for a cookie that names no live session here; 419 on a CSRF mismatch. */
  async authenticate(ctx: RequestContext, request: HttpRequest): Promise<Principal | null> {
    const secret = sessionSecret(request);
    if (secret === null) return null;
    const session = await this.sessions.resolve(ctx, secret);
    if (!session) return null;
    const formToken = takeFormToken(request);
    if (!SAFE_METHODS.has(request.method.toUpperCase())) {
      const presented = header(request, 'x-csrf-token') ?? formToken;
      if (!this.sessions.csrfMatches(secret, presented)) throw new CsrfMismatchError();
    }
    return this.principalOf(session);
  }

  private principalOf(session: Session): Principal {
    return {
      kind: 'user_token',
      viaSession: true,
      credentialId: session.id,
      prefix: 'session',
      environment: 'live',
      boundWorkspaceId: null,
      userId: session.userId,
      grantedScopes: ['*'],
      rateLimit: this.config.rateLimitDefault,
      // The user's one budget, shared with their tokens.
      budgetId: `user:${session.userId}`,
      // The person, signed in with their password: what they create is not capped by the session.
      expiresAt: null,
      allowlist: [],
    };
  }
}

/** A `_csrf` form field is read and removed, so that DTO validation never sees it. */
function takeFormToken(request: HttpRequest): string | null {
  const body = request.body;
  if (typeof body !== 'object' || body === null || !('_csrf' in body)) return null;
  const value = (body as Record<string, unknown>)._csrf;
  delete (body as Record<string, unknown>)._csrf;
  return typeof value === 'string' ? value : null;
}
