import { iso } from '../core/common/iso';
import { Role } from './role.entity';

/** Built-in roles have no row: no id, no timestamps, and `built_in: true`. */
export function presentBuiltInRole(name: string, description: string, permissions: string[]) {
  return { id: null, name, description, permissions, built_in: true, created_at: null, updated_at: null };
}

export function presentRole(r: Role) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    permissions: r.permissions,
    built_in: false,
    created_at: iso(r.createdAt),
    updated_at: iso(r.updatedAt),
  };
}
