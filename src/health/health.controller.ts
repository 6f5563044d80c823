import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { AnyHost, Public } from '../core/access-policy/route-policy.decorators';
import { RedisConnection } from '../redis/redis-connection';
import { Lifecycle } from '../core/lifecycle/lifecycle';

type State = 'up' | 'down';

@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: RedisConnection,
    private readonly lifecycle: Lifecycle,
  ) {}

  /**
   * For load balancers: answers on any host; 200 while the app serves, with the state of the
   * database and, when REDIS_URL is set, of Redis. Redis down is not "degraded": verification
   * works without it and rate limits fall back to in-process counters.
   */
  @Public()
  @AnyHost()
  @Get()
  @HttpCode(200)
  async check() {
    const database = await this.databaseState();
    return {
      status: database === 'up' ? 'ok' : 'degraded',
      database,
      driver: this.dataSource.options.type,
      redis: this.redis.client ? (this.redis.isUp() ? 'up' : 'down') : 'not_configured',
    };
  }

  /** Liveness: the process answers. Nothing it depends on is asked (a restart would not fix it). */
  @Public()
  @AnyHost()
  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'live' };
  }

  /**
   * Readiness: 200 when this instance should get traffic: the database answers, Redis too when
   * REDIS_URL is set (other instances' revocations reach this one through it), and it is not
   * shutting down. 503 otherwise, with what is wrong.
   */
  @Public()
  @AnyHost()
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const database = await this.databaseState();
    const redis = this.redis.client ? (this.redis.isUp() ? 'up' : 'down') : 'not_configured';
    const ready = database === 'up' && redis !== 'down' && !this.lifecycle.draining;
    void reply.code(ready ? 200 : 503);
    return {
      status: ready ? 'ready' : 'not_ready',
      database,
      redis,
      ...(this.lifecycle.draining ? { shutting_down: true } : {}),
    };
  }

  private async databaseState(): Promise<State> {
    try {
      await this.dataSource.query('SELECT 1');
      return 'up';
    } catch {
      return 'down';
    }
  }
}
