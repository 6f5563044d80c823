import { iso } from '../core/common/iso';
import { Workspace } from './workspace.entity';

export function presentWorkspace(w: Workspace) {
  return {
    id: w.id,
    name: w.name,
    status: w.status,
    created_at: iso(w.createdAt),
    updated_at: iso(w.updatedAt),
  };
}
