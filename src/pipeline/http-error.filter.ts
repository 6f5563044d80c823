import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AccessErrorCode } from '../access/access.errors';
import { ApiKeyErrorCode } from '../api-keys/api-key.errors';
import { SessionErrorCode } from '../sessions/session.errors';
import {
  CoreErrorCode,
  KeygateError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UnauthenticatedError,
} from '../core/errors';
import { redactSecretsDeep } from '../core/common/secret-redaction';
import { header, type HttpRequest } from '../core/http/http-request';

/** Every domain error code and its HTTP status: the one table (a code missing here does not compile). */
const STATUS_OF_CODE: Record<CoreErrorCode | ApiKeyErrorCode | AccessErrorCode | SessionErrorCode, number> = {
  [CoreErrorCode.MalformedRequest]: 400,
  [CoreErrorCode.Unauthenticated]: 401,
  [CoreErrorCode.Forbidden]: 403,
  [CoreErrorCode.NotFound]: 404,
  [CoreErrorCode.InvalidInput]: 422,
  [CoreErrorCode.TooManyRequests]: 429,
  [CoreErrorCode.ServiceUnavailable]: 503,
  [ApiKeyErrorCode.NotActive]: 409,
  [ApiKeyErrorCode.AlreadyRotated]: 409,
  [ApiKeyErrorCode.GraceNotExtendable]: 409,
  [ApiKeyErrorCode.OauthTokenFixed]: 409,
  [AccessErrorCode.RoleInUse]: 409,
  [SessionErrorCode.CsrfMismatch]: 419,
};

const STATUS_MESSAGES: Record<number, string> = {
  400: 'Malformed request.',
  401: 'Unauthenticated.',
  403: 'This action is unauthorized.',
  404: 'Not Found.',
  405: 'Method Not Allowed.',
  413: 'Payload Too Large.',
  415: 'Unsupported Media Type.',
  429: 'Too Many Attempts.',
  503: 'Service Unavailable.',
};

const UNAUTHENTICATED_BODY: Readonly<Record<string, unknown>> = Object.freeze({
  message: 'Unauthenticated.',
});

export interface HttpError {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** The one mapping from anything thrown to the error bodies of product.md. Never a stack trace. */
export function toHttpError(exception: unknown, logger: Logger): HttpError {
  if (isDatabaseUnreachable(exception)) {
    logger.warn(`database unreachable: ${connectionErrorCode(exception)}; answering 503`);
    exception = new ServiceUnavailableError();
  }
  if (exception instanceof KeygateError) {
    const headers: Record<string, string> =
      exception instanceof TooManyRequestsError ? { 'Retry-After': String(exception.retryAfterSeconds) } : {};
    const status = (STATUS_OF_CODE as Record<string, number>)[exception.code];
    // Every failed credential gets the same fixed body: nothing of the caller's to redact.
    if (exception instanceof UnauthenticatedError)
      return { status: 401, body: UNAUTHENTICATED_BODY, headers };
    // An error body may quote what the caller sent (a 422 naming an unknown scope): never a key.
    if (status !== undefined) return { status, body: redactSecretsDeep(exception.body()), headers };
  }
  const status = statusOf(exception);
  if (status !== null && status < 500) {
    return { status, body: { message: STATUS_MESSAGES[status] ?? 'Bad Request.' }, headers: {} };
  }
  logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  return { status: 500, body: { message: 'Server Error.' }, headers: {} };
}

/**
 * The database is away (restart, network): the request could not be answered now but may be in a
 * moment, so 503 rather than 500, and a one-line warning rather than a stack. mysql2 marks
 * connection-level errors `fatal`; TypeORM passes them through raw or as `driverError`.
 */
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'POOL_CLOSED',
  'SQLITE_BUSY',
]);

function connectionErrorCode(exception: unknown): string {
  const e = exception as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' ? code : 'connection lost';
}

function isDatabaseUnreachable(exception: unknown): boolean {
  if (!(exception instanceof Error) || exception instanceof KeygateError) return false;
  const e = exception as Error & { fatal?: unknown; driverError?: { fatal?: unknown } };
  return (
    CONNECTION_ERRORS.has(connectionErrorCode(exception)) || e.fatal === true || e.driverError?.fatal === true
  );
}

function statusOf(exception: unknown): number | null {
  if (exception instanceof HttpException) return exception.getStatus();
  const code = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' && code >= 400 && code < 600 ? code : null;
}

/**
 * nginx's `auth_request` understands only 2xx, 401 and 403 from its subrequest: anything else
 * becomes its own 500. A subrequest that says so (`X-Keygate-Auth-Request: nginx`, set by
 * examples/nginx) gets every other refusal (a 429, a 422 for a path that names no scope) as a
 * 403 carrying `X-Keygate-Status` (and a 429's `Retry-After`); the example's configuration turns
 * a 429 back into a 429 for the client.
 */
function forNginxAuthRequest(request: HttpRequest, error: HttpError): HttpError {
  const refusal = error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 403;
  if (!refusal || header(request, 'x-keygate-auth-request') !== 'nginx') return error;
  return { ...error, status: 403, headers: { ...error.headers, 'X-Keygate-Status': String(error.status) } };
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    // The request and reply are the route's first two arguments (switchToHttp() allocates).
    const response: unknown = host.getArgByIndex(1);
    const error = toHttpError(exception, this.logger);
    const { status, body, headers } = forNginxAuthRequest(host.getArgByIndex<HttpRequest>(0), error);
    const adapter = this.adapterHost.httpAdapter;
    for (const [name, value] of Object.entries(headers)) adapter.setHeader(response, name, value);
    adapter.reply(response, body, status);
  }
}
