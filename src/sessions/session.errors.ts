import { KeygateError } from '../core/errors';

export enum SessionErrorCode {
  CsrfMismatch = 'CSRF_MISMATCH',
}

/** A state-changing request with a session cookie and no (or a wrong) CSRF token: 419. */
export class CsrfMismatchError extends KeygateError {
  readonly code = SessionErrorCode.CsrfMismatch;
  constructor() {
    super('CSRF token mismatch.');
  }
}
