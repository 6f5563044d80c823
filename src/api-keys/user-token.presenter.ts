import { ApiKey } from './api-key.entity';
import { keyPrefix } from './key-format';
import { iso } from '../core/common/iso';

/** A user token as its owner sees it: the public prefix, never the secret or its hash. */
export function presentUserToken(k: ApiKey, currentTokenId: string) {
  const expired = k.expiresAt !== null && k.expiresAt.getTime() <= Date.now();
  return {
    id: k.id,
    name: k.name,
    prefix: k.displayPrefix ?? keyPrefix(k),
    format: k.format ?? 'keygate',
    abilities: k.scopes,
    expires_at: iso(k.expiresAt),
    last_used_at: iso(k.lastUsedAt),
    created_at: iso(k.createdAt),
    status: expired ? 'expired' : 'active',
    current: k.id === currentTokenId,
  };
}
