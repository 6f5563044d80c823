import { Controller, Get, HttpCode } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AnyHost, Public } from '../core/access-policy/route-policy.decorators';
import { RedisConnection } from '../redis/redis-connection';

type State = 'up' | 'down';

@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: RedisConnection,
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

  private async databaseState(): Promise<State> {
    try {
      await this.dataSource.query('SELECT 1');
      return 'up';
    } catch {
      return 'down';
    }
  }
}
