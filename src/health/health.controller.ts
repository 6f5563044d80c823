import { Controller, Get, HttpCode } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AnyHost, Public } from '../pipeline/route-policy.decorators';

@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** For load balancers: answers on any host; 200 while the app serves, with the database's state. */
  @Public()
  @AnyHost()
  @Get()
  @HttpCode(200)
  async check() {
    let database: 'up' | 'down' = 'down';
    try {
      await this.dataSource.query('SELECT 1');
      database = 'up';
    } catch {
      database = 'down';
    }
    return { status: database === 'up' ? 'ok' : 'degraded', database, driver: this.dataSource.options.type };
  }
}
