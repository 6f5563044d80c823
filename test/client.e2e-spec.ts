import {
  ConflictError,
  ForbiddenError,
  KeygateClient,
  KeygateUnavailableError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '@keygate/client';
import { createTenant, TenantFixture } from './support/fixtures';
import { issuedKeys } from './support/keys';
import { startApp, TestApp } from './support/test-app';

/** packages/client against a real Keygate, on the tenant's `*.localhost` URL as a user writes it. */
describe('@keygate/client: the typed client over a real server', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let owner: KeygateClient;
  beforeAll(async () => {
    t = await startApp();
    acme = await createTenant(t);
    owner = new KeygateClient({ baseUrl: `http://${acme.host}:${t.port}`, token: acme.token });
  });
  afterAll(() => t.close());

  it('reaches a *.localhost tenant host without DNS, the tenant taken from the Host it sends', async () => {
    const me = await owner.auth.me();
    expect(me.tenant.slug).toBe(acme.slug);
    expect(me.credential_type).toBe('user_token');
    expect(me.workspace?.id).toBe(acme.workspaceId);
  });

  it('creates, lists, gets, updates, rotates and revokes keys, and verifies them', async () => {
    const created = await owner.keys.create({ name: 'billing', scopes: ['api-keys:read', 'keys:verify'] });
    issuedKeys.push(created.key);
    expect(created.key).toMatch(/^sk_live_/);
    expect((await owner.keys.get(created.id)).name).toBe('billing');
    expect((await owner.keys.list({ limit: 50 })).data.map((k) => k.id)).toContain(created.id);
    expect((await owner.keys.update(created.id, { name: 'billing v2' })).name).toBe('billing v2');
    const verifier = new KeygateClient({ baseUrl: `http://${acme.host}:${t.port}`, token: created.key });
    const valid = await verifier.verify({ key: created.key, scopes: ['api-keys:read'] });
    expect(valid).toMatchObject({
      valid: true,
      code: 'VALID',
      key_id: created.id,
      workspace_id: acme.workspaceId,
    });
    const rotated = await owner.keys.rotate(created.id, { grace_period_seconds: 0 });
    issuedKeys.push(rotated.key);
    expect(rotated.id).not.toBe(created.id);
    expect(
      (await verifier.verify({ key: rotated.key }).catch((e: unknown) => e)) instanceof UnauthenticatedError,
    ).toBe(true);
    const fresh = new KeygateClient({ baseUrl: `http://${acme.host}:${t.port}`, token: rotated.key });
    expect((await fresh.verify({ key: created.key })).code).toBe('REVOKED');
    expect((await owner.keys.revoke(rotated.id)).revoked_at).not.toBeNull();
    await expect(fresh.auth.me()).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('turns error answers into typed exceptions with status, message, code and required_scope', async () => {
    const narrow = await owner.keys.create({ name: 'narrow', scopes: ['api-keys:read'] });
    issuedKeys.push(narrow.key);
    const limited = new KeygateClient({ baseUrl: `http://${acme.host}:${t.port}`, token: narrow.key });
    const forbidden = await limited.verify({ key: 'sk_live_x' }).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(ForbiddenError);
    expect(forbidden).toMatchObject({
      status: 403,
      message: 'This action is unauthorized.',
      requiredScope: 'keys:verify',
      providedScopes: ['api-keys:read'],
    });
    const invalid = await owner.keys.create({ name: '', scopes: [] }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).status).toBe(422);
    expect(Object.keys((invalid as ValidationError).errors ?? {})).toContain('name');
    await expect(owner.keys.get('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const key = await owner.keys.create({ name: 'twice', scopes: ['api-keys:read'] });
    issuedKeys.push(key.key);
    await owner.keys.rotate(key.id);
    const again = await owner.keys.rotate(key.id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as ConflictError).code).toMatch(/^[A-Z_]+$/);
  });

  it('manages the user’s own tokens', async () => {
    const token = await owner.tokens.create({ name: 'ci', abilities: ['api-keys:read'] });
    issuedKeys.push(token.token);
    const asToken = new KeygateClient({ baseUrl: `http://${acme.host}:${t.port}`, token: token.token });
    expect((await asToken.auth.me()).scopes).toEqual(['api-keys:read']);
    await owner.tokens.revoke(token.id);
    await expect(asToken.auth.me()).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('is a KeygateUnavailableError (503) when nothing listens', async () => {
    const nowhere = new KeygateClient({
      baseUrl: 'http://acme.localhost:1',
      token: acme.token,
      timeoutMs: 500,
    });
    const error = await nowhere.auth.me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeygateUnavailableError);
    expect((error as KeygateUnavailableError).status).toBe(503);
    expect((error as Error).message).not.toContain(acme.token);
  });
});
