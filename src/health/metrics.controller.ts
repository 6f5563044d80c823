import { Controller, Get, Header } from '@nestjs/common';
import { PlatformRoute } from '../core/access-policy/route-policy.decorators';
import { Metrics } from '../core/metrics/metrics';

/**
 * Prometheus text for operators: on the bare BASE_DOMAIN host, with a platform key (a scrape
 * config sets `authorization: Bearer kgp_…`). Request counts by route template, never raw URLs,
 * so a path holding an id or a key cannot reach the metrics.
 */
@PlatformRoute()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.text();
  }
}
