import type { RoutePolicy } from '../core/access-policy/route-policy';
import { SESSION_COOKIE } from '../sessions/session-cookie';

/**
 * The ways to present a credential (product.md, "Credentials"); the dashboard's session cookie
 * and its CSRF header only when the app can start sessions (`POST /api/v1/auth/session`).
 */
export function securitySchemes(sessions: boolean): Record<string, unknown> {
  return {
    bearer: {
      type: 'http',
      scheme: 'bearer',
      description: 'A workspace key (`sk_live_…`), a user token or a platform key.',
    },
    apiKey: {
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
      description: 'The same credentials as a header.',
    },
    basic: { type: 'http', scheme: 'basic', description: 'The key as user name, an empty password.' },
    ...(sessions
      ? {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'The dashboard session, set by `POST /api/v1/auth/session` (the sign-in of /login).',
          },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: 'X-CSRF-Token',
            description:
              "The session's CSRF token: required with the session cookie on state-changing requests (else 419).",
          },
        }
      : {}),
  };
}

/** Who may call an operation, as OpenAPI security requirements (any one of them). */
export function securityOf(
  policy: RoutePolicy,
  sessions: boolean,
  method: string,
): Array<Record<string, string[]>> {
  if (policy.kind === 'public') return [];
  const keys: Array<Record<string, string[]>> = [{ bearer: [] }, { apiKey: [] }, { basic: [] }];
  if (policy.kind === 'platform' || !sessions) return keys;
  return [...keys, ['GET', 'HEAD'].includes(method) ? { session: [] } : { session: [], csrf: [] }];
}
