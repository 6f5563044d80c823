import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { httpRequest } from '../http/http-request';
import { contextOf, type RequestContext } from './request-context';

/** A handler's request context: `handler(@Ctx() ctx: RequestContext)`, passed on to services. */
export const Ctx = createParamDecorator((_data: unknown, execution: ExecutionContext) =>
  contextIn(execution),
);

/** The request context of the request a guard is looking at. */
export function contextIn(execution: ExecutionContext): RequestContext {
  return contextOf(httpRequest(execution));
}
