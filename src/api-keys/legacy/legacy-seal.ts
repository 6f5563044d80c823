import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * The old application's HMAC key (Voltis hashes tokens with it) must be known to verify an
 * imported token, and no secret is stored in the clear: it is sealed with AES-256-GCM under a key
 * derived from APP_KEY, and unsealed in memory when a token of that tenant is first presented.
 */
function sealKey(appKey: string): Buffer {
  return createHmac('sha256', appKey).update('keygate:legacy-key-seal:v1').digest();
}

export function seal(appKey: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(appKey), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

/** The sealed value, or null when it does not open under this APP_KEY. */
export function unseal(appKey: string, sealed: string): string | null {
  if (!sealed.startsWith('v1.')) return null;
  try {
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', sealKey(appKey), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
