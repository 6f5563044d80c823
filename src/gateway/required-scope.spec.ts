import { InvalidInputError } from '../core/errors';
import { requiredScope } from './required-scope';

describe('requiredScope: what a gateway asks /api/v1/auth/check about', () => {
  it('takes X-Required-Scope first, normalised to colon form', () => {
    expect(requiredScope({ 'x-required-scope': 'Reports.Read', 'x-original-method': 'POST' })).toBe(
      'reports:read',
    );
  });

  it('derives the scope from method and URI as @AutoScope does', () => {
    const from = (method: string, uri: string) =>
      requiredScope({ 'x-original-method': method, 'x-original-uri': uri });
    expect(from('GET', '/api/v1/reports/7?sort=asc')).toBe('reports:read');
    expect(from('head', '/reports')).toBe('reports:read');
    expect(from('POST', '/v2/invoices')).toBe('invoices:create');
    expect(from('PUT', '/api/v1/invoices/9')).toBe('invoices:update');
    expect(from('PATCH', '/invoices/9')).toBe('invoices:update');
    expect(from('DELETE', '/api/clients/9#x')).toBe('clients:delete');
  });

  it('needs nothing when the gateway asks about nothing (authentication only)', () => {
    expect(requiredScope({})).toBeNull();
  });

  it('refuses what names no concrete scope', () => {
    for (const headers of [
      { 'x-required-scope': '*' },
      { 'x-required-scope': 'reports:*' },
      { 'x-required-scope': 'a b' },
      { 'x-original-method': 'GET' },
      { 'x-original-uri': '/reports' },
      { 'x-original-method': 'OPTIONS', 'x-original-uri': '/reports' },
      { 'x-original-method': 'GET', 'x-original-uri': '/api/v1/' },
      { 'x-original-method': 'GET', 'x-original-uri': '/%E0%A4%A' },
      { 'x-original-method': 'GET', 'x-original-uri': '/rep<orts' },
      { 'x-required-scope': ['a:b', 'c:d'] },
    ]) {
      expect(() => requiredScope(headers)).toThrow(InvalidInputError);
    }
  });
});
