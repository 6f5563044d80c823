import { scopeOfRequest } from './route-scope';

describe('scopeOfRequest (the scope a gateway check derives from the original request)', () => {
  it('takes the resource from the path and the action from the method', () => {
    expect(scopeOfRequest('GET', '/api/v1/reports/7?x=1')).toBe('reports:read');
    expect(scopeOfRequest('DELETE', '/api/v1/reports/7')).toBe('reports:delete');
  });

  it('refuses a path whose route depends on who reads it (found by attack passes)', () => {
    for (const uri of [
      '/api/v1/reports/../admin/users',
      '/api/v1/reports/%2e%2e/admin/users',
      '/api/v1/reports/./users',
      '/api/v1/admin/x%2F..%2F..%2Freports',
      '/api/v1/admin/x%5C..%5C..%5Creports',
      '/api/v1/admin/x\\..\\..\\reports',
      '/admin%2F..%2Freports',
    ])
      expect([uri, scopeOfRequest('GET', uri)]).toEqual([uri, null]);
    expect(scopeOfRequest('GET', '/api/v1//reports/')).toBe('reports:read');
  });
});
