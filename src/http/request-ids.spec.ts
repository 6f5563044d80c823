import { redactSecrets } from '../core/common/secret-redaction';
import { newRequestId } from './request-ids';

describe('newRequestId', () => {
  it('gives 24 hex digits, unique across pool refills, and nothing the log redaction would cut', () => {
    const ids = Array.from({ length: 2000 }, () => newRequestId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{24}$/);
      expect(redactSecrets(id)).toBe(id);
    }
  });

  it('draws every digit at random (no counter in any position)', () => {
    const ids = Array.from({ length: 512 }, () => newRequestId());
    for (let position = 0; position < 24; position++)
      expect(new Set(ids.map((id) => id[position])).size).toBeGreaterThan(8);
  });
});
