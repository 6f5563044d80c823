import { Injectable } from '@nestjs/common';
import { CredentialVerifier } from '../api-keys/credential-verifier';
import { KeyHasher } from '../api-keys/key-hasher';
import { OAuthAccessTokens } from '../api-keys/oauth-access-tokens';
import { coveredByAny, normalizeScope } from '../core/access-policy/scope-names';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { AuthFailureLimiter } from '../core/http/auth-failure-limiter';
import { RequestContext } from '../core/context/request-context';
import { addressBucket, FixedWindowCounter } from '../core/common/fixed-window-counter';
import { TooManyRequestsError } from '../core/errors';
import { OAuthClient } from './oauth-client.entity';
import { clientCredentials, field } from './oauth-client-auth';
import { OAuthClientsRepository } from './oauth-clients.repository';
import { WorkspaceCache } from '../workspaces/workspace-cache';

/** An RFC 6749 §5.2 error: its status, body and (for a failed Basic login) the challenge. */
export class OAuthError extends Error {
  constructor(
    readonly error:
      | 'invalid_request'
      | 'invalid_client'
      | 'unauthorized_client'
      | 'unsupported_grant_type'
      | 'invalid_scope',
    readonly description: string,
    readonly basic = false,
  ) {
    super(description);
  }

  get status(): number {
    return this.error === 'invalid_client' ? 401 : 400;
  }
}

/** A client whose secret matched, with its workspace's status. */
type AuthenticatedClient = OAuthClient & { workspaceStatus: string };

/** What a request to the OAuth endpoints carries, read off the HTTP request by the controller. */
export interface OAuthRequest {
  body: unknown;
  authorization?: string;
  apiKey?: string;
}

/**
 * The client credentials grant (RFC 6749 §4.4), introspection (RFC 7662) and revocation (RFC
 * 7009), on the tenant host. A token holds the scopes asked for, each within the client's (none
 * asked: all of the client's).
 */
@Injectable()
export class OAuthTokenService {
  /**
   * Failed client authentications per client address a minute: past AUTH_FAILURE_LIMIT, 429
   * before any look-up, as for every other credential (these routes are outside the guard chain).
   */
  private readonly failures: FixedWindowCounter;

