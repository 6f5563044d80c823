import { covers, intersectScopes, normalizeScope } from './scope-names';

describe('scope names', () => {
  it('normalises dot notation and case to colon form', () => {
    expect(normalizeScope('Invoices.Create')).toBe('invoices:create');
    expect(normalizeScope('invoices:*')).toBe('invoices:*');
    expect(normalizeScope('*.read')).toBe('*:read');
    expect(normalizeScope('*:*')).toBe('*');
    expect(normalizeScope('view_all_locations')).toBe('view_all_locations');
  });

  it('rejects malformed scopes', () => {
    for (const bad of [
      '',
      'a:b:c',
      'in voices:read',
      ':read',
      'invoices:',
      42,
      null,
      'a'.repeat(70) + ':x',
    ]) {
      expect(normalizeScope(bad)).toBeNull();
    }
  });

  it('matches wildcards on either part', () => {
    expect(covers('*', 'invoices:create')).toBe(true);
    expect(covers('invoices:*', 'invoices:create')).toBe(true);
    expect(covers('*:read', 'invoices:read')).toBe(true);
    expect(covers('*:read', 'invoices:create')).toBe(false);
    expect(covers('invoices:read', 'invoices:*')).toBe(false);
    expect(covers('invoices:*', '*:read')).toBe(false);
    expect(covers('*', 'view_all_locations')).toBe(true);
    expect(covers('*:read', 'view_all_locations')).toBe(false);
    // A bare permission is no resource: `view_all_locations:*` does not reach it.
    expect(covers('view_all_locations:*', 'view_all_locations')).toBe(false);
    expect(covers('view_all_locations', 'view_all_locations')).toBe(true);
  });

  it('intersects abilities with permissions', () => {
    expect(intersectScopes(['*'], ['*:read', 'api-keys:*'])).toEqual(['*:read', 'api-keys:*']);
    expect(intersectScopes(['invoices:*'], ['*:read'])).toEqual(['invoices:read']);
    expect(intersectScopes(['invoices:create'], ['*:read'])).toEqual([]);
    expect(intersectScopes(['posts:read', 'posts:write'], ['*'])).toEqual(['posts:read', 'posts:write']);
  });
});

describe('intersectScopes at scale', () => {
  it('never grants more than the exact answer for pathological inputs (80,000 pairs)', () => {
    const abilities = [...Array.from({ length: 200 }, (_, i) => `r${i}:*`), 'invoices:read'];
    const permissions = [...Array.from({ length: 400 }, (_, i) => `*:a${i}`), 'invoices:*'];
    const result = intersectScopes(abilities, permissions);
    // It keeps what one side holds whole and the other covers, and nothing either side lacks.
    expect(result).toEqual(['invoices:read']);
    for (const scope of result) {
      expect(abilities.some((a) => covers(a, scope)) && permissions.some((p) => covers(p, scope))).toBe(true);
    }
  });
});
