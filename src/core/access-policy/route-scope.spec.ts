import { scopeOfRequest } from './route-scope';

describe('scopeOfRequest (the scope a gateway check derives from the original request)', () => {
  it('takes the resource from the path and the action from the method', () => {
    expect(scopeOfRequest('GET', '/api/v1/reports/7?x=1')).toBe('reports:read');
    expect(scopeOfRequest('DELETE', '/api/v1/reports/7')).toBe('reports:delete');
  });

  it('resolves dot segments as the service will, escaped or not (found by an attack pass)', () => {
    for (const uri of [
      '/api/v1/reports/../admin/users',
      '/api/v1/reports/%2e%2e/admin/users',
      '/api/v1/reports/./../admin/users',
      '/api/v1/reports\\..\\admin\\users',
    ])
      expect([uri, scopeOfRequest('GET', uri)]).toEqual([uri, 'admin:read']);
    expect(scopeOfRequest('GET', '/api/v1/./reports/.')).toBe('reports:read');
  });
});
