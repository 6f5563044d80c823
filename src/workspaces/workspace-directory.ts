import { Injectable } from '@nestjs/common';
import { Workspace } from './workspace.entity';
import { WorkspacesRepository } from './workspaces.repository';
import type { RequestContext } from '../core/context/request-context';

/** The workspaces feature's rows as other features read them (no authorization: callers check). */
@Injectable()
export class WorkspaceDirectory {
  constructor(private readonly workspaces: WorkspacesRepository) {}

  /** The request tenant's workspace, else 404 (another tenant's id too). */
  findOrFail(ctx: RequestContext, id: string): Promise<Workspace> {
    return this.workspaces.findOneOrFail(ctx, { id });
  }

  /** Every workspace id of the request's tenant (what a tenant-wide role reaches). */
  async allIds(ctx: RequestContext): Promise<string[]> {
    const rows = await this.workspaces.find(ctx, {}, { select: { id: true } });
    return rows.map((w) => w.id);
  }

  /** A tenant's first workspace (provisioning); the rest are created by WorkspacesService. */
  insert(ctx: RequestContext, workspace: Omit<Workspace, 'tenantId'>): Promise<Workspace> {
    return this.workspaces.insert(ctx, workspace);
  }
}
