import {
  ConflictError,
  errorFor,
  ForbiddenError,
  KeygateError,
  KeygateUnavailableError,
  RateLimitedError,
  UnauthenticatedError,
} from './errors';
import { loopbackLookup } from './transport';

describe('errorFor: one typed exception per status', () => {
  it('maps statuses to subclasses and keeps the body fields', () => {
    expect(errorFor(401, { message: 'Unauthenticated.' })).toBeInstanceOf(UnauthenticatedError);
    const forbidden = errorFor(403, {
      message: 'This action is unauthorized.',
      required_scope: 'a:b',
      reason: 'x',
    });
    expect(forbidden).toBeInstanceOf(ForbiddenError);
    expect(forbidden).toMatchObject({
      status: 403,
      requiredScope: 'a:b',
      reason: 'x',
      name: 'ForbiddenError',
    });
    expect(errorFor(409, { message: 'm', code: 'API_KEY_ALREADY_ROTATED' }).code).toBe(
      'API_KEY_ALREADY_ROTATED',
    );
    expect(errorFor(409, { message: 'm' })).toBeInstanceOf(ConflictError);
    const limited = errorFor(429, { message: 'Too Many Attempts.' }, '17') as RateLimitedError;
    expect(limited.retryAfterSeconds).toBe(17);
    expect(errorFor(502, 'bad gateway')).toBeInstanceOf(KeygateUnavailableError);
    const odd = errorFor(418, undefined);
    expect(odd).toBeInstanceOf(KeygateError);
    expect(odd.message).toBe('Keygate answered 418.');
  });
});

describe('loopbackLookup (RFC 6761: *.localhost is loopback)', () => {
  it('answers 127.0.0.1 for localhost names without asking DNS', (done) => {
    loopbackLookup('Acme.LOCALHOST.', {}, (error, address, family) => {
      expect(error).toBeNull();
      expect([address, family]).toEqual(['127.0.0.1', 4]);
      loopbackLookup('x.localhost', { all: true }, (e2, all) => {
        expect(all).toEqual([{ address: '127.0.0.1', family: 4 }]);
        done(e2 ?? undefined);
      });
    });
  });
});
