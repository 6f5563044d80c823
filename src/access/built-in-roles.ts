/**
 * Built-in roles (product.md). `admin` holds every scope but tenant administration, which is
 * written as explicit resource wildcards so that a new resource is not granted by accident.
 */
export const VIEW_ALL_LOCATIONS = 'view_all_locations';

export const BUILT_IN_ROLES: Record<string, { description: string; permissions: string[] }> = {
  owner: { description: 'Every permission in every workspace of the tenant', permissions: ['*'] },
  admin: {
    description: 'Every scope but tenant administration',
    permissions: [
      'api-keys:*',
      'keys:*',
      'audit-logs:*',
      'users:*',
      'workspaces:*',
      'roles:*',
      'scopes:*',
      'invoices:*',
      '*:read',
    ],
  },
  member: { description: 'Read everything, manage API keys', permissions: ['*:read', 'api-keys:*'] },
  viewer: { description: 'Read everything', permissions: ['*:read'] },
};

export function isBuiltInRole(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(BUILT_IN_ROLES, name);
}
