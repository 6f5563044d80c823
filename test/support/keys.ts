import { Client } from './http';

/** Keys issued during a suite, so its end can prove none of them reached the database or log. */
export const issuedKeys: string[] = [];

export interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
  body: any;
}

/** POST /api/v1/api-keys as `client`; fails the test unless it answers 201. */
export async function createKey(client: Client, body: Record<string, unknown>): Promise<CreatedKey> {
  const res = await client.post('/api/v1/api-keys', { name: 'test key', ...body });
  if (res.status !== 201) throw new Error(`creating a key answered ${res.status}: ${res.text}`);
  issuedKeys.push(res.body.key);
  return { id: res.body.id, key: res.body.key, prefix: res.body.prefix, body: res.body };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
