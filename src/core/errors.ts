/**
 * Domain errors. Services throw these with a code; HttpErrorFilter is the one place that maps a
 * code to an HTTP status (one table) and to the bodies of product.md. None ever carries a secret.
 * Codes of the core are here; a module's own codes are an enum in its folder (`api-key.errors.ts`).
 */
export enum CoreErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  InvalidInput = 'INVALID_INPUT',
  MalformedRequest = 'MALFORMED_REQUEST',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
}

export abstract class KeygateError extends Error {
  abstract readonly code: string;

  /**
   * Without a stack trace: these are expected outcomes (a bad key is an answer, not a bug), and
   * capturing a stack made every 401 measurably slower than a 200.
   */
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }

  body(): Record<string, unknown> {
    return { message: this.message };
  }
}

/** Every failed credential looks the same to the caller; `reason` is for the log only. */
export class UnauthenticatedError extends KeygateError {
  readonly code = CoreErrorCode.Unauthenticated;
  private static readonly shared = new Map<string, UnauthenticatedError>();

  constructor(readonly reason = 'unauthenticated') {
    super('Unauthenticated.');
  }

  /**
   * One instance per reason, for the guard chain's refusals: a 401 carries nothing of its request
   * (no stack, the one fixed body), and making a new one cost ~27k instructions, more than
   * serving a valid key did (bench:instructions, (c) 148k against (b) 122k; 121k with this).
   * Reasons are the code's own literals, so the map stays a handful of entries.
   */
  static because(reason: string): UnauthenticatedError {
    let error = UnauthenticatedError.shared.get(reason);
    if (!error) UnauthenticatedError.shared.set(reason, (error = new UnauthenticatedError(reason)));
    return error;
  }
}

/**
 * Why a 403 happened, when the caller can do something about it (product.md, "Errors"): shown as
 * `reason` beside the message. Refusals with nothing to fix (a missing scope names the scope
 * instead) carry none.
 */
export type ForbiddenReason =
  | 'ip_not_allowed'
  | 'tenant_suspended'
  | 'workspace_suspended'
  | 'workspace_not_allowed'
  | 'no_workspace'
  | 'test_credential'
  | 'not_a_user'
  | 'not_a_session'
  | 'cross_site_sign_in'
  | 'exceeds_caller_grants'
  | 'outlives_caller'
  | 'outranks_caller'
  | 'escapes_caller_allowlist'
  | 'limited_caller'
  | 'shared_budget';

export class ForbiddenError extends KeygateError {
  readonly code = CoreErrorCode.Forbidden;
  constructor(private readonly extra: Record<string, unknown> = {}) {
    super('This action is unauthorized.');
  }

  static because(reason: ForbiddenReason, extra: Record<string, unknown> = {}): ForbiddenError {
    return new ForbiddenError({ reason, ...extra });
  }
  override body(): Record<string, unknown> {
    return { message: this.message, ...this.extra };
  }
}

export class MissingScopeError extends ForbiddenError {
  constructor(requiredScope: string, providedScopes: string[]) {
    super({ required_scope: requiredScope, provided_scopes: providedScopes });
  }
}

export class NotFoundError extends KeygateError {
  readonly code = CoreErrorCode.NotFound;
  constructor() {
    super('Not Found.');
  }
}

/** A request the server cannot read (JSON nested too deeply, two Host lines): 400. */
export class MalformedRequestError extends KeygateError {
  readonly code = CoreErrorCode.MalformedRequest;
}

/**
 * An outcome of one module's own rules (`API_KEY_ALREADY_ROTATED`, `ROLE_IN_USE`): the code is in
 * the body beside the message, so a client can act on it without parsing English.
 */
export class DomainError<C extends string = string> extends KeygateError {
  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
  }

  override body(): Record<string, unknown> {
    return { message: this.message, code: this.code };
  }
}

export type FieldErrors = Record<string, string[]>;

export class InvalidInputError extends KeygateError {
  readonly code = CoreErrorCode.InvalidInput;
  constructor(readonly errors: FieldErrors) {
    super('The given data was invalid.');
  }
  static field(field: string, message: string): InvalidInputError {
    return new InvalidInputError({ [field]: [message] });
  }
  override body(): Record<string, unknown> {
    return { message: this.message, errors: this.errors };
  }
}

export class TooManyRequestsError extends KeygateError {
  readonly code = CoreErrorCode.TooManyRequests;
  constructor(readonly retryAfterSeconds: number) {
    super('Too Many Attempts.');
  }
}

export class ServiceUnavailableError extends KeygateError {
  readonly code = CoreErrorCode.ServiceUnavailable;
  constructor() {
    super('Service Unavailable.');
  }
}

/** A repository was used outside a tenant's request: a programming error, never a 404. */
export class MissingTenantContextError extends Error {
  constructor() {
    super(
      'No tenant in the request context: tenant-owned data can only be read with the context of a ' +
        'tenant request (TenantGuard) or one from RequestContext.forTenant().',
    );
    this.name = 'MissingTenantContextError';
  }
}
