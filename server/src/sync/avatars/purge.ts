/**
 * `dirsync purge-avatars` and "Dirsync: Purge Avatars" (issue 7; seed 000, "Manage Profile
 * Pictures"): for every in-scope user whose avatar source is empty (attribute cleared, or the
 * resource server answers 404/410) and whose cloud user shows a picture, remove the picture — as a
 * plan first (who, and why: "No image data"), reviewed, then applied. Directory Connector needed a
 * cache purge and a support case for this.
 *
 * Plan: the in-scope users are streamed from the directory (the users selection), matched to the
 * cloud users that have a picture (by externalId, then userName, both from the config's mapping),
 * and decided by `planAvatars` in purge mode: an empty source with a cloud picture (or a state
 * record) → `removeAvatar`; a failed read → a `failed` item and nothing else; a picture → left
 * alone (a purge never uploads).
 *
 * Apply: each removal re-reads the entry by DN and goes through `applyAvatarOperation` (which
 * re-reads the source and refuses when a picture came back), logs the seed's two events per
 * user and drops the state record. There is no journal: the purge is idempotent — a re-run plans
 * again from what the cloud shows, and a user whose picture is gone is not planned again.
 */
import { createHash } from 'node:crypto';
import { avatarStateKey } from '../../avatars/changes';
import type { ScimUser } from '../../cloud/index';
import { readEntry } from '../../directory/index';
import type { DirectoryEntry } from '../../domain/entry';
import { previewMappings } from '../../language/live/mappings';
import {
  REPORT_CATEGORIES,
  REPORT_FORMAT,
  REPORT_VERSION,
  type ReportCategory,
  type ReportItem,
  type ReportMessage,
  type SyncReport,
} from '../../../../common/report';
import { countWork } from '../../../../common/work';
import type { EngineOptions, PurgeAvatarsFn } from '../contract';
import { applyAvatarOperation } from './apply';
import { planAvatars, type AvatarOperation, type AvatarPlanUser } from './plan';
import { AvatarStateStore } from './stateFile';
import { openPurgeWorld, PurgeError, type PurgeWorld } from './purgeSetup';
import { PLAN_FORMAT_VERSION, type ApplyResult, type SyncPlan } from '../contract';

export { PurgeError };

type CloudPhotoUser = { readonly id: string; readonly photos: NonNullable<ScimUser['photos']>; readonly userName: string };

/** Cloud users that show a picture, by lower-case externalId and userName. */
async function cloudUsersWithPictures(
  world: PurgeWorld,
  signal?: AbortSignal,
): Promise<{ byExternalId: Map<string, CloudPhotoUser>; byUserName: Map<string, CloudPhotoUser>; total: number; fingerprint: string }> {
  const byExternalId = new Map<string, CloudPhotoUser>();
  const byUserName = new Map<string, CloudPhotoUser>();
  const hash = createHash('sha256');
  let total = 0;
  for await (const u of world.client.users.list({
    attributes: ['id', 'userName', 'externalId', 'photos', 'meta'],
    ...(signal ? { signal } : {}),
  })) {
    total++;
    hash.update(`${u.id}\0${u.meta?.version ?? u.meta?.lastModified ?? ''}\n`);
    if (!u.id || !u.photos?.some((p) => typeof p.value === 'string' && p.value)) continue;
    const c = { id: u.id, photos: u.photos, userName: u.userName };
    if (u.externalId) byExternalId.set(u.externalId.toLowerCase(), c);
    byUserName.set(u.userName.toLowerCase(), c);
  }
  return { byExternalId, byUserName, total, fingerprint: hash.digest('hex') };
}

/** The mapped value of one cloud attribute (`uid`, `externalId`, `displayName`) on an entry. */
function mapped(world: PurgeWorld, entry: DirectoryEntry, cloud: string): string | undefined {
  const m = world.config.attributes.filter((a) => a.cloud.value.toLowerCase() === cloud.toLowerCase());
  const v = m.length ? previewMappings(m, entry)[0]?.value : undefined;
  return v ? v : undefined;
}

function emptySummary(): Record<ReportCategory, number> {
  return Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, 0])) as Record<ReportCategory, number>;
}

