import { ExecutionContext, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { RoutePolicy, routePolicyOf } from '../core/access-policy/route-policy';

type Handler = (...args: never[]) => unknown;

/**
 * Every route's policy, computed once at boot from its decorators; a route that declares none,
 * or two, stops the boot with a message naming it. The guards read it with one Map look-up, so
 * the chain agrees with itself and with the access snapshot (test/route-inventory.e2e-spec.ts).
 */
@Injectable()
export class RoutePolicyRegistry implements OnModuleInit {
  private readonly policies = new Map<Handler, Map<object, RoutePolicy>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const { handler, controller } of this.routes()) {
      let byController = this.policies.get(handler);
      if (!byController) this.policies.set(handler, (byController = new Map<object, RoutePolicy>()));
      byController.set(controller, routePolicyOf(this.reflector, controller, handler));
    }
  }

  /** The policy of the route being served (every routed handler has one, or the app did not boot). */
  of(execution: ExecutionContext): RoutePolicy {
    const policy = this.policies.get(execution.getHandler() as Handler)?.get(execution.getClass());
    if (!policy)
      throw new Error(`no route policy for ${execution.getClass().name}.${execution.getHandler().name}`);
    return policy;
  }

  /** Every routed handler with its controller (what the access snapshot lists). */
  *routes(): Generator<{ handler: Handler; controller: abstract new (...args: never[]) => unknown }> {
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      const controller = wrapper.metatype as (abstract new (...args: never[]) => unknown) | undefined;
      if (!instance || !controller) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, Handler>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (Reflect.getMetadata(METHOD_METADATA, handler) !== undefined) yield { handler, controller };
      }
    }
  }
}
