import { Controller, Get, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AutoScope, RequireScope } from './require-scope.decorator';
import { describePolicy, RoutePolicyError, routePolicyOf } from './route-policy';
import {
  AnyHost,
  AuthenticatedOnly,
  PlatformRoute,
  Public,
  RequireWorkspace,
} from './route-policy.decorators';

const reflector = new Reflector();
type Handler = (...args: never[]) => unknown;
const policy = (controller: abstract new () => unknown, name: string) =>
  routePolicyOf(reflector, controller, (controller.prototype as Record<string, Handler>)[name]);

describe('routePolicyOf: one policy per route, or a boot error naming it', () => {
  @RequireWorkspace()
  @Controller('api/v1/invoices')
  class Invoices {
    @RequireScope('invoices.Read')
    @Get()
    list() {}
    @Public()
    @Get('public')
    open() {}
    @Get('nothing')
    nothing() {}
  }

  @AutoScope()
  @Controller('api/v1/clients')
  class Clients {
    @Post()
    create() {}
  }

  @PlatformRoute()
  @Controller('api/v1/tenants')
  class Tenants {
    @Get()
    list() {}
    @RequireScope('tenants:read')
    @Get('both')
    both() {}
  }

  @Controller('x')
  class Odd {
    @AnyHost()
    @AuthenticatedOnly()
    @Get()
    anyHost() {}
  }

  it('reads each decorator into one typed value', () => {
    expect(policy(Invoices, 'list')).toEqual({
      kind: 'scope',
      scope: 'invoices:read',
      requireWorkspace: true,
    });
    expect(policy(Clients, 'create')).toEqual({
      kind: 'scope',
      scope: 'clients:create',
      requireWorkspace: false,
    });
    expect(policy(Tenants, 'list')).toEqual({ kind: 'platform' });
    expect(describePolicy(policy(Invoices, 'list'))).toBe('scope invoices:read, in a workspace');
  });

  it('refuses what cannot be meant, naming the route', () => {
    expect(() => policy(Invoices, 'nothing')).toThrow(RoutePolicyError);
    expect(() => policy(Invoices, 'nothing')).toThrow(
      /^GET \/api\/v1\/invoices\/nothing: declares no access/,
    );
    expect(() => policy(Invoices, 'open')).toThrow(/@RequireWorkspace\(\) on a public route/);
    expect(() => policy(Tenants, 'both')).toThrow(
      /declares @PlatformRoute\(\) and @RequireScope\('tenants:read'\)/,
    );
    expect(() => policy(Odd, 'anyHost')).toThrow(/@AnyHost\(\) needs @Public\(\)/);
  });
});