async function makePlan(world: PurgeWorld, state: AvatarStateStore, options: EngineOptions): Promise<SyncPlan> {
  const signal = options.signal;
  const config = world.config;
  options.onProgress?.({ phase: 'cloud', message: 'Reading cloud users with a picture' });
  const cloud = await cloudUsersWithPictures(world, signal);
  const users = config.objects.users;
  const dirHash = createHash('sha256');
  let inScope = 0;
  async function* inScopeUsers(): AsyncGenerator<AvatarPlanUser> {
    // All attributes: the photo (or the URI pattern's), the mapping's uid/externalId, objectGUID/objectSid for the events.
    const stream = world.directory.search({
      baseDns: users.baseDns.map((b) => b.value),
      filter: users.filter.value,
      attributes: [],
      ...(signal ? { signal } : {}),
    });
    for await (const entry of stream) {
      inScope++;
      dirHash.update(entry.dn.toLowerCase() + '\n');
      const userName = mapped(world, entry, 'uid');
      const externalId = mapped(world, entry, 'externalId') ?? avatarStateKey(entry);
      const match =
        cloud.byExternalId.get(externalId.toLowerCase()) ?? (userName ? cloud.byUserName.get(userName.toLowerCase()) : undefined);
      const displayName = mapped(world, entry, 'displayName');
      yield {
        entry,
        itemId: `purge-${inScope}`,
        ...((userName ?? match?.userName) ? { userName: userName ?? match!.userName } : {}),
        ...(displayName ? { displayName } : {}),
        ...(match ? { cloud: { id: match.id, photos: match.photos } } : {}),
      };
    }
  }
  options.onProgress?.({ phase: 'avatars', message: 'Reading avatar sources' });
  const planned = await planAvatars(
    {
      users: inScopeUsers(),
      source: world.avatars.source,
      removeWhenSourceEmpty: config.avatar.removeWhenSourceEmpty,
      purge: true,
      state: state.snapshot(),
      cloudRead: true,
    },
    {
      ...(signal ? { signal } : {}),
      concurrency: config.avatar.concurrency,
      thumbnails: false,
      onUser: (done) => options.onProgress?.({ phase: 'avatars', message: 'Reading avatar sources', done }),
    },
  );
  // The purge plan lists who loses a picture and who could not be read; users left alone are counted only.
  const items: ReportItem[] = planned.items.filter((i) => i.avatar?.status === 'remove' || i.avatar?.status === 'failed');
  const summary = emptySummary();
  summary.avatars = items.length;
  // Users left alone are not listed, but they are counted as unchanged pictures.
  const work = countWork(items);
  const pictures = { ...work.pictures, unchanged: work.pictures.unchanged + planned.counts.unchanged + planned.counts.empty };
  const messages: ReportMessage[] = [
    ...state.warnings.map((message) => ({ severity: 'warning' as const, message })),
    {
      severity: 'information',
      message:
        `${inScope} in-scope user${inScope === 1 ? '' : 's'}: ${planned.counts.remove} with an empty avatar source and a cloud picture (removed by the purge: "No image data"), ` +
        `${planned.counts.failed} whose source could not be read (left alone), ${planned.counts.unchanged} with a picture (left alone), ${planned.counts.empty} without a picture anywhere.`,
    },
  ];
  const threshold = config.policy.deleteThreshold;
  const report: SyncReport = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    sessionId: world.sessionId,
    generatedAt: new Date().toISOString(),
    mode: 'purgeAvatars',
    config: { file: world.configFile, ...(config.name ? { name: config.name } : {}), sha256: world.configSha256 },
    directory: { url: config.directory.url.value, kind: world.directory.kind, fingerprint: dirHash.digest('hex') },
    cloud: { url: config.cloud.url.value, type: config.cloud.type, ...(config.cloud.orgId ? { orgId: config.cloud.orgId.value } : {}) },
    summary,
    work: { ...work, pictures },
    // A purge deletes no object: only pictures.
    threshold: {
      deletions: 0,
      owned: cloud.total,
      ...(threshold?.count !== undefined ? { limitCount: threshold.count } : {}),
      ...(threshold?.percent !== undefined ? { limitPercent: threshold.percent } : {}),
      disabled: threshold?.disabled ?? false,
      exceeded: false,
    },
    items,
    messages,
  };
  return {
    report,
    payload: {
      version: PLAN_FORMAT_VERSION,
      basis: { configSha256: world.configSha256, directoryFingerprint: report.directory.fingerprint, cloudFingerprint: cloud.fingerprint },
      operations: planned.operations.filter((o) => o.kind === 'removeAvatar'),
    },
  };
}

async function applyPurge(world: PurgeWorld, plan: SyncPlan, state: AvatarStateStore, options: EngineOptions): Promise<ApplyResult> {
  const target = world.avatars.target!;
  const failures: Array<{ opId: string; label: string; message: string }> = [];
  let applied = 0;
  let skipped = 0;
  const ops = plan.payload.operations as readonly AvatarOperation[];
  try {
    for (const [i, op] of ops.entries()) {
      options.signal?.throwIfAborted();
      options.onProgress?.({ phase: 'apply', message: 'Removing avatars', done: i, total: ops.length });
      const cloudId = op.target.cloudId;
      const entry = op.dn ? await readEntry(world.directory, op.dn, options.signal) : undefined;
      if (!cloudId || !entry) {
        failures.push({ opId: op.opId, label: op.label, message: !cloudId ? 'no cloud user' : 'the entry is no longer in the directory' });
        continue;
      }
      const r = await applyAvatarOperation(op, {
        target,
        source: world.avatars.source,
        cloudId,
        entry,
        state,
        sessionId: world.sessionId,
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (r.ok) applied++;
      else {
        if (r.refused) skipped++;
        failures.push({ opId: op.opId, label: op.label, message: r.error.message });
      }
    }
  } finally {
    await state.save();
  }
  return { sessionId: world.sessionId, applied, resumed: 0, failed: failures.length - skipped, skipped, failures, report: plan.report };
}

/**
 * The purge plan of a config, applied when `apply` is true. Rejects with PurgeError (config, secrets)
 * or the directory's/cloud's errors when a side cannot be read; per-user problems are items.
 */
export const purgeAvatars: PurgeAvatarsFn = async (options) => {
  const world = await openPurgeWorld(options);
  try {
    const state = await AvatarStateStore.load(world.stateDir);
    const plan = await makePlan(world, state, options);
    if (!options.apply) return { plan };
    const result = await applyPurge(world, plan, state, options);
    return { plan, result };
  } finally {
    await world.close();
  }
};
