import { Reflector } from '@nestjs/core';

/**
 * The presented key must hold `scope` (`reports:read`; a handler's overrides its controller's).
 * Every route of the host app needs a valid key unless marked `@Public()`.
 */
export const RequireScope = Reflector.createDecorator<string>();

/** No key needed on this route (or every route of this controller). */
export const Public = Reflector.createDecorator<true>({ transform: () => true });
