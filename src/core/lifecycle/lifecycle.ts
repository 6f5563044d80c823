import { Injectable } from '@nestjs/common';

/**
 * Whether this instance is shutting down. From the first SIGTERM, /health/ready answers 503 (a
 * load balancer stops sending), every response carries `Connection: close` (a client on a
 * kept-alive connection reconnects elsewhere instead of meeting a closed socket), and requests
 * already in flight complete.
 */
@Injectable()
export class Lifecycle {
  private drainingSince: number | null = null;

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  beginDraining(): void {
    this.drainingSince ??= Date.now();
  }
}
