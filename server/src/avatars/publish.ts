/**
 * Publishing pictures where Webex can read them. Webex's SCIM `photos` attribute takes a URL, not
 * bytes, so a thumbnailPhoto's bytes need a home on the web first (README § Avatars, "Publishing
 * for Webex"):
 *
 *   object URL  = <avatar.publish.url>/<sha256>.<ext>        PUT here, with publish.credentials
 *   photos URL  = <avatar.publish.publicUrl or url>/<sha256>.<ext>   what Webex reads
 *
 * Objects are content-addressed: the same picture always has the same name, a URL never changes
 * meaning, so an object is never overwritten and an unchanged picture is never uploaded twice. Each
 * object is checked with HEAD first (200 with the same length → already there); a PUT carries
 * `If-None-Match: *` (RFC 9110 §13.1.2), and a 412 answer means someone else stored it first. Within
 * one run the same picture is published once, however many users share it.
 */
import type { Dispatcher } from 'undici';
import { Limiter } from '../cloud/limiter';
import { systemClock } from '../cloud/clock';
import type { CloudLogger } from '../cloud/logger';
import type { AvatarCredentials } from '../../../common/config';
import { authorizationHeader, AvatarConfigError, type SecretResolver } from './credentials';
import { createAvatarDispatcher, displayUrl, exchange, type HttpOptions } from './http';
import type { SlotLimiter } from './resourceServer';
import type { AvatarError } from './sources';

export interface PublisherOptions {
  /** `avatar.publish.url`: base URL objects are PUT to. */
  readonly url: string;
  /** `avatar.publish.publicUrl`: base URL Webex reads from. Default `url`. */
  readonly publicUrl?: string;
  readonly credentials?: AvatarCredentials;
  readonly secrets?: SecretResolver;
  /** Per-request deadline, ms. */
  readonly timeoutMs: number;
  readonly concurrency?: number;
  /** Shared with the resource-server source, so `avatar.concurrency` bounds all avatar traffic. */
  readonly limiter?: SlotLimiter;
  readonly dispatcher?: Dispatcher;
  readonly userAgent?: string;
  readonly logger?: CloudLogger;
}

/** The bytes to publish and their identity (a CheckedImage fits). */
export interface PublishableImage {
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly extension: string;
  readonly contentType: string;
}

export type PublishResult =
  | { readonly ok: true; readonly url: string; readonly uploaded: boolean }
  | { readonly ok: false; readonly error: AvatarError };

export interface Publisher {
  /** The object's public URL once it is stored; `uploaded` false when it already was. */
  publish(image: PublishableImage, signal?: AbortSignal): Promise<PublishResult>;
  /** The URL Webex would read for an image, without publishing (for dry-run reports). */
  publicUrlOf(image: Pick<PublishableImage, 'sha256' | 'extension'>): string;
  close(): Promise<void>;
}

