import { Injectable, OnModuleInit } from '@nestjs/common';
import { InvalidationBus } from '../core/events/invalidation-bus';
import { TtlCache } from '../core/common/ttl-cache';
import { SingleFlight } from '../core/common/single-flight';
import { ChangeLog, EVERYTHING } from '../core/common/change-log';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';
import { Workspace } from './workspace.entity';
import { WorkspacesRepository } from './workspaces.repository';
import type { RequestContext } from '../core/context/request-context';

/** Workspace by id for the guard chain; suspend, resume and delete invalidate. */
@Injectable()
export class WorkspaceCache implements OnModuleInit {
  private readonly cache: TtlCache<string, Workspace>;
  /** Invalidations by workspace: a row read before one of its own (a suspension) is used once, not cached. */
  private readonly changes = new ChangeLog();
  private readonly loads = new SingleFlight<string, Workspace | null>();

  constructor(
    private readonly workspaces: WorkspacesRepository,
    private readonly bus: InvalidationBus,
    @InjectConfig() config: KeygateConfig,
  ) {
    this.cache = new TtlCache({ max: 100000, ttl: Math.max(config.keyCacheTtlSeconds * 1000, 1) });
  }

  /** The cached workspace, without a promise; undefined when the database must be asked. */
  peek(tenantId: string, id: string): Workspace | null | undefined {
    const cached = this.cache.get(id);
    return cached === undefined ? undefined : cached.tenantId === tenantId ? cached : null;
  }

  /** The workspace of the request's tenant, or null (another tenant's id is simply not found). */
  async get(ctx: RequestContext, tenantId: string, id: string): Promise<Workspace | null> {
    const cached = this.cache.get(id);
    if (cached) return cached.tenantId === tenantId ? cached : null;
    const mark = this.changes.mark();
    // Per tenant: the look-up is scoped to the asking request's tenant.
    const row = await this.loads.run(`${mark}:${tenantId}:${id}`, async () => {
      const found = await this.workspaces.findOne(ctx, { id });
      if (found && !this.changes.changedSince(mark, [`ws:${id}`])) this.cache.set(id, found);
      return found;
    });
    return row && row.tenantId === tenantId ? row : null;
  }

  /** Suspend, resume, rename and delete publish `workspace`; a Redis reconnect, `resync`. */
  onModuleInit(): void {
    this.bus.subscribe((event) => {
      if (event.type === 'workspace') {
        this.changes.record(`ws:${event.workspaceId}`);
        this.cache.delete(event.workspaceId);
      } else if (event.type === 'resync') {
        this.changes.record(EVERYTHING);
        this.cache.clear();
      }
    });
  }
}
