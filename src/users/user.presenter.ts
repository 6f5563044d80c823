import { iso } from '../core/common/iso';
import { User } from './user.entity';

/** Never the password hash: it is not even selected by default (select: false). */
export function presentUser(u: User) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    status: u.status,
    tenant_role: u.tenantRole,
    current_workspace_id: u.currentWorkspaceId,
    created_at: iso(u.createdAt),
    updated_at: iso(u.updatedAt),
  };
}
