import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import { errorFor, KeygateUnavailableError } from './errors';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * `*.localhost` is loopback (RFC 6761 §6.3), as curl and browsers treat it, but Node's resolver
 * asks DNS and fails: so those names are mapped to 127.0.0.1 here, while the URL (and so the Host
 * header, which carries the tenant) keeps the name.
 */
export const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: '127.0.0.1', family: 4 },
      ]);
    } else callback(null, '127.0.0.1', 4);
    return;
  }
  dnsLookup(hostname, options, callback);
};

export interface SendOptions {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

/** One HTTP exchange; error answers become typed exceptions, transport failures a 503 one. */
export function send(options: SendOptions): Promise<RawResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  const requestOptions: RequestOptions = {
    method: options.method,
    headers,
    lookup: loopbackLookup,
    timeout: options.timeoutMs,
  };
  const request = options.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(options.url, requestOptions, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => reject(unavailable('the connection broke')));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = undefined;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve({ status, headers: res.headers, body });
        else {
          const retryAfter = res.headers['retry-after'];
          reject(errorFor(status, body, typeof retryAfter === 'string' ? retryAfter : undefined));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    // The cause names host and port at most, never a header: no credential can leak through it.
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(unavailable(error.code ?? error.message ?? 'unreachable')),
    );
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function unavailable(cause: string): KeygateUnavailableError {
  return new KeygateUnavailableError(503, { message: `Keygate is unreachable (${cause}).` });
}
