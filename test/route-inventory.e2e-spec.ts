import { Controller, Get, Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { Public } from '../src/core/access-policy/route-policy.decorators';
import { RequireScope } from '../src/core/access-policy/require-scope.decorator';
import { routeInventory } from './support/route-inventory';
import { startApp, TestApp } from './support/test-app';

describe('route inventory: deny by default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('finds no route that declares neither a scope, @Public(), @PlatformRoute() nor @AuthenticatedOnly()', () => {
    const routes = routeInventory(t.app);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => r.access === null).map((r) => r.route)).toEqual([]);
  });

  it('protects the key lifecycle with the scopes of product.md', () => {
    const access = Object.fromEntries(routeInventory(t.app).map((r) => [r.route, r.access]));
    expect(access).toMatchObject({
      'POST /api/v1/api-keys': 'scope api-keys:create',
      'GET /api/v1/api-keys': 'scope api-keys:read',
      'GET /api/v1/api-keys/:id': 'scope api-keys:read',
      'PATCH /api/v1/api-keys/:id': 'scope api-keys:update',
      'DELETE /api/v1/api-keys/:id': 'scope api-keys:delete',
      'POST /api/v1/api-keys/:id/rotate': 'scope api-keys:update',
      'POST /api/v1/api-keys/:id/revoke': 'scope api-keys:update',
      'POST /api/v1/api-keys/revoke': 'scope api-keys:update',
      'POST /api/v1/keys/verify': 'scope keys:verify',
      'GET /api/v1/tenants': 'platform key',
      'GET /health': 'public, any host',
      'GET /api/v1/auth/me': 'any valid credential',
    });
  });

  it('would catch an unprotected route (the check itself can fail)', async () => {
    @Controller('leaky')
    class LeakyController {
      @Get('open')
      open() {
        return 'oops';
      }
      @Public()
      @Get('public')
      fine() {
        return 'ok';
      }
      @RequireScope('leaky:read')
      @Get('scoped')
      scoped() {
        return 'ok';
      }
    }
    @Module({ imports: [DiscoveryModule], controllers: [LeakyController] })
    class LeakyModule {}
    const context = await NestFactory.createApplicationContext(LeakyModule, { logger: false });
    try {
      expect(routeInventory(context)).toEqual([
        { route: 'GET /leaky/open', access: null },
        { route: 'GET /leaky/public', access: 'public' },
        { route: 'GET /leaky/scoped', access: 'scope leaky:read' },
      ]);
    } finally {
      await context.close();
    }
  });
});
