import { Reflector } from '@nestjs/core';

/**
 * Route metadata read by the guard chain. Every route either requires a scope (`@RequireScope`,
 * `@AutoScope`), is `@Public()`, or is a `@PlatformRoute()`; route-inventory.e2e-spec proves it.
 */

/** No credential needed. The tenant is still resolved from the host (login needs it). */
export const Public = Reflector.createDecorator<true>({ transform: () => true });

/** Answers on every host, even an unknown tenant's (health checks behind a load balancer). */
export const AnyHost = Reflector.createDecorator<true>({ transform: () => true });

/** Platform API: only on the bare BASE_DOMAIN host, only with a platform key. */
export const PlatformRoute = Reflector.createDecorator<true>({ transform: () => true });

/** The route works on data of one workspace, so a request without an active workspace is 403. */
export const RequireWorkspace = Reflector.createDecorator<true>({ transform: () => true });

/** Any valid credential, no particular scope (`GET /auth/me`, a user's own tokens). */
export const AuthenticatedOnly = Reflector.createDecorator<true>({ transform: () => true });
