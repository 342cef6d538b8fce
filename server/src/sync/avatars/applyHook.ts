/**
 * The default avatar hook of an apply: runs `uploadAvatar` / `removeAvatar` operations through
 * the avatar half (`applyAvatarOperation`, sync/avatars/apply.ts), which re-reads the picture and refuses
 * one that differs from the plan's. Opens, on first use only, what that needs: the directory (to
 * re-read the entry by DN), the config's avatar pipeline (source and target) and the avatar state.
 */
import { dirname } from 'node:path';
import type { SecretResolver } from '../../avatars/credentials';
import { createAvatarPipeline, type AvatarPipeline } from '../../avatars/fromConfig';
import type { ScimClient } from '../../cloud/index';
import { openDirectory, readEntry, type DirectorySource } from '../../directory/index';
import type { DirsyncConfig } from '../../../../common/config';
import type { EngineEvent } from '../contract';
import type { AvatarApplyHook } from '../apply/execute';
import { applyAvatarOperation } from './apply';
import { AvatarStateStore } from './stateFile';

export interface AvatarHookOptions {
  readonly config: DirsyncConfig;
  readonly configFile: string;
  readonly stateDir: string;
  readonly secrets: SecretResolver;
  readonly client: ScimClient;
  readonly sessionId: string;
  readonly onEvent?: (e: EngineEvent) => void;
}

export interface AvatarHookHandle {
  readonly hook: AvatarApplyHook;
  /** Saves the avatar state and closes what the hook opened. */
  close(): Promise<void>;
}

export function createAvatarHook(o: AvatarHookOptions): AvatarHookHandle {
  let opened: Promise<{ directory: DirectorySource; pipeline: AvatarPipeline; state: AvatarStateStore }> | undefined;
  const open = async (signal?: AbortSignal) => {
    const directory = await openDirectory(o.config.directory, {
      configDir: dirname(o.configFile),
      resolveSecret: o.secrets,
      ...(signal ? { signal } : {}),
    });
    try {
      const pipeline = await createAvatarPipeline({
        avatar: o.config.avatar,
        cloudType: o.config.cloud.type,
        secrets: o.secrets,
        users: o.client.users,
      });
      return { directory, pipeline, state: await AvatarStateStore.load(o.stateDir) };
    } catch (err) {
      await directory.close();
      throw err;
    }
  };
  const hook: AvatarApplyHook = async (op, ctx) => {
    opened ??= open(ctx.signal);
    const { directory, pipeline, state } = await opened;
    if (!pipeline.target) throw new Error('avatar: no target to write pictures to');
    if (!op.dn) throw new Error(`${op.label}: the operation names no directory entry to read the picture from`);
    // Only what the source reads and the events name (GUID, SID): not the whole entry per upload.
    const entry = await readEntry(directory, op.dn, ctx.signal, [...pipeline.source.attributes, 'objectGUID', 'objectSid']);
    if (!entry) throw new Error(`${op.dn} is no longer in the directory; make a new plan`);
    const r = await applyAvatarOperation(op, {
      target: pipeline.target,
      source: pipeline.source,
      cloudId: ctx.cloudId,
      entry,
      state,
      sessionId: o.sessionId,
      ...(o.onEvent ? { onEvent: o.onEvent } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (!r.ok) throw new Error(r.refused ? `${r.error.message} (refused: the picture changed since the plan)` : r.error.message);
    // The state record is durable before the apply journals the operation done (group-committed with
    // the other uploads'): a killed apply loses no record of an upload it counts as done.
    await state.commit();
  };
  return {
    hook,
    async close() {
      if (!opened) return;
      const w = await opened.catch(() => undefined);
      if (!w) return;
      try {
        await w.state.save();
      } finally {
        await w.pipeline.close().catch(() => undefined);
        await w.directory.close().catch(() => undefined);
      }
    },
  };
}
