import { Controller, Get, Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { AnyHost, Public } from '../src/core/access-policy/route-policy.decorators';
import { RequireScope } from '../src/core/access-policy/require-scope.decorator';
import { RoutePolicyRegistry } from '../src/pipeline/route-policy.registry';
import { routeInventory } from './support/route-inventory';
import { startApp, TestApp } from './support/test-app';

/** Boots a bare module with the registry over `controller`: what a developer's mistake does at boot. */
async function bootWith(controller: new () => unknown): Promise<string | null> {
  @Module({ imports: [DiscoveryModule], controllers: [controller], providers: [RoutePolicyRegistry] })
  class Probe {}
  try {
    const context = await NestFactory.createApplicationContext(Probe, { logger: false, abortOnError: false });
    await context.close();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('route access: one policy per route, computed at boot, every route in the snapshot', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('lists who may reach every route (a change here is a change in who may reach it)', () => {
    const routes = routeInventory(t.app);
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.map((r) => `${r.route.padEnd(52)} ${r.access}`).join('\n')).toMatchSnapshot();
  });

  it('refuses to boot a route that declares no access, naming it', async () => {
    @Controller('leaky')
    class LeakyController {
      @Get('open')
      open() {
        return 'oops';
      }
    }
    expect(await bootWith(LeakyController)).toMatch(/^GET \/leaky\/open: declares no access/);
  });

  it('refuses to boot contradictory decorators, naming the route', async () => {
    @Controller('both')
    class BothController {
      @Public()
      @RequireScope('both:read')
      @Get()
      both() {
        return 'x';
      }
    }
    expect(await bootWith(BothController)).toMatch(
      /^GET \/both: declares @Public\(\) and @RequireScope\('both:read'\): choose one/,
    );
    @Controller('anyhost')
    class AnyHostController {
      @AnyHost()
      @RequireScope('anyhost:read')
      @Get()
      scoped() {
        return 'x';
      }
    }
    expect(await bootWith(AnyHostController)).toMatch(/@AnyHost\(\) needs @Public\(\)/);
    @Controller('fine')
    class FineController {
      @Public()
      @Get()
      ok() {
        return 'ok';
      }
    }
    expect(await bootWith(FineController)).toBeNull();
  });
});
