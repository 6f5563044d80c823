import { Controller, Get, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { iso } from '../core/common/iso';
import { PageQueryDto } from '../core/common/pagination';
import { keysetPage } from '../core/database/keyset-page';
import { RequireScope } from '../core/access-policy/require-scope.decorator';
import { RequestContext } from '../core/context/request-context';
import { Authority } from '../access/authority';
import { ForbiddenError } from '../core/errors';
import { AuditLog } from './audit-log.entity';
import { AuditLogsRepository } from './audit.service';
import { Ctx } from '../core/context/ctx.decorator';

class AuditQueryDto extends PageQueryDto {
  /** `tenant`: the tenant-level log (users, roles, workspaces, scopes), for tenant-wide roles. */
  @IsOptional()
  @IsIn(['workspace', 'tenant'])
  level?: 'workspace' | 'tenant';

  @IsOptional()
  @IsString()
  @Length(1, 64)
  action?: string;

  @IsOptional()
  @IsString()
  @Length(1, 40)
  target_id?: string;
}

function presentAudit(row: AuditLog) {
  return {
    id: row.id,
    action: row.action,
    actor_type: row.actorType,
    actor_id: row.actorId,
    target_type: row.targetType,
    target_id: row.targetId,
    workspace_id: row.workspaceId,
    ip: row.ip,
    metadata: row.metadata,
    created_at: iso(row.createdAt),
  };
}

/**
 * The audit trail of the active workspace, newest first; `?level=tenant` lists the tenant-level
 * rows instead, for callers that hold `audit-logs:read` tenant-wide (a tenant role), so that what
 * was done outside any workspace, or to one that is gone, is never unreadable.
 */
@Controller('api/v1/audit-logs')
export class AuditLogsController {
  constructor(
    private readonly logs: AuditLogsRepository,
    private readonly authority: Authority,
  ) {}

  @RequireScope('audit-logs:read')
  @Get()
  async list(@Ctx() ctx: RequestContext, @Query() query: AuditQueryDto) {
    const qb = this.logs.queryBuilder(ctx, 'a');
    if (query.level === 'tenant') {
      await this.authority.assertScopeIn(ctx, null, 'audit-logs:read');
      qb.andWhere('a.workspaceId IS NULL');
    } else {
      const workspace = ctx.workspace();
      if (!workspace) throw ForbiddenError.because('no_workspace');
      qb.andWhere('a.workspaceId = :ws', { ws: workspace.id });
    }
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.target_id) qb.andWhere('a.targetId = :target', { target: query.target_id });
    return keysetPage(qb, 'a', query, presentAudit, { newest: true });
  }
}
