import { iso } from '../core/common/iso';
import { OAuthClient } from './oauth-client.entity';

/** An OAuth client as listed: never its secret or hash. */
export function presentOAuthClient(row: OAuthClient) {
  return {
    id: row.id,
    name: row.name,
    client_id: row.clientId,
    workspace_id: row.workspaceId,
    scopes: row.scopes,
    created_at: iso(row.createdAt),
  };
}
