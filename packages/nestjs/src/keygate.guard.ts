import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  Injectable,
  Inject,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { VerifyResult } from '@keygate/client';
import { Public, RequireScope } from './decorators';
import { PRINCIPAL_PROPERTY, type KeygatePrincipal } from './keygate-principal';
import { KEYGATE_OPTIONS, KeygateModuleOptions } from './keygate.options';
import { KeygateVerifier, Verification } from './keygate-verifier';
import { covers, normalizeScope } from './scope-covers';

interface Request {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  [PRINCIPAL_PROPERTY]?: KeygatePrincipal;
}

/** Fastify's reply and Express's response both have one of these. */
interface Reply {
  header?(name: string, value: string): unknown;
  setHeader?(name: string, value: string): unknown;
}

/**
 * The host app's global guard: every route needs a key Keygate says is valid, unless
 * `@Public()`; a route's `@RequireScope()` must be covered by the key's scopes. Bodies as
 * Keygate's own: 401 `Unauthenticated.`, 403 with `required_scope`, 429 `Too Many Attempts.`,
 * and 503 when Keygate cannot answer (fail closed: never 200 without an answer).
 */
@Injectable()
export class KeygateGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: KeygateVerifier,
    @Inject(KEYGATE_OPTIONS) private readonly options: KeygateModuleOptions,
  ) {}

  canActivate(execution: ExecutionContext): boolean | Promise<boolean> {
    const targets = [execution.getHandler(), execution.getClass()];
    if (this.reflector.getAllAndOverride(Public, targets)) return true;
    const scope = this.reflector.getAllAndOverride(RequireScope, targets);
    const http = execution.switchToHttp();
    const request = http.getRequest<Request>();
    const key = presentedKey(request);
    if (key === null) throw unauthenticated();
    const ip = this.options.forwardClientIp === false ? undefined : request.ip;
    const verification = this.verifier.verify(key, ip);
    const decide = (v: Verification) => this.decide(v, scope, request, http.getResponse<Reply>());
    return verification instanceof Promise ? verification.then(decide) : decide(verification);
  }

  private decide(
    verification: Verification,
    scope: string | undefined,
    request: Request,
    reply: Reply,
  ): true {
    if (verification.kind === 'unavailable')
      throw new ServiceUnavailableException({ message: 'Service Unavailable.' });
    const result = verification.result;
    passRateLimit(result, reply);
    switch (result.code) {
      case 'VALID':
        break;
      case 'RATE_LIMITED': {
        const reset = result.ratelimit?.reset;
        setHeader(
          reply,
          'retry-after',
          String(Math.max(reset ? reset - Math.floor(Date.now() / 1000) : 1, 1)),
        );
        throw new HttpException({ message: 'Too Many Attempts.' }, 429);
      }
      case 'FORBIDDEN':
        throw new ForbiddenException({
          message: 'This action is unauthorized.',
          reason: 'key_not_allowed_here',
        });
      default:
        throw unauthenticated();
    }
    const required = scope === undefined ? undefined : normalizeScope(scope);
    if (required !== undefined && !result.scopes.some((granted) => covers(granted, required))) {
      throw new ForbiddenException({
        message: 'This action is unauthorized.',
        required_scope: required,
        provided_scopes: result.scopes,
      });
    }
    request[PRINCIPAL_PROPERTY] = principalOf(result);
    return true;
  }
}

function unauthenticated(): UnauthorizedException {
  return new UnauthorizedException({ message: 'Unauthenticated.' });
}

/** `Authorization: Bearer <key>`, HTTP Basic with the key as user name, or `X-API-Key`. */
export function presentedKey(request: Request): string | null {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const [scheme, value] = authorization.trim().split(/\s+/, 2);
    if (/^bearer$/i.test(scheme) && value) return value;
    if (/^basic$/i.test(scheme) && value) {
      const user = Buffer.from(value, 'base64').toString('utf8').split(':', 1)[0];
      return user || null;
    }
    return null;
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header.trim() ? header.trim() : null;
}

function passRateLimit(result: VerifyResult, reply: Reply): void {
  const limit = result.ratelimit;
  if (!limit || limit.limit === null || limit.remaining === undefined || limit.reset === undefined) return;
  setHeader(reply, 'x-ratelimit-limit', String(limit.limit));
  setHeader(reply, 'x-ratelimit-remaining', String(limit.remaining));
  setHeader(reply, 'x-ratelimit-reset', String(limit.reset));
}

function setHeader(reply: Reply, name: string, value: string): void {
  if (typeof reply.header === 'function') reply.header(name, value);
  else reply.setHeader?.(name, value);
}

function principalOf(result: VerifyResult): KeygatePrincipal {
  return {
    keyId: result.key_id ?? '',
    credentialType: result.credential_type ?? 'workspace_key',
    userId: result.user_id,
    workspaceId: result.workspace_id,
    environment: result.environment,
    scopes: result.scopes,
    expiresAt: result.expires_at,
  };
}
