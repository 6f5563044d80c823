import { Injectable } from '@nestjs/common';
import { DataSource, MoreThanOrEqual } from 'typeorm';
import { RequestContext } from '../core/context/request-context';
import { ApiKey } from './api-key.entity';
import { KeyUsageDaily } from './key-usage-daily.entity';
import { UsageRecorder } from './usage-recorder';

const DAYS = 30;

/** Usage of one key as written so far plus what is still waiting in memory for the next flush. */
@Injectable()
export class KeyUsageReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recorder: UsageRecorder,
  ) {}

  async forKey(
    ctx: RequestContext,
    row: ApiKey,
  ): Promise<{ last_used_at: string | null; usage: { day: string; count: number }[] }> {
    const since = new Date(Date.now() - (DAYS - 1) * 86400_000).toISOString().slice(0, 10);
    const rows = await this.dataSource.getRepository(KeyUsageDaily).find({
      where: { apiKeyId: row.id, tenantId: ctx.tenantId(), day: MoreThanOrEqual(since) },
      order: { day: 'ASC' },
    });
    const counts = new Map(rows.map((r) => [r.day, r.count]));
    const pending = this.recorder.pendingFor(row.id);
    for (const [day, count] of pending?.countsByDay ?? []) counts.set(day, (counts.get(day) ?? 0) + count);
    const lastUsed = Math.max(row.lastUsedAt?.getTime() ?? 0, pending?.lastUsedAt ?? 0);
    return {
      last_used_at: lastUsed ? new Date(lastUsed).toISOString() : null,
      usage: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([day, count]) => ({ day, count })),
    };
  }
}
