/**
 * The seed's "Test" button of the resource-server avatar settings, inline: the avatar of the
 * preview entry resolved and fetched exactly as a sync fetches it (avatars/resourceServer.ts over
 * undici: the configured credentials, redirects, time limit, byte budget, image sniffing), and
 * summed up in one line: `200 · image/jpeg · 12,345 bytes (12 KB) · 96×96`. For photos from an AD
 * attribute the bytes are checked the same way.
 */
import type { Dispatcher } from 'undici';
import { formatBytes } from '../avatars/checks';
import { AvatarConfigError, type SecretResolver } from '../avatars/credentials';
import { sniffImage } from '../avatars/image';
import { createResourceServerSource } from '../avatars/resourceServer';
import { fromAttribute, type AvatarFetchResult } from '../avatars/sources';
import type { DirsyncConfig } from '../../../common/config';
import type { DirectoryEntry } from '../domain/entry';
import type { ImageInspector } from '../language/live/index';
import type { AvatarCheckResult } from '../../../common/requests';

/** Image headers for the language service's previews (format and dimensions from the bytes). */
export const inspectImage: ImageInspector = (bytes) => {
  const r = sniffImage(bytes);
  return r.ok ? { ok: true, format: r.format, width: r.width, height: r.height } : { ok: false, problem: r.message };
};

export interface AvatarCheckOptions {
  readonly secrets: SecretResolver;
  /** Default: the avatar module's proxy-aware agent. */
  readonly dispatcher?: Dispatcher;
  readonly signal?: AbortSignal;
}

function summarize(result: AvatarFetchResult, status: number | undefined, dn: string): AvatarCheckResult {
  const st = status !== undefined ? `${status} · ` : '';
  if (result.kind === 'image') {
    return {
      dn,
      ok: true,
      ...(result.url ? { url: result.url } : {}),
      ...(status !== undefined ? { status } : {}),
      contentType: result.contentType,
      bytes: result.bytes.length,
      width: result.width,
      height: result.height,
      format: result.format,
      summary: `${st}${result.contentType} · ${formatBytes(result.bytes.length)} · ${result.width}×${result.height}${result.warnings.length ? ` · ${result.warnings.join('; ')}` : ''}`,
    };
  }
  if (result.kind === 'empty') {
    return {
      dn,
      ok: false,
      ...(result.url ? { url: result.url } : {}),
      ...(status !== undefined ? { status } : {}),
      summary: `${st}${result.reason}: ${result.detail}`,
    };
  }
  const s = result.error.status ?? status;
  const prefix = s !== undefined && !result.error.message.startsWith(String(s)) ? `${s} · ` : '';
  return {
    dn,
    ok: false,
    ...(result.url ? { url: result.url } : {}),
    ...(s !== undefined ? { status: s } : {}),
    summary: `${prefix}${result.error.message}`,
  };
}

/** Resolves and fetches (or reads) the avatar of `entry` per the config's `avatar` section. */
export async function checkAvatar(config: DirsyncConfig, entry: DirectoryEntry, opts: AvatarCheckOptions): Promise<AvatarCheckResult> {
  const a = config.avatar;
  if (!a.enabled) return { dn: entry.dn, ok: false, summary: 'avatars are off (`avatar.enabled` is not true)' };
  if (a.source === 'attribute') {
    return summarize(fromAttribute(entry, a.attribute?.value ?? 'thumbnailPhoto', a.maxBytes), undefined, entry.dn);
  }
  if (!a.uriPattern) return { dn: entry.dn, ok: false, summary: 'no `avatar.uriPattern`' };
  let status: number | undefined;
  try {
    const source = await createResourceServerSource({
      pattern: a.uriPattern.value,
      ...(a.credentials ? { credentials: a.credentials } : {}),
      secrets: opts.secrets,
      maxBytes: a.maxBytes,
      timeoutMs: a.timeoutSeconds * 1000,
      concurrency: 1,
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
      userAgent: 'dirsync-preview',
      logger: {
        log(e) {
          if (e.event === 'avatar.fetch' && typeof e['status'] === 'number') status = e['status'];
        },
      },
    });
    try {
      return summarize(await source.fetch(entry, opts.signal), status, entry.dn);
    } finally {
      await source.close();
    }
  } catch (err) {
    if (err instanceof AvatarConfigError) return { dn: entry.dn, ok: false, summary: err.message };
    throw err;
  }
}
