import { ApiKey } from '../api-keys/api-key.entity';
import { KeyUsageDaily } from '../api-keys/key-usage-daily.entity';
import { AuditLog } from '../audit/audit-log.entity';
import { OAuthClient } from '../oauth/oauth-client.entity';
import { PlatformKey } from '../platform/platform-key.entity';
import { CustomScope } from '../scopes/custom-scope.entity';
import { Tenant } from '../tenants/tenant.entity';
import { User } from '../users/user.entity';
import { Membership } from '../access/membership.entity';
import { Role } from '../access/role.entity';
import { Workspace } from '../workspaces/workspace.entity';
import { Session } from '../sessions/session.entity';

/** Every entity, listed once: the app and the TypeORM CLI read this same list via ormconfig.ts. */
export const ENTITIES = [
  Tenant,
  User,
  Workspace,
  Membership,
  Role,
  ApiKey,
  KeyUsageDaily,
  CustomScope,
  AuditLog,
  PlatformKey,
  OAuthClient,
  Session,
];
