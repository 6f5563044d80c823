import { ForbiddenError } from '../errors';
import { Principal } from './principal';
import { RequestContext } from './request-context';

export type UserPrincipal = Principal & { kind: 'user_token'; userId: string };

/**
 * The caller as a user: `/users/me/...` and logout act on the user behind a user token, so a
 * workspace key (which has no user) is 403 there, not 401: it authenticated, it just is no user.
 */
export function currentUser(context: RequestContext): UserPrincipal {
  const principal = context.principal();
  if (principal?.kind !== 'user_token' || !principal.userId) throw ForbiddenError.because('not_a_user');
  return principal as UserPrincipal;
}
