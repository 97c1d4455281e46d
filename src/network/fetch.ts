// navis's own small GET requests on a tenant's behalf (a bring-your-own cdp_url's /json/version,
// a discovery's robots.txt): every address, redirects included, is judged by `check` (the tenant's
// policy) and the connection pinned to the address it judged; the body is read up to a size and
// the whole request has a deadline. Whatever answers is untrusted.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

export interface GuardedGetOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Past maxBytes: 'refuse' answers text undefined (default), 'truncate' keeps the first maxBytes. */
  overflow?: 'refuse' | 'truncate';
  maxRedirects?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface GuardedResponse {
  status: number;
  /** The URL that answered (after redirects). */
  url: string;
  /** The body (its first maxBytes with overflow 'truncate'), or undefined when it passed maxBytes. */
  text: string | undefined;
}

/** Judges an address and gives the lookup that pins the connection to it; throws the refusal. */
export type AddressCheck = (url: string) => Promise<LookupFunction>;

export async function guardedGet(url: string, check: AddressCheck, opts: GuardedGetOptions): Promise<GuardedResponse> {
  const deadline = Date.now() + opts.timeoutMs;
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const lookup = await check(current);
    const response = await getOnce(current, lookup, opts, Math.max(1, deadline - Date.now()));
    if (response.location === undefined) return response;
    if (redirects >= (opts.maxRedirects ?? 5))
      throw new Error(`${url} redirected more than ${opts.maxRedirects ?? 5} times`);
    current = new URL(response.location, current).href;
    if (!/^https?:$/.test(new URL(current).protocol)) throw new Error(`${url} redirected to a URL that is not http(s)`);
  }
}

function getOnce(
  url: string,
  lookup: LookupFunction,
  opts: GuardedGetOptions,
  timeoutMs: number,
): Promise<GuardedResponse & { location?: string }> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.get(url, { lookup, headers: opts.headers, timeout: timeoutMs }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && typeof response.headers.location === 'string') {
        response.resume();
        return resolve({ status, url, text: '', location: response.headers.location });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > opts.maxBytes) {
          chunks.push(chunk);
          request.destroy();
          resolve({
            status,
            url,
            text:
              opts.overflow === 'truncate'
                ? Buffer.concat(chunks).subarray(0, opts.maxBytes).toString('utf8')
                : undefined,
          });
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ status, url, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    const timer = setTimeout(
      () => request.destroy(new Error(`${url} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onAbort = () =>
      request.destroy(opts.signal?.reason instanceof Error ? opts.signal.reason : new Error('aborted'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    request.on('timeout', () => request.destroy(new Error(`${url} did not answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.on('close', () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    });
  });
}
