/** HTTP plumbing of the local cloud: one exchange, bodies in and out, SCIM errors, dropped replies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ScimHttpError, badRequest } from './errors';

export const SCIM_JSON = 'application/scim+json; charset=utf-8';

/** One request being handled. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** The URL path, percent-decoding left to the routes. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly trackingId: string;
  /** ms since the epoch (the cloud's clock) when the request arrived. */
  readonly started: number;
  /** performance.now() at arrival, for durations. */
  readonly perf: number;
  /** Set when the reply is sent (0 = connection dropped). */
  status?: number;
  /** Fault rules that fired. */
  fault?: string;
  /** Fault: handle the request, then close the connection instead of answering. */
  dropAfter?: boolean;
}

/** Reads the request body, refusing more than `limit` bytes with 413. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new ScimHttpError(413, 'tooLarge', `the body has ${declared} bytes; at most ${limit} are accepted`, { connection: 'close' }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new ScimHttpError(413, 'tooLarge', `the body exceeds ${limit} bytes`, { connection: 'close' }));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Reads a JSON body (SCIM or plain JSON media type; 400 invalidSyntax when it does not parse). */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit);
  if (body.length === 0) throw badRequest('invalidSyntax', 'the request needs a JSON body');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw badRequest('invalidSyntax', `the body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Sends a reply — or, under a `drop after` fault, closes the connection without one. */
export function finish(ex: Exchange, status: number, headers: Record<string, string | number>, body?: string | Buffer): void {
  if (ex.dropAfter) {
    ex.status = 0;
    ex.req.socket.destroy();
    return;
  }
  ex.status = status;
  const h: Record<string, string | number> = { trackingid: ex.trackingId, ...headers };
  if (body !== undefined) h['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  else if (status !== 204 && status !== 304) h['content-length'] = 0;
  ex.res.writeHead(status, h);
  ex.res.end(ex.method === 'HEAD' ? undefined : body);
}

export function sendJson(ex: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
  finish(ex, status, { 'content-type': SCIM_JSON, ...headers }, JSON.stringify(body));
}

export function sendError(ex: Exchange, err: ScimHttpError): void {
  // An error is never "dropped after": nothing was committed.
  ex.dropAfter = false;
  sendJson(ex, err.status, err.body(), { ...err.headers });
}

/** Splits `/path?query` cheaply (no URL object per request). */
export function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: new URLSearchParams() } : { path: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) };
}
