import { request as httpRequest } from 'node:http';

export interface Reply<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

export interface CallOptions {
  host?: string;
  token?: string | null;
  headers?: Record<string, string>;
  body?: unknown;
  /** Send this exact string as the body (for malformed JSON). */
  raw?: string;
  /** Connect to this address instead of 127.0.0.1 (e.g. '::1' for IPv6 clients). */
  address?: string;
}

/** A real HTTP call over a socket, with any Host header (fetch does not allow setting Host). */
export function call<T = any>(
  port: number,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { host: options.host ?? 'localhost', ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: options.address ?? '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: any = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** A client bound to one host and credential; every call can still override either. */
export class Client {
  constructor(
    readonly port: number,
    readonly host: string,
    readonly token: string | null = null,
  ) {}

  as(token: string | null): Client {
    return new Client(this.port, this.host, token);
  }

  on(host: string): Client {
    return new Client(this.port, host, this.token);
  }

  send<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
    return call<T>(this.port, method, path, { host: this.host, token: this.token, ...options });
  }

  get<T = any>(path: string, options: CallOptions = {}) {
    return this.send<T>('GET', path, options);
  }
  post<T = any>(path: string, body?: unknown, options: CallOptions = {}) {
    return this.send<T>('POST', path, { body: body ?? {}, ...options });
  }
  patch<T = any>(path: string, body?: unknown, options: CallOptions = {}) {
    return this.send<T>('PATCH', path, { body: body ?? {}, ...options });
  }
  put<T = any>(path: string, body?: unknown, options: CallOptions = {}) {
    return this.send<T>('PUT', path, { body: body ?? {}, ...options });
  }
  delete<T = any>(path: string, options: CallOptions = {}) {
    return this.send<T>('DELETE', path, options);
  }
}
