import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { TransactionRunner } from '../core/database/transaction-runner';
import { RequestContext } from '../core/context/request-context';
import { Metrics } from '../core/metrics/metrics';
import { ApiKey } from './api-key.entity';

interface Pending {
  tenantId: string;
  lastUsedAt: number;
  countsByDay: Map<string, number>;
}

/**
 * `last_used_at` and daily request counts, gathered in memory and written in one batch every
 * USAGE_FLUSH_INTERVAL_SECONDS and on shutdown: an authenticated request writes nothing.
 */
@Injectable()
export class UsageRecorder implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('UsageRecorder');
  private pending = new Map<string, Pending>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private day = '';
  private dayStart = -Infinity;
  /** When the oldest count still waiting was recorded (0: none waits), for the flush-lag gauge. */
  private oldestPending = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly metrics: Metrics,
    @InjectConfig() private readonly config: KeygateConfig,
  ) {}

  onModuleInit(): void {
    // Read at scrape time: the lag is now minus the oldest waiting count, not a stored number.
    this.metrics.measureUsageLag(() => (this.oldestPending ? (Date.now() - this.oldestPending) / 1000 : 0));
    this.timer = setInterval(() => void this.flush(), this.config.usageFlushIntervalSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  record(credentialId: string, tenantId: string, now = Date.now()): void {
    if (this.oldestPending === 0) this.oldestPending = now;
    let entry = this.pending.get(credentialId);
    if (!entry) {
      entry = { tenantId, lastUsedAt: now, countsByDay: new Map() };
      this.pending.set(credentialId, entry);
    }
    entry.lastUsedAt = now;
    const day = this.dayOf(now);
    entry.countsByDay.set(day, (entry.countsByDay.get(day) ?? 0) + 1);
  }

  /** `YYYY-MM-DD` (UTC) of `now`, recomputed only when the day changes. */
  private dayOf(now: number): string {
    if (now < this.dayStart || now >= this.dayStart + 86_400_000) {
      this.dayStart = now - (now % 86_400_000);
      this.day = new Date(this.dayStart).toISOString().slice(0, 10);
    }
    return this.day;
  }

  /** Usage not yet written, so reads can show figures that are up to date. */
  pendingFor(credentialId: string): { lastUsedAt: number; countsByDay: Map<string, number> } | undefined {
    return this.pending.get(credentialId);
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBatch());
    return this.flushing;
  }

  private async writeBatch(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const oldest = this.oldestPending;
    this.oldestPending = 0;
    try {
      // Through TransactionRunner like every other write, so SQLite's one writer sees one queue.
      // A context of no tenant: the batch spans tenants, and each row names its own.
      await this.transactions.run(RequestContext.platform(), async (ctx) => {
        const manager = ctx.entityManager()!;
        for (const [id, entry] of batch) {
          await manager.getRepository(ApiKey).update({ id }, { lastUsedAt: new Date(entry.lastUsedAt) });
          for (const [day, count] of entry.countsByDay) {
            await manager.query(this.upsertSql(), [id, day, entry.tenantId, count]);
          }
        }
      });
    } catch (error) {
      // Keep the figures for the next attempt rather than lose them while the database is away.
      for (const [id, entry] of batch) this.merge(id, entry);
      this.oldestPending = this.oldestPending ? Math.min(this.oldestPending, oldest) : oldest;
      this.metrics.usageFlushes.labels('failed').inc();
      this.logger.warn(`usage flush failed, will retry: ${(error as Error).message}`);
      return;
    }
    this.metrics.usageFlushes.labels('ok').inc();
  }

  private upsertSql(): string {
    return this.dataSource.options.type === 'mysql'
      ? 'INSERT INTO key_usage_daily (api_key_id, day, tenant_id, count) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE count = count + VALUES(count)'
      : 'INSERT INTO key_usage_daily (api_key_id, day, tenant_id, count) VALUES (?, ?, ?, ?) ON CONFLICT (api_key_id, day) DO UPDATE SET count = count + excluded.count';
  }

  private merge(id: string, entry: Pending): void {
    const current = this.pending.get(id);
    if (!current) {
      this.pending.set(id, entry);
      return;
    }
    current.lastUsedAt = Math.max(current.lastUsedAt, entry.lastUsedAt);
    for (const [day, count] of entry.countsByDay)
      current.countsByDay.set(day, (current.countsByDay.get(day) ?? 0) + count);
  }
}
