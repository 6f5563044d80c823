import { send } from './transport';
import type {
  ApiKey,
  ApiKeyWithSecret,
  CreateApiKeyInput,
  CreateTokenInput,
  ListOptions,
  Me,
  Page,
  UpdateApiKeyInput,
  UserToken,
  UserTokenWithSecret,
  VerifyInput,
  VerifyResult,
} from './types';

export interface KeygateClientOptions {
  /** The tenant's base URL, such as `http://acme.localhost:3000` (`*.localhost` is loopback). */
  baseUrl: string;
  /** A workspace API key or user token, sent as `Authorization: Bearer`. */
  token: string;
  /** `X-Workspace-ID` for user tokens that reach several workspaces. */
  workspaceId?: string;
  /** Per request; default 5,000 ms. A timeout is a KeygateUnavailableError. */
  timeoutMs?: number;
}

/** The rate-limit headers of an answer (`X-RateLimit-*`), when Keygate counted the request. */
export interface RateLimitHeaders {
  limit: string;
  remaining: string;
  reset: string;
}

/**
 * A thin typed client of the Keygate API. Every method resolves with the JSON body of a success
 * and rejects with a KeygateError subclass (401 UnauthenticatedError, 403 ForbiddenError with
 * `requiredScope`, 404, 409, 422 ValidationError, 429 RateLimitedError, KeygateUnavailableError).
 */
export class KeygateClient {
  private readonly base: URL;
  private readonly timeoutMs: number;

  constructor(private readonly options: KeygateClientOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  readonly keys = {
    create: (input: CreateApiKeyInput) => this.json<ApiKeyWithSecret>('POST', 'api/v1/api-keys', input),
    list: (options: ListOptions = {}) => this.json<Page<ApiKey>>('GET', `api/v1/api-keys${query(options)}`),
    get: (id: string) => this.json<ApiKey>('GET', `api/v1/api-keys/${encodeURIComponent(id)}`),
    update: (id: string, input: UpdateApiKeyInput) =>
      this.json<ApiKey>('PATCH', `api/v1/api-keys/${encodeURIComponent(id)}`, input),
    rotate: (id: string, input: { grace_period_seconds?: number } = {}) =>
      this.json<ApiKeyWithSecret>('POST', `api/v1/api-keys/${encodeURIComponent(id)}/rotate`, input),
    revoke: (id: string) => this.json<ApiKey>('POST', `api/v1/api-keys/${encodeURIComponent(id)}/revoke`, {}),
    /** Revoke by plaintext value (a leak report). */
    revokeByValue: (key: string) => this.json<ApiKey>('POST', 'api/v1/api-keys/revoke', { key }),
    delete: (id: string) => this.json<void>('DELETE', `api/v1/api-keys/${encodeURIComponent(id)}`),
  };

  readonly tokens = {
    list: () => this.json<Page<UserToken> | UserToken[]>('GET', 'api/v1/users/me/tokens'),
    create: (input: CreateTokenInput) =>
      this.json<UserTokenWithSecret>('POST', 'api/v1/users/me/tokens', input),
    revoke: (id: string) => this.json<void>('DELETE', `api/v1/users/me/tokens/${encodeURIComponent(id)}`),
    revokeAll: () => this.json<void>('DELETE', 'api/v1/users/me/tokens'),
  };

  readonly auth = {
    me: () => this.json<Me>('GET', 'api/v1/auth/me'),
  };

  /** `POST /keys/verify`: always resolves for a well-formed request; the answer is in `code`. */
  async verify(input: VerifyInput): Promise<VerifyResult> {
    return (await this.verifyWithHeaders(input)).result;
  }

  /** `verify`, with the `X-RateLimit-*` headers of the verifier's own request. */
  async verifyWithHeaders(
    input: VerifyInput,
  ): Promise<{ result: VerifyResult; rateLimit: RateLimitHeaders | null }> {
    const res = await this.request('POST', 'api/v1/keys/verify', input);
    return { result: res.body as VerifyResult, rateLimit: rateLimitOf(res.headers) };
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.request(method, path, body)).body as T;
  }

  private request(method: string, path: string, body?: unknown) {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}` };
    if (this.options.workspaceId) headers['x-workspace-id'] = this.options.workspaceId;
    return send({ method, url: new URL(path, this.base), headers, body, timeoutMs: this.timeoutMs });
  }
}

function query(options: ListOptions): string {
  const params = new URLSearchParams();
  if (options.cursor !== undefined) params.set('cursor', options.cursor);
  if (options.limit !== undefined) params.set('limit', String(options.limit));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function rateLimitOf(headers: Record<string, string | string[] | undefined>): RateLimitHeaders | null {
  const [limit, remaining, reset] = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'].map(
    (name) => headers[name],
  );
  return typeof limit === 'string' && typeof remaining === 'string' && typeof reset === 'string'
    ? { limit, remaining, reset }
    : null;
}
