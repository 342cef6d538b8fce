/**
 * Applies one avatar operation of a plan (`uploadAvatar` / `removeAvatar`); the apply helper
 * dispatches avatar operations here with the cloud id it resolved.
 *
 * - Upload: re-reads the source (the plan kept no bytes), refuses a picture whose SHA-256 differs
 *   from the plan's — the admin reviewed that one — then sends it through the config's target
 *   (local cloud: the bytes to `/Users/{id}/avatar`; Webex: publish, then `photos` = the URL) and
 *   records the hash in the avatar state.
 * - Remove: re-reads the source and refuses when it has a picture again; otherwise clears the
 *   cloud picture, drops the state record and logs the seed's two events (seed 000, "Event
 *   Viewer": "detected deleteAvatar flag … Reason:No Image Data" and "No image data for AD
 *   entry"), with the user's GUID, SID and DN.
 *
 * Never throws for the user's own failure (it is returned, and the state keeps the previous
 * record, so the next run retries); rejects only on cancellation.
 */
import { avatarRemovalEvents, type AvatarLogEvent } from '../../avatars/events';
import type { AvatarError, AvatarSource, EmptyReason } from '../../avatars/sources';
import { avatarStateKey } from '../../avatars/changes';
import { AvatarTargetError, type AvatarTarget } from '../../avatars/targets';
import type { DirectoryEntry } from '../../domain/entry';
import type { EngineEvent } from '../contract';
import type { AvatarStateUpdater } from './stateFile';
import type { AvatarOperation } from './plan';

export interface AvatarApplyContext {
  /** The config's target (avatars/fromConfig.ts `createAvatarPipeline(...).target`). */
  readonly target: AvatarTarget;
  /** The source, re-read here (`createAvatarPipeline(...).source`). */
  readonly source: AvatarSource;
  /** The user's cloud id, resolved by the apply (ObjectRef → id; created earlier in the same apply). */
  readonly cloudId: string;
  /** The user's directory entry as read now (re-read by DN by the caller, with `source.attributes`, objectGUID and objectSid). */
  readonly entry: DirectoryEntry;
  /** The avatar state, updated on success. */
  readonly state: AvatarStateUpdater;
  readonly sessionId: string;
  /** The event sink (EngineOptions.onEvent). */
  readonly onEvent?: (event: EngineEvent) => void;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

export type AvatarOperationResult =
  | { readonly ok: true; readonly done: 'uploaded' | 'removed'; readonly url?: string; readonly uploadedBytes?: boolean }
  /** `refused`: the source changed since the plan (the plan is stale, nothing was written); otherwise a failure. */
  | { readonly ok: false; readonly error: AvatarError; readonly refused?: boolean };

/** An avatar log event as an engine event (the same fields, plus `time`). */
export function toEngineEvent(event: AvatarLogEvent, time: Date): EngineEvent {
  return { time: time.toISOString(), ...event };
}

function refuse(code: AvatarError['code'], message: string): AvatarOperationResult {
  return { ok: false, error: { code, message }, refused: true };
}

function errorOf(err: unknown): AvatarError {
  if (err instanceof AvatarTargetError) return err.error;
  const status = (err as { status?: unknown }).status;
  return { code: 'cloud', message: err instanceof Error ? err.message : String(err), ...(typeof status === 'number' ? { status } : {}) };
}

const EMPTY_REASONS: readonly string[] = ['No image data', 'No avatar URI'] satisfies EmptyReason[];

/** Applies one avatar operation. See the module comment. */
export async function applyAvatarOperation(op: AvatarOperation, ctx: AvatarApplyContext): Promise<AvatarOperationResult> {
  const now = ctx.now ?? (() => new Date());
  const emit = (level: EngineEvent['level'], event: string, message: string, extra: Record<string, unknown> = {}): void =>
    ctx.onEvent?.({
      time: now().toISOString(),
      sessionId: ctx.sessionId,
      level,
      event,
      message,
      dn: ctx.entry.dn,
      ...(op.target.userName ? { userName: op.target.userName } : {}),
      ...extra,
    });
  const key = avatarStateKey(ctx.entry);
  const fetched = await ctx.source.fetch(ctx.entry, ctx.signal);
  try {
    if (op.kind === 'uploadAvatar') {
      if (fetched.kind !== 'image') {
        const why =
          fetched.kind === 'empty'
            ? `the source is empty now (${fetched.detail})`
            : `the source cannot be read now (${fetched.error.message})`;
        emit('warning', 'avatar.uploadRefused', `Avatar of ${ctx.entry.dn} not uploaded: ${why}; make a new plan`);
        if (fetched.kind === 'failed') return { ok: false, error: { code: fetched.error.code, message: why } };
        return refuse('uri', `${why}; make a new plan`);
      }
      if (fetched.sha256 !== op.sha256) {
        const message = `the picture changed since the plan was made (planned SHA-256 ${op.sha256.slice(0, 12)}…, now ${fetched.sha256.slice(0, 12)}…); make a new plan`;
        emit('warning', 'avatar.uploadRefused', `Avatar of ${ctx.entry.dn} not uploaded: ${message}`);
        return refuse('cloud', message);
      }
      const up = await ctx.target.upload(ctx.cloudId, fetched, fetched.url, ctx.signal);
      ctx.state.set(key, { sha256: fetched.sha256, ...(up.url !== undefined ? { url: up.url } : {}), uploadedAt: now().toISOString() });
      emit(
        'info',
        'avatar.upload',
        `Avatar Plugin: uploaded avatar for AD entry '${ctx.entry.dn}' (${fetched.format.toUpperCase()} ${fetched.width}×${fetched.height}, SHA-256 ${fetched.sha256})`,
        {
          sha256: fetched.sha256,
          cloudId: ctx.cloudId,
          ...(up.url !== undefined ? { url: up.url } : {}),
        },
      );
      return { ok: true, done: 'uploaded', ...(up.url !== undefined ? { url: up.url } : {}), uploadedBytes: up.uploadedBytes };
    }
    if (fetched.kind === 'image') {
      const message = `the source has a picture again (SHA-256 ${fetched.sha256.slice(0, 12)}…); not removed — make a new plan`;
      emit('warning', 'avatar.removeRefused', `Avatar of ${ctx.entry.dn}: ${message}`);
      return refuse('cloud', message);
    }
    if (fetched.kind === 'failed') {
      const message = `the source cannot be read now (${fetched.error.message}); not removed`;
      emit('warning', 'avatar.removeRefused', `Avatar of ${ctx.entry.dn}: ${message}`);
      return { ok: false, error: { code: fetched.error.code, message } };
    }
    await ctx.target.remove(ctx.cloudId, ctx.signal);
    ctx.state.set(key, undefined);
    const reason = (EMPTY_REASONS.includes(op.reason) ? op.reason : fetched.reason) as EmptyReason;
    for (const e of avatarRemovalEvents(ctx.entry, reason, ctx.sessionId))
      ctx.onEvent?.({ ...toEngineEvent(e, now()), cloudId: ctx.cloudId, ...(op.target.userName ? { userName: op.target.userName } : {}) });
    return { ok: true, done: 'removed' };
  } catch (err) {
    if (ctx.signal?.aborted) throw ctx.signal.reason;
    const error = errorOf(err);
    emit(
      'error',
      op.kind === 'uploadAvatar' ? 'avatar.uploadFailed' : 'avatar.removeFailed',
      `Avatar of ${ctx.entry.dn}: ${error.message}`,
    );
    return { ok: false, error };
  }
}
