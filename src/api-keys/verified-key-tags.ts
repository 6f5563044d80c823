import type { CachedCredential } from './cached-credential';
import { SipHash24 } from './siphash';

/**
 * Recognises a key this process has already verified, without recomputing its HMAC: once a
 * presented key has matched a cached credential's stored HMAC, the credential remembers the key's
 * SipHash-2-4 tag under a key drawn at random when the process starts. Later presentations of the
 * same key match the tag (~15 times less work than the HMAC); anything else is checked against the
 * HMAC as before, so a wrong secret still costs one HMAC.
 *
 * Nothing of the key is kept: the tag is a keyed pseudo-random function of it, its key never
 * leaves this process's memory, and producing a matching tag without it is a 2^-64 guess (which
 * the auth-failure limit caps at a few a minute per address). A credential replaced in the cache
 * (invalidated, refreshed) starts untagged and pays one HMAC.
 */
export class VerifiedKeyTags {
  private readonly sip = new SipHash24();

  /** Computes the presented key's tag; `matches` and `remember` read it (same synchronous call). */
  compute(presented: string): void {
    this.sip.hash(presented);
  }

  /** Whether the tag just computed is the one `credential` remembered; constant-time in the tag. */
  matches(credential: CachedCredential): boolean {
    return (
      credential.verified &&
      ((this.sip.hi ^ credential.verifiedHi) | (this.sip.lo ^ credential.verifiedLo)) === 0
    );
  }

  /** After the HMAC matched: the tag just computed is this credential's. */
  remember(credential: CachedCredential): void {
    credential.verifiedHi = this.sip.hi;
    credential.verifiedLo = this.sip.lo;
    credential.verified = true;
  }
}
