/**
 * Pictures from a resource server (seed 001, "Synchronize Directory Avatars From a Resource
 * Server"): the avatar URI pattern resolved on each entry, fetched over HTTP(S) with undici.
 *
 * Outcomes per user: 2xx with a valid image → image; 404 or 410 → empty ("No image data": the
 * picture is gone); an entry without the pattern's attribute → empty ("No avatar URI"); anything
 * else — 401/403 (credentials missing or rejected), other statuses, timeouts, network errors,
 * redirects refused, bodies over maxBytes, content that is not an image, a regex that does not
 * match — → failed. At most `concurrency` fetches run at once, through a limiter that may be shared
 * with the publish target so `avatar.concurrency` bounds all avatar traffic.
 */
import type { Dispatcher } from 'undici';
import { Limiter } from '../cloud/limiter';
import { systemClock } from '../cloud/clock';
import type { CloudLogger } from '../cloud/logger';
import { parseAvatarUriPattern, resolveAvatarUri, type AvatarUriPattern } from '../language/avatarUri/index';
import type { AvatarCredentials } from '../../../common/config';
import type { DirectoryEntry } from '../domain/entry';
import { checkImage } from './checks';
import { authorizationHeader, AvatarConfigError, type SecretResolver } from './credentials';
import { createAvatarDispatcher, displayUrl, exchange } from './http';
import type { AvatarFetchResult, AvatarSource } from './sources';

/** Redirects a fetch follows before failing. */
export const DEFAULT_MAX_REDIRECTS = 3;

/** What bounds concurrent avatar requests: cloud/limiter's Limiter or anything shaped like it. */
export interface SlotLimiter {
  acquire(signal?: AbortSignal): Promise<void>;
  release(): void;
}

export interface ResourceServerSourceOptions {
  /** `avatar.uriPattern`, as text (JSON escapes removed) or parsed. */
  readonly pattern: string | AvatarUriPattern;
  /** `avatar.credentials`. */
  readonly credentials?: AvatarCredentials;
  /** Resolves the credentials' secret references. Required when `credentials` is set. */
  readonly secrets?: SecretResolver;
  /** `avatar.maxBytes`. */
  readonly maxBytes: number;
  /** Per-image deadline (connect, headers and body), ms: `avatar.timeoutSeconds` × 1000. */
  readonly timeoutMs: number;
  /** Fetches at once (`avatar.concurrency`) when no `limiter` is given. Default 4. */
  readonly concurrency?: number;
  /** A limiter shared with the publish target. */
  readonly limiter?: SlotLimiter;
  /** Default: an EnvHttpProxyAgent owned (and closed) by the source. */
  readonly dispatcher?: Dispatcher;
  readonly maxRedirects?: number;
  readonly userAgent?: string;
  /** Gets one `avatar.fetch` event per request (URL without credentials, status, outcome, ms). */
  readonly logger?: CloudLogger;
}

/** Counters for tests and progress: fetches waiting for a slot, and running. */
export interface SourceStats {
  readonly queued: number;
  readonly active: number;
}

export interface ResourceServerSource extends AvatarSource {
  readonly kind: 'resourceServer';
  stats(): SourceStats;
}

/**
 * Creates the source. Rejects with AvatarConfigError when the pattern does not parse or a
 * credential's secret is not set: those are the config's faults, not any one user's.
 */
