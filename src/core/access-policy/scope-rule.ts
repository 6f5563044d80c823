import { MissingScopeError } from '../errors';
import { coveredByAny } from './scope-names';

/**
 * The one scope rule: `effective` must cover `required`, else 403 with `required_scope` and
 * `provided_scopes`. The guard chain applies it to a route's declared scope; the gateway check
 * (`GET /api/v1/auth/check`) applies it to the scope a gateway asks about.
 */
export function assertScope(effective: readonly string[], required: string): void {
  if (!coveredByAny(effective, required)) throw new MissingScopeError(required, [...effective]);
}
