/**
 * The HTTP underneath the resource-server source and the publish target, on an injected undici
 * Dispatcher (EnvHttpProxyAgent by default, so HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply):
 *
 * - one deadline per request covering connect, headers and the whole body (undici's own timers
 *   tick about once a second; ours is exact and tells a timeout from a cancellation);
 * - redirects followed by hand for GET only: at most `maxRedirects`, never from https to http, and
 *   the Authorization header dropped when the redirect leaves the original origin (as fetch does);
 * - bodies read with a byte budget: past `maxBytes` the connection is torn down, so an oversized
 *   or endless answer costs at most maxBytes + one chunk.
 */
import type { Dispatcher } from 'undici';
import { EnvHttpProxyAgent } from '../cloud/dispatchers';
import type { AvatarError } from './sources';

/** A dispatcher honouring HTTPS_PROXY, HTTP_PROXY and NO_PROXY (upper or lower case) of `env`. */
export function createAvatarDispatcher(env: Readonly<Record<string, string | undefined>> = process.env): Dispatcher {
  const pick = (name: string) => env[name.toLowerCase()] ?? env[name];
  const httpProxy = pick('HTTP_PROXY') ?? '';
  // Explicit empty strings: undici would otherwise fall back to process.env for what `env` lacks.
  return new EnvHttpProxyAgent({ httpProxy, httpsProxy: pick('HTTPS_PROXY') ?? httpProxy, noProxy: pick('NO_PROXY') ?? '' });
}

/** A URL for messages and reports: user and password removed. */
export function displayUrl(url: string | URL): string {
  try {
    const u = new URL(String(url));
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return String(url).replace(/\/\/[^/@]*@/, '//');
  }
}

export interface HttpOptions {
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  readonly userAgent?: string;
}

export interface ExchangeRequest {
  readonly method: 'GET' | 'HEAD' | 'PUT';
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
}

export type ExchangeOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: Dispatcher.ResponseData['headers'];
      readonly body?: Uint8Array;
      readonly url: URL;
    }
  | { readonly kind: 'error'; readonly error: AvatarError; readonly url: URL };

export interface ReadOptions {
  /** Follow GET redirects up to this many. Default 0. */
  readonly maxRedirects?: number;
  /** Read 2xx bodies up to this many bytes (more fails with `tooLarge`); other bodies are discarded. */
  readonly maxBytes?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * One request (plus GET redirects) under a deadline. Resolves with the final response, or an
 * error outcome; rejects only with `signal`'s reason when the caller cancels.
 */
export async function exchange(
  http: HttpOptions,
  req: ExchangeRequest,
  read: ReadOptions = {},
  signal?: AbortSignal,
): Promise<ExchangeOutcome> {
  signal?.throwIfAborted();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error('timeout')), http.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
  const origin = req.url.origin;
  let url = req.url;
  let redirects = 0;
  try {
    for (;;) {
      const headers: Record<string, string> = { 'user-agent': http.userAgent ?? 'dirsync', ...req.headers };
      if (url.origin !== origin) delete headers['authorization'];
      const res = await http.dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: req.method,
        headers,
        ...(req.body ? { body: req.body } : {}),
        signal: combined,
      });
      const status = res.statusCode;
      if (req.method === 'GET' && REDIRECTS.has(status) && typeof res.headers['location'] === 'string') {
        await res.body.dump();
        const next = new URL(res.headers['location'], url);
        if (++redirects > (read.maxRedirects ?? 0)) {
          return {
            kind: 'error',
            url,
            error: { code: 'redirect', status, message: `more than ${read.maxRedirects ?? 0} redirects (the last to ${displayUrl(next)})` },
          };
        }
        if (url.protocol === 'https:' && next.protocol !== 'https:') {
          return {
            kind: 'error',
            url,
            error: {
              code: 'redirect',
              status,
              message: `refused a redirect from https to ${next.protocol.replace(':', '')} (${displayUrl(next)})`,
            },
          };
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          return { kind: 'error', url, error: { code: 'redirect', status, message: `refused a redirect to ${displayUrl(next)}` } };
        }
        url = next;
        continue;
      }
      if (status < 200 || status >= 300 || read.maxBytes === undefined || req.method === 'HEAD') {
        await res.body.dump().catch(() => undefined);
        return { kind: 'response', status, headers: res.headers, url };
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > read.maxBytes) {
        res.body.destroy();
        return {
          kind: 'error',
          url,
          error: {
            code: 'tooLarge',
            status,
            message: `the server announced ${declared} bytes; at most ${read.maxBytes} are accepted (avatar.maxBytes)`,
          },
        };
      }
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > read.maxBytes) {
          res.body.destroy();
          return {
            kind: 'error',
            url,
            error: {
              code: 'tooLarge',
              status,
              message: `the image is larger than ${read.maxBytes} bytes (avatar.maxBytes); stopped reading`,
            },
          };
        }
        chunks.push(chunk);
      }
      return { kind: 'response', status, headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total), url };
    }
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (deadline.signal.aborted) {
      return { kind: 'error', url, error: { code: 'timeout', message: `no complete answer within ${formatMs(http.timeoutMs)}` } };
    }
    return { kind: 'error', url, error: { code: 'network', message: networkMessage(err, url) } };
  } finally {
    clearTimeout(timer);
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function networkMessage(err: unknown, url: URL): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code ?? e?.code;
  const text = e?.cause?.message ?? e?.message ?? String(err);
  return `${url.host}: ${text}${code && !text.includes(code) ? ` (${code})` : ''}`;
}
