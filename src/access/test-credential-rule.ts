import type { KeyEnvironment } from '../api-keys/api-key.entity';
import { ForbiddenError } from '../core/errors';

/**
 * A test credential acts only on test data (product.md, "Authorization"): it may create and
 * manage test keys and read what its scopes allow, but any change to live data (live keys, users,
 * workspaces, memberships, roles, custom scopes, tenant settings) is 403 `test_credential`.
 * `target` is the environment of the data changed; omitted, the data is live.
 */
export function assertEnvironmentAllows(
  caller: { environment: KeyEnvironment } | undefined,
  target: KeyEnvironment = 'live',
): void {
  if (caller?.environment === 'test' && target !== 'test') throw ForbiddenError.because('test_credential');
}