export async function createResourceServerSource(options: ResourceServerSourceOptions): Promise<ResourceServerSource> {
  const pattern = typeof options.pattern === 'string' ? parsePattern(options.pattern) : options.pattern;
  if (options.credentials && !options.secrets) throw new AvatarConfigError('avatar.credentials: no secret resolver was given');
  const authorization = options.secrets ? await authorizationHeader(options.credentials, options.secrets, 'avatar') : undefined;
  const ownsDispatcher = !options.dispatcher;
  const dispatcher = options.dispatcher ?? createAvatarDispatcher();
  const limiter = options.limiter ?? new Limiter(options.concurrency ?? 4, systemClock);
  const http = { dispatcher, timeoutMs: options.timeoutMs, userAgent: options.userAgent ?? 'dirsync' };
  const attributes = [...new Set(pattern.parts.flatMap((p) => (p.type === 'placeholder' ? [p.attribute.toLowerCase()] : [])))];
  const headers: Record<string, string> = {
    accept: 'image/jpeg, image/png, image/gif, image/bmp, image/*;q=0.8, */*;q=0.1',
    ...(authorization ? { authorization } : {}),
  };
  let queued = 0;
  let active = 0;

  async function fetchOne(entry: DirectoryEntry, signal?: AbortSignal): Promise<AvatarFetchResult> {
    const resolved = resolveAvatarUri(pattern, entry);
    if (!resolved.ok) {
      if (resolved.reason === 'missingAttribute') {
        return {
          kind: 'empty',
          reason: 'No avatar URI',
          detail: `${resolved.attribute} is not set, so the avatar URI pattern cannot be resolved`,
        };
      }
      return {
        kind: 'failed',
        error: {
          code: 'uri',
          message: `the regex for ${resolved.attribute} does not match its value, so the avatar URI pattern cannot be resolved`,
        },
      };
    }
    let url: URL;
    try {
      url = new URL(resolved.url);
    } catch {
      return {
        kind: 'failed',
        error: { code: 'uri', message: `the avatar URI ${JSON.stringify(displayUrl(resolved.url))} is not a valid URL` },
      };
    }
    const shown = displayUrl(url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { kind: 'failed', url: shown, error: { code: 'uri', message: `the avatar URI must be http or https, not ${url.protocol}` } };
    }
    queued++;
    try {
      await limiter.acquire(signal);
    } finally {
      queued--;
    }
    active++;
    const started = performance.now();
    try {
      const out = await exchange(
        http,
        { method: 'GET', url, headers },
        { maxBytes: options.maxBytes, maxRedirects: options.maxRedirects ?? DEFAULT_MAX_REDIRECTS },
        signal,
      );
      const result = interpret(out, shown, options.maxBytes);
      options.logger?.log({
        level: result.kind === 'failed' ? 'warn' : 'debug',
        event: 'avatar.fetch',
        url: shown,
        ...(out.kind === 'response' ? { status: out.status } : {}),
        outcome: result.kind,
        ...(result.kind === 'failed' ? { code: result.error.code } : {}),
        ms: Math.round(performance.now() - started),
      });
      return result;
    } finally {
      active--;
      limiter.release();
    }
  }

  return {
    kind: 'resourceServer',
    attributes,
    fetch: fetchOne,
    stats: () => ({ queued, active }),
    async close() {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

function parsePattern(text: string): AvatarUriPattern {
  const parsed = parseAvatarUriPattern(text);
  if (!parsed.ok) {
    const first = parsed.problems[0];
    throw new AvatarConfigError(`avatar.uriPattern: ${first ? first.message : 'does not parse'}`);
  }
  return parsed.value;
}

function interpret(out: Awaited<ReturnType<typeof exchange>>, url: string, maxBytes: number): AvatarFetchResult {
  if (out.kind === 'error') return { kind: 'failed', url, error: out.error };
  const { status } = out;
  if (status === 404 || status === 410) {
    return {
      kind: 'empty',
      reason: 'No image data',
      detail: `the resource server answered ${status} ${status === 404 ? 'Not Found' : 'Gone'}`,
      url,
    };
  }
  if (status === 401)
    return {
      kind: 'failed',
      url,
      error: {
        code: 'unauthorized',
        status,
        message: '401 Unauthorized: the resource server wants credentials (avatar.credentials) or rejected them',
      },
    };
  if (status === 403)
    return {
      kind: 'failed',
      url,
      error: { code: 'forbidden', status, message: '403 Forbidden: the avatar credentials may not read this picture' },
    };
  if (status < 200 || status >= 300)
    return { kind: 'failed', url, error: { code: 'httpStatus', status, message: `the resource server answered ${status}` } };
  const bytes = out.body ?? new Uint8Array(0);
  if (bytes.length === 0)
    return { kind: 'failed', url, error: { code: 'empty', status, message: `the resource server answered ${status} with no content` } };
  const ct = out.headers['content-type'];
  const declared = Array.isArray(ct) ? ct[0] : ct;
  const checked = checkImage(bytes, { maxBytes }, declared ? { declaredContentType: declared } : {});
  if (!checked.ok) return { kind: 'failed', url, error: { code: checked.code, status, message: checked.message } };
  const { ok: _ok, ...image } = checked;
  return { kind: 'image', ...image, url };
}
