/** What `KeygateModule.forRoot()` takes. */
export interface KeygateModuleOptions {
  /** The tenant's base URL, such as `http://acme.localhost:3000`. */
  baseUrl: string;
  /** A Keygate workspace key holding `keys:verify`, of the workspace whose keys this app accepts. */
  verifierKey: string;
  /**
   * How long an answer of Keygate is reused for the same presented key (positive and negative);
   * default 10 s. A revoked key stops working here at most this long after its revocation.
   */
  cacheTtlSeconds?: number;
  /** Most answers kept at once (oldest dropped first); default 10,000. */
  cacheMaxEntries?: number;
  /** Per verification call; default 2,000 ms. Past it the request is 503 (fail closed). */
  timeoutMs?: number;
  /** Send the client address (`request.ip`) for keys with an IP allowlist; default true. */
  forwardClientIp?: boolean;
}

export const KEYGATE_OPTIONS = Symbol('KEYGATE_OPTIONS');
