import { sessionCookie, sessionSecret } from './session-cookie';

const secret = 'A'.repeat(21) + '_' + 'b'.repeat(20) + '-';
const withCookie = (cookie: string | string[]) => ({
  method: 'GET',
  url: '/',
  headers: { cookie },
  socket: {},
});

describe('session cookie', () => {
  it('finds the session secret among other cookies', () => {
    expect(sessionSecret(withCookie(`theme=dark; keygate_session=${secret}; lang=en`))).toBe(secret);
  });

  it('ignores a malformed value, a lookalike name, and two different values', () => {
    expect(sessionSecret(withCookie('keygate_session=short'))).toBeNull();
    expect(sessionSecret(withCookie(`xkeygate_session=${secret}`))).toBeNull();
    expect(
      sessionSecret(withCookie(`keygate_session=${secret}; keygate_session=${'c'.repeat(43)}`)),
    ).toBeNull();
    expect(sessionSecret(withCookie([`keygate_session=${secret}`, 'a=b']))).toBeNull();
    expect(sessionSecret({ method: 'GET', url: '/', headers: {}, socket: {} })).toBeNull();
  });

  it('is HttpOnly, SameSite=Lax, Path=/, and Secure only when asked', () => {
    expect(sessionCookie(secret, { secure: false, maxAgeSeconds: 3600 })).toBe(
      `keygate_session=${secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600`,
    );
    expect(sessionCookie('', { secure: true, maxAgeSeconds: 0 })).toBe(
      'keygate_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure',
    );
  });
});
