import { Controller, Get, Headers, Module, Param, ParseIntPipe, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RouterExecutionContext } from '@nestjs/core/router/router-execution-context';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { handUnpipedParamsSynchronously } from './synchronous-params';

@Controller()
class ProbeController {
  @Get('unpiped')
  unpiped(@Req() request: FastifyRequest, @Headers('x-probe') probe: string) {
    return { url: request.url, probe };
  }

  @Get('piped/:n')
  piped(@Param('n', ParseIntPipe) n: number, @Req() request: FastifyRequest) {
    return { n, type: typeof n, url: request.url };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('handUnpipedParamsSynchronously', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    handUnpipedParamsSynchronously();
    handUnpipedParamsSynchronously(); // a second app in the same process must not wrap twice
    app = await NestFactory.create<NestFastifyApplication>(ProbeModule, new FastifyAdapter(), {
      logger: false,
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('hands unpiped parameters over synchronously, in their places', async () => {
    const make = RouterExecutionContext.prototype.createPipesFn;
    const fn = make.call(
      Object.create(RouterExecutionContext.prototype),
      [],
      [
        { index: 1, type: RouteParamtypes.REQUEST, data: '', pipes: [], extractValue: () => 'req' },
        { index: 0, type: RouteParamtypes.HOST, data: 'k', pipes: [], extractValue: () => 'ctx' },
      ],
    );
    const args: unknown[] = [null, null];
    expect(fn?.(args, {}, {}, () => undefined)).toBeUndefined(); // no promise: nothing to await
    expect(args).toEqual(['ctx', 'req']);
    const response = await app.inject({ method: 'GET', url: '/unpiped?x=1', headers: { 'x-probe': 'p' } });
    expect(response.json()).toEqual({ url: '/unpiped?x=1', probe: 'p' });
  });

  it('leaves a handler with a pipeable parameter to Nest: its pipes still run', async () => {
    const ok = await app.inject({ method: 'GET', url: '/piped/42' });
    expect(ok.json()).toEqual({ n: 42, type: 'number', url: '/piped/42' });
    const refused = await app.inject({ method: 'GET', url: '/piped/nope' });
    expect(refused.statusCode).toBe(400);
  });
});
