/**
 * One user's avatar work in two steps, the entry points for the sync engine and `dirsync
 * purge-avatars`: `planAvatar` (fetch + decide; read-only, what a dry run shows) and `applyAvatar`
 * (write the decision to the cloud and compute the new state record). Applying never throws for a
 * user's failure — it returns it — so one bad picture cannot stop a sync; cancellation does throw.
 */
import type { AvatarDecision, AvatarStateRecord, CloudPicture, DecideOptions } from './changes';
import { decideAvatar, nextRecord } from './changes';
import type { AvatarError, AvatarSource } from './sources';
import { AvatarTargetError, type AvatarTarget } from './targets';
import type { DirectoryEntry } from '../domain/entry';

export interface AvatarPlanInput {
  readonly entry: DirectoryEntry;
  /** The user's record from the previous sync state (state.ts avatarStateKey). */
  readonly previous?: AvatarStateRecord;
  /** What the cloud shows now, when known (targets.ts photoUrlOf on the cloud user). */
  readonly cloudPicture?: CloudPicture;
}

/** Fetches the user's picture and decides what to do. Rejects only on cancellation. */
export async function planAvatar(
  source: AvatarSource,
  input: AvatarPlanInput,
  options: DecideOptions,
  signal?: AbortSignal,
): Promise<AvatarDecision> {
  const result = await source.fetch(input.entry, signal);
  return decideAvatar(result, input.previous, input.cloudPicture, options);
}

export interface AvatarApplyResult {
  /** What happened in the cloud. */
  readonly done: 'uploaded' | 'removed' | 'nothing';
  /** The record to keep in the sync state (undefined: drop it). */
  readonly record: AvatarStateRecord | undefined;
  /** Why an upload or removal failed; the previous record is kept, so the next run retries. */
  readonly error?: AvatarError;
  /** False when a publish target found the object already stored (only `photos` was written). */
  readonly uploadedBytes?: boolean;
}

/** Applies an upload or removal decision; `unchanged`, `empty` and `failed` write nothing. */
export async function applyAvatar(
  target: AvatarTarget,
  cloudUserId: string,
  decision: AvatarDecision,
  now: () => Date = () => new Date(),
  signal?: AbortSignal,
): Promise<AvatarApplyResult> {
  try {
    if (decision.status === 'upload') {
      const up = await target.upload(cloudUserId, decision.image, decision.url, signal);
      const applied = { done: 'uploaded' as const, at: now(), ...(up.url !== undefined ? { url: up.url } : {}) };
      return { done: 'uploaded', record: nextRecord(decision, applied), uploadedBytes: up.uploadedBytes };
    }
    if (decision.status === 'remove') {
      await target.remove(cloudUserId, signal);
      return { done: 'removed', record: nextRecord(decision, { done: 'removed' }) };
    }
    return { done: 'nothing', record: nextRecord(decision, { done: 'nothing' }) };
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    const error: AvatarError =
      err instanceof AvatarTargetError
        ? err.error
        : {
            code: 'cloud',
            message: err instanceof Error ? err.message : String(err),
            ...(typeof (err as { status?: unknown }).status === 'number' ? { status: (err as { status: number }).status } : {}),
          };
    return { done: 'nothing', record: decision.previous, error };
  }
}
