import { Injectable, NestMiddleware } from '@nestjs/common';
import { RequestContext } from './request-context';

/**
 * Opens the request context before anything else runs (middleware precedes guards), so every
 * guard, pipe, handler and filter of the request sees the same store.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(_request: unknown, _response: unknown, next: (error?: unknown) => void): void {
    RequestContext.run(next);
  }
}
