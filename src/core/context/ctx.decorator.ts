import { HostParam, type ExecutionContext } from '@nestjs/common';
import { httpRequest } from '../http/http-request';
import { CONTEXT_KEY, contextOf, type RequestContext } from './request-context';

/**
 * A handler's request context: `handler(@Ctx() ctx: RequestContext)`, passed on to services.
 * Nest's own host parameter reading the place the first hook put the context (see CONTEXT_KEY):
 * a custom parameter decorator would run the global pipes on every request.
 */
export const Ctx = (): ParameterDecorator => HostParam(CONTEXT_KEY);

/** The request context of the request a guard is looking at. */
export function contextIn(execution: ExecutionContext): RequestContext {
  return contextOf(httpRequest(execution));
}
