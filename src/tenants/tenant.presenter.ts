import { iso } from '../core/common/iso';
import { Tenant } from './tenant.entity';

export function presentTenant(t: Tenant) {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    status: t.status,
    created_at: iso(t.createdAt),
    updated_at: iso(t.updatedAt),
  };
}
