import { iso } from '../core/common/iso';
import { Session } from './session.entity';

/** Never the hash; `current` marks the session the request came with. */
export function presentSession(s: Session, currentId: string | null) {
  return {
    id: s.id,
    ip: s.ip,
    user_agent: s.userAgent,
    created_at: iso(s.createdAt),
    last_seen_at: iso(s.lastSeenAt),
    expires_at: iso(s.expiresAt),
    current: s.id === currentId,
  };
}
