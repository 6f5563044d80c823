import { iso } from '../core/common/iso';
import type { User } from '../users/user.entity';
import { Membership } from './membership.entity';

/** A membership with enough of its user to show a member list (never the password hash). */
export function presentMembership(m: Membership, user?: Pick<User, 'email' | 'name' | 'status'>) {
  return {
    id: m.id,
    workspace_id: m.workspaceId,
    user_id: m.userId,
    role: m.role,
    user: user ? { id: m.userId, email: user.email, name: user.name, status: user.status } : null,
    created_at: iso(m.createdAt),
    updated_at: iso(m.updatedAt),
  };
}
