/** What the key lifecycle can refuse on its own terms (409s: the request was valid, the key's state is not). */
export enum ApiKeyErrorCode {
  /** Rotate: the key is revoked or expired. */
  NotActive = 'API_KEY_NOT_ACTIVE',
  /** Rotate: the key already has a successor (or had one). */
  AlreadyRotated = 'API_KEY_ALREADY_ROTATED',
  /** PATCH expires_at: a rotated-out key's grace can be shortened, not extended. */
  GraceNotExtendable = 'API_KEY_GRACE_NOT_EXTENDABLE',
  /** PATCH, rotate: an OAuth access token lives as its client grants it (revoke or delete it). */
  OauthTokenFixed = 'API_KEY_OAUTH_TOKEN_FIXED',
}