function baseOf(url: string, key: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AvatarConfigError(`avatar.publish.${key}: ${JSON.stringify(url)} is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new AvatarConfigError(`avatar.publish.${key}: expected an http(s) URL`);
  if (u.search || u.hash)
    throw new AvatarConfigError(
      `avatar.publish.${key}: the base URL cannot have a query or fragment (object names are appended to its path)`,
    );
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u;
}

/** Object name of an image: its hash and its format's extension. */
export function objectName(image: Pick<PublishableImage, 'sha256' | 'extension'>): string {
  if (!/^[0-9a-f]{64}$/.test(image.sha256)) throw new Error(`not a SHA-256: ${image.sha256}`);
  return `${image.sha256}.${image.extension}`;
}

/** Creates a publisher; rejects with AvatarConfigError for a bad URL or an unset secret. */
export async function createPublisher(options: PublisherOptions): Promise<Publisher> {
  const putBase = baseOf(options.url, 'url');
  const publicBase = options.publicUrl ? baseOf(options.publicUrl, 'publicUrl') : putBase;
  if (options.credentials && !options.secrets) throw new AvatarConfigError('avatar.publish.credentials: no secret resolver was given');
  const authorization = options.secrets ? await authorizationHeader(options.credentials, options.secrets, 'avatar.publish') : undefined;
  const ownsDispatcher = !options.dispatcher;
  const dispatcher = options.dispatcher ?? createAvatarDispatcher();
  const limiter = options.limiter ?? new Limiter(options.concurrency ?? 4, systemClock);
  const http: HttpOptions = { dispatcher, timeoutMs: options.timeoutMs, userAgent: options.userAgent ?? 'dirsync' };
  const auth: Record<string, string> = authorization ? { authorization } : {};
  /** Publications of this run by object name; a failed one is forgotten so the next user retries. */
  const inRun = new Map<string, Promise<PublishResult>>();

  const publicUrlOf = (image: Pick<PublishableImage, 'sha256' | 'extension'>) => new URL(objectName(image), publicBase).toString();

  async function withSlot<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    await limiter.acquire(signal);
    try {
      return await fn();
    } finally {
      limiter.release();
    }
  }

  async function publishOnce(image: PublishableImage, signal?: AbortSignal): Promise<PublishResult> {
    const target = new URL(objectName(image), putBase);
    const shown = displayUrl(target);
    const fail = (error: AvatarError): PublishResult => ({
      ok: false,
      error: { ...error, message: `publishing to ${shown}: ${error.message}` },
    });
    const head = await withSlot(signal, () => exchange(http, { method: 'HEAD', url: target, headers: auth }, {}, signal));
    if (head.kind === 'error') return fail(head.error);
    const length = Number(head.headers['content-length']);
    if ((head.status === 200 || head.status === 204) && (!Number.isFinite(length) || length === image.bytes.length)) {
      log('avatar.publish', { url: shown, uploaded: false });
      return { ok: true, url: publicUrlOf(image), uploaded: false };
    }
    const denied = authFailure(head.status);
    if (denied) return fail(denied);
    // 404/410: not there yet. 405/501: HEAD not offered. 200 with another length: a broken object.
    if (![200, 204, 404, 410, 405, 501].includes(head.status))
      return fail({ code: 'httpStatus', status: head.status, message: `HEAD answered ${head.status}` });
    const put = await withSlot(signal, () =>
      exchange(
        http,
        {
          method: 'PUT',
          url: target,
          headers: {
            ...auth,
            'content-type': image.contentType,
            ...(head.status === 200 || head.status === 204 ? {} : { 'if-none-match': '*' }),
          },
          body: image.bytes,
        },
        {},
        signal,
      ),
    );
    if (put.kind === 'error') return fail(put.error);
    if (put.status === 412) {
      log('avatar.publish', { url: shown, uploaded: false });
      return { ok: true, url: publicUrlOf(image), uploaded: false };
    }
    const putDenied = authFailure(put.status);
    if (putDenied) return fail(putDenied);
    if (put.status < 200 || put.status >= 300)
      return fail({ code: 'httpStatus', status: put.status, message: `PUT answered ${put.status}` });
    log('avatar.publish', { url: shown, uploaded: true, bytes: image.bytes.length });
    return { ok: true, url: publicUrlOf(image), uploaded: true };
  }

  function log(event: string, fields: Record<string, unknown>): void {
    options.logger?.log({ level: 'info', event, ...fields });
  }

  return {
    publicUrlOf,
    publish(image, signal) {
      const key = objectName(image);
      let p = inRun.get(key);
      if (!p) {
        p = publishOnce(image, signal).then((r) => {
          if (!r.ok) inRun.delete(key);
          return r;
        });
        p.catch(() => inRun.delete(key));
        inRun.set(key, p);
      }
      return p;
    },
    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

function authFailure(status: number): AvatarError | undefined {
  if (status === 401)
    return { code: 'unauthorized', status, message: '401 Unauthorized: avatar.publish.credentials are missing or rejected' };
  if (status === 403) return { code: 'forbidden', status, message: '403 Forbidden: avatar.publish.credentials may not write here' };
  return undefined;
}
