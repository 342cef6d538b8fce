/**
 * The dry run's default avatar planner: when `avatar.enabled`, the plan's `avatars` hook
 * (sync/plan/types.ts AvatarPlanner) runs the avatar half (sync/avatars/plan.ts planAvatars) over the in-scope
 * users with the config's avatar source and the avatar state file, so `dirsync plan` and the
 * report show avatars to upload / unchanged / to remove / failed, and the apply uploads them.
 */
import { join } from 'node:path';
import { createAvatarPipeline } from '../../avatars/fromConfig';
import { ThumbnailStore, thumbnailsDir } from '../../avatars/thumbnailStore';
import type { ReportItem, ReportMessage } from '../../../../common/report';
import { planAvatars, type AvatarPlanUser } from './plan';
import { AvatarStateStore } from './stateFile';
import type { LoadedConfig } from '../engine/load';
import type { AvatarCandidate, AvatarPlanner, OperationDraft } from '../plan/types';

export interface ConfiguredAvatarPlanner {
  readonly planner: AvatarPlanner;
  /**
   * Starts reading the avatar state, which the planner needs with the first user it is given: called
   * once the reads of the directory and the cloud are under way, it is read while they wait for their
   * first pages (at 100k users the file is 8.6 MB, about half a second to read and check).
   */
  prepare(): void;
  /** Closes the avatar source (HTTP dispatcher) once the plan is made. */
  close(): Promise<void>;
}

function planUser(c: AvatarCandidate): AvatarPlanUser {
  const cloud = c.cloudUser;
  return {
    entry: c.entry,
    itemId: c.item.id,
    ...(c.item.userName ? { userName: c.item.userName } : {}),
    ...(c.item.displayName ? { displayName: c.item.displayName } : {}),
    objectType: c.item.objectType === 'room' ? 'room' : 'user',
    ...(cloud ? { cloud: { id: cloud.id, photos: cloud.photo ? [{ value: cloud.photo, primary: true }] : [] } } : {}),
    target: c.target,
  };
}

async function* planUsers(users: Iterable<AvatarCandidate> | AsyncIterable<AvatarCandidate>): AsyncGenerator<AvatarPlanUser> {
  for await (const c of users) yield planUser(c);
}

/** Undefined when avatars are off. The pipeline is opened on first use only. */
export function configuredAvatarPlanner(loaded: LoadedConfig): ConfiguredAvatarPlanner | undefined {
  const avatar = loaded.config.avatar;
  if (!avatar.enabled) return undefined;
  let pipeline: Awaited<ReturnType<typeof createAvatarPipeline>> | undefined;
  let stateRead: Promise<AvatarStateStore> | undefined;
  const readState = () => (stateRead ??= AvatarStateStore.load(loaded.stateDir));
  const planner: AvatarPlanner = async (users, ctx) => {
    // A dry run never writes: no users client, so no cloud target is opened.
    pipeline ??= await createAvatarPipeline({ avatar, cloudType: loaded.config.cloud.type, secrets: loaded.secrets });
    const state = await readState();
    const thumbnails = new ThumbnailStore(thumbnailsDir(join(loaded.stateDir, 'reports')));
    const planned = await planAvatars(
      {
        users: planUsers(users),
        source: pipeline.source,
        removeWhenSourceEmpty: avatar.removeWhenSourceEmpty,
        state: state.snapshot(),
        cloudRead: true,
      },
      {
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        concurrency: avatar.concurrency,
        // Beside the report the dry run saves (engine/dryRun.ts saveReport), written as they are made.
        thumbnails,
        ...(ctx.itemSink ? { onItem: (item: ReportItem) => ctx.itemSink!.add(item) } : {}),
      },
    );
    // The planner numbers operations; the plan gives them their final ids.
    const operations: OperationDraft[] = planned.operations.map(({ opId: _opId, ...op }) => op as OperationDraft);
    const messages: ReportMessage[] = state.warnings.map((message) => ({ severity: 'warning', message }));
    return { items: ctx.itemSink ? ctx.itemSink.source : planned.items, operations, messages };
  };
  return {
    planner,
    prepare() {
      readState().catch(() => undefined); // thrown where the planner awaits it
    },
    async close() {
      await pipeline?.close().catch(() => undefined);
    },
  };
}