  constructor(
    private readonly clients: OAuthClientsRepository,
    private readonly tokens: OAuthAccessTokens,
    private readonly hasher: KeyHasher,
    private readonly verifier: CredentialVerifier,
    private readonly authFailures: AuthFailureLimiter,
    private readonly workspaces: WorkspaceCache,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {
    this.failures = new FixedWindowCounter(60_000, 100_000, config.authFailureLimit);
  }

  async token(ctx: RequestContext, request: OAuthRequest) {
    const grant = field(request.body, 'grant_type');
    if (grant === undefined || typeof grant !== 'string')
      throw new OAuthError('invalid_request', 'grant_type is required, once');
    const client = await this.authenticate(ctx, request, true);
    if (grant !== 'client_credentials')
      throw new OAuthError('unsupported_grant_type', 'only grant_type=client_credentials is supported');
    const scopes = this.requestedScopes(field(request.body, 'scope'), client);
    // Its workspace's keys stop working while it is suspended: so do the tokens it would mint.
    if (client.workspaceStatus === 'suspended')
      throw new OAuthError('unauthorized_client', "the client's workspace is suspended");
    const terms = await this.tokens.budgetTerms(ctx, client);
    if (terms === null)
      throw new OAuthError(
        'unauthorized_client',
        'the workspace key that made this client is revoked or deleted',
      );
    const ttl = this.config.oauthTokenTtlSeconds;
    const issued = await this.tokens.issue(ctx, client, scopes, ttl, terms);
    return { access_token: issued.key, token_type: 'Bearer', expires_in: ttl, scope: scopes.join(' ') };
  }

  /** RFC 7662: by a key holding keys:verify in the token's workspace, or by the token's own client. */
  async introspect(ctx: RequestContext, request: OAuthRequest) {
    const token = field(request.body, 'token');
    if (typeof token !== 'string' || token === '')
      throw new OAuthError('invalid_request', 'token is required');
    const allowed = await this.introspector(ctx, request);
    const row = await this.tokens.find(ctx, token);
    const now = Date.now();
    if (
      !row ||
      !allowed(row.oauthClientId, row.workspaceId) ||
      row.revokedAt !== null ||
      (row.expiresAt !== null && row.expiresAt.getTime() <= now) ||
      // Its workspace suspended (or gone), the token is refused where it is used: so here too,
      // or a resource server relying on introspection accepts it through the suspension.
      !(await this.workspaceActive(ctx, row.workspaceId))
    )
      return { active: false };
    const client = await this.clients.findOne(ctx, { id: row.oauthClientId ?? '' });
    return {
      active: true,
      scope: row.scopes.join(' '),
      client_id: client?.clientId ?? null,
      token_type: 'Bearer',
      exp: row.expiresAt ? Math.floor(row.expiresAt.getTime() / 1000) : null,
      iat: Math.floor(row.createdAt.getTime() / 1000),
      sub: client?.clientId ?? null,
      workspace_id: row.workspaceId,
    };
  }

  /** RFC 7009: the client revokes its own token; unknown or foreign tokens are 200 all the same. */
  async revoke(ctx: RequestContext, request: OAuthRequest): Promise<void> {
    const client = await this.authenticate(ctx, request, true);
    const token = field(request.body, 'token');
    if (typeof token !== 'string' || token === '')
      throw new OAuthError('invalid_request', 'token is required');
    const row = await this.tokens.find(ctx, token);
    if (row && row.oauthClientId === client.id) await this.tokens.revoke(ctx, row);
  }

  private async authenticate(
    ctx: RequestContext,
    request: OAuthRequest,
    required: true,
  ): Promise<AuthenticatedClient>;
  private async authenticate(
    ctx: RequestContext,
    request: OAuthRequest,
    required: boolean,
  ): Promise<AuthenticatedClient | null>;
  private async authenticate(
    ctx: RequestContext,
    request: OAuthRequest,
    required: boolean,
  ): Promise<AuthenticatedClient | null> {
    const credentials = clientCredentials(request.authorization, request.body);
    if (credentials === null) {
      if (!required) return null;
      throw new OAuthError('invalid_client', 'client authentication is required');
    }
    const address = addressBucket(ctx.clientIp() ?? 'unknown');
    if (this.failures.count(address) >= this.config.authFailureLimit)
      throw new TooManyRequestsError(Math.max(1, Math.ceil(this.failures.msLeft(address) / 1000)));
    if ('error' in credentials)
      throw new OAuthError(credentials.error, 'malformed client authentication', credentials.basic);
    const client =
      credentials.clientId.length <= 40 ? await this.clients.findWithHash(ctx, credentials.clientId) : null;
    // The hash is compared even for an unknown client, so both cost the same.
    const matches = this.hasher.matches(credentials.secret, client?.secretHash ?? UNKNOWN_CLIENT_HASH);
    // A client lives in its workspace: once the workspace is deleted it is no client at all (its
    // row stays, inert; no route can reach it any more), as the workspace's keys are deleted.
    const workspace =
      client && matches ? await this.workspaces.get(ctx, ctx.tenantId(), client.workspaceId) : null;
    if (!client || !matches || !workspace) {
      this.failures.hit(address);
      throw new OAuthError('invalid_client', 'unknown client or wrong secret', credentials.basic);
    }
    return Object.assign(client, { workspaceStatus: workspace.status });
  }

  private async workspaceActive(ctx: RequestContext, workspaceId: string | null): Promise<boolean> {
    if (workspaceId === null) return false;
    return (await this.workspaces.get(ctx, ctx.tenantId(), workspaceId))?.status === 'active';
  }

  /** Who may read a token's metadata: its own client, or a workspace key holding keys:verify there. */
  private async introspector(
    ctx: RequestContext,
    request: OAuthRequest,
  ): Promise<(clientRowId: string | null, workspaceId: string | null) => boolean> {
    const bearer = request.authorization?.match(/^bearer (.+)$/i)?.[1]?.trim() ?? request.apiKey?.trim();
    if (bearer !== undefined) {
      // A Bearer here is an authentication like any other: locked addresses get 429 before any
      // look-up, and every failure is counted and logged as the guard chain does.
      const ip = ctx.clientIp() ?? 'unknown';
      if (this.authFailures.isLocked(ip)) throw this.authFailures.refusal(ip);
      const result = await this.verifier.verify(ctx, bearer, ctx.tenantId());
      const key = result.ok ? result.credential : null;
      if (!key || key.kind !== 'workspace_key' || !coveredByAny(key.scopes, 'keys:verify')) {
        const reason = result.ok ? 'introspection_not_allowed' : result.reason;
        const count = this.authFailures.noteFailure(reason, ip, key?.prefix ?? result.parsed?.prefix);
        if (this.authFailures.exceeded(count)) throw this.authFailures.refusal(ip);
        throw new OAuthError('invalid_client', 'introspection needs a key holding keys:verify');
      }
      return (_client, workspaceId) => workspaceId === key.workspaceId;
    }
    const client = await this.authenticate(ctx, request, true);
    return (clientRowId) => clientRowId === client.id;
  }

  private requestedScopes(raw: ReturnType<typeof field>, client: OAuthClient): string[] {
    if (raw !== undefined && typeof raw !== 'string')
      throw new OAuthError('invalid_request', 'scope is given twice');
    if (raw === undefined || raw.trim() === '') return client.scopes;
    const scopes: string[] = [];
    for (const entry of raw.trim().split(/ +/)) {
      const scope = normalizeScope(entry);
      if (!scope) throw new OAuthError('invalid_scope', `"${entry.slice(0, 80)}" is not a scope`);
      if (!coveredByAny(client.scopes, scope))
        throw new OAuthError('invalid_scope', `${scope} is beyond the client's scopes`);
      if (!scopes.includes(scope)) scopes.push(scope);
    }
    return scopes;
  }
}

/** A hash no secret has (64 hex zeros): what an unknown client's secret is compared against. */
const UNKNOWN_CLIENT_HASH = '0'.repeat(64);
