/** The body of every Keygate error (product.md, "Errors"). */
export interface ErrorBody {
  message: string;
  code?: string;
  reason?: string;
  required_scope?: string;
  provided_scopes?: string[];
  errors?: Record<string, string[]>;
}

/**
 * An answer of Keygate that is not a success, as a typed exception: `status`, `message`, and
 * whatever the body says beside it (`code` of a domain rule, `reason` of a refusal the caller can
 * fix, `requiredScope` of a missing scope, the field `errors` of a 422).
 */
export class KeygateError extends Error {
  readonly code: string | undefined;
  readonly reason: string | undefined;
  readonly requiredScope: string | undefined;
  readonly providedScopes: string[] | undefined;
  readonly errors: Record<string, string[]> | undefined;

  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
    this.name = new.target.name;
    this.code = body.code;
    this.reason = body.reason;
    this.requiredScope = body.required_scope;
    this.providedScopes = body.provided_scopes;
    this.errors = body.errors;
  }
}

/** 401: missing, malformed, unknown, expired or revoked credential (all look the same). */
export class UnauthenticatedError extends KeygateError {}
/** 403: a missing scope (`requiredScope`), or a refusal with a `reason`. */
export class ForbiddenError extends KeygateError {}
export class NotFoundError extends KeygateError {}
/** 409: a domain rule (`code`, such as `API_KEY_ALREADY_ROTATED`). */
export class ConflictError extends KeygateError {}
/** 422: `errors` maps each field to what is wrong with it. */
export class ValidationError extends KeygateError {}
/** 429: `retryAfterSeconds` from `Retry-After`. */
export class RateLimitedError extends KeygateError {
  retryAfterSeconds: number | undefined;
}
/** Keygate could not be reached, timed out, or answered 5xx. `status` is 503 or the 5xx. */
export class KeygateUnavailableError extends KeygateError {}

const BY_STATUS: Record<number, typeof KeygateError> = {
  401: UnauthenticatedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  422: ValidationError,
  429: RateLimitedError,
};

/** The exception for an error answer (`body` as parsed; a non-JSON body keeps a generic message). */
export function errorFor(status: number, body: unknown, retryAfter?: string): KeygateError {
  const parsed: ErrorBody =
    body && typeof body === 'object' && typeof (body as ErrorBody).message === 'string'
      ? (body as ErrorBody)
      : { message: `Keygate answered ${status}.` };
  const Type = status >= 500 ? KeygateUnavailableError : (BY_STATUS[status] ?? KeygateError);
  const error = new Type(status, parsed);
  if (error instanceof RateLimitedError && retryAfter !== undefined && /^\d+$/.test(retryAfter))
    error.retryAfterSeconds = Number(retryAfter);
  return error;
}
