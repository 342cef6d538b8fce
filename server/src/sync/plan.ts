/**
 * The dry run's core, a pure function: config + directory entries + cloud objects (+ the avatar
 * planner) → `SyncPlan` (the report a human reviews and the operations that realise it). No I/O:
 * the engine (engine.ts) streams both sides in; tests pass plain arrays.
 *
 * Memory: cloud users are compacted as they stream in (match.ts); directory entries are mapped one
 * at a time and only their mapped values are kept (entries are kept only for the avatar planner).
 */
import { createHash } from 'node:crypto';
import { normalizeDn } from '../language/dn';
import { REPORT_CATEGORIES, REPORT_FORMAT, REPORT_VERSION, type ReportCategory, type ReportItem, type SyncReport } from '../protocol/report';
import { viewCloudUser, type CloudUserView } from './match';
import { compileMapping, isRoomEntry, mapEntry, mapGroup, type MappedObject } from './mapping';
import { PlanContext } from './planContext';
import { GroupPlanner } from './planGroups';
import type { AvatarCandidate, PlanInput } from './planTypes';
import { invalidItem, planCloudOnlyUsers, planDirectoryUser } from './planUsers';
import { computeThreshold } from './threshold';
import { PLAN_FORMAT_VERSION, type SyncPlan } from './types';

export type { AvatarCandidate, AvatarPlanner, DirectoryItem, OperationDraft, PlanInput } from './planTypes';

const OBJECT_TYPE = { users: 'user', rooms: 'room', contacts: 'contact' } as const;

function isView(u: unknown): u is CloudUserView {
  return !!u && (u as CloudUserView).values instanceof Map;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A hash independent of stream order: per-object digests, sorted, hashed. */
class SetFingerprint {
  private readonly parts: string[] = [];
  add(text: string): void {
    this.parts.push(createHash('sha256').update(text).digest('base64'));
  }
  digest(): string {
    this.parts.sort();
    const h = createHash('sha256');
    for (const p of this.parts) h.update(p);
    return h.digest('hex');
  }
}

function objectText(m: MappedObject): string {
  return JSON.stringify([m.objectType, m.dn, m.externalId, m.userName, m.active, m.values.map((v) => [v.scimPath, v.value]), m.members ?? null]);
}

/** Throws the signal's reason when aborted (long loops check it every few thousand objects). */
function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('the dry run was cancelled');
}

/** Computes the plan. See the module comment and README § Sync engine. */
export async function buildPlan(input: PlanInput): Promise<SyncPlan> {
  const { config, signal } = input;
  const mapping = input.mapping ?? compileMapping(config, input.configSource);
  const ctx = new PlanContext(config, mapping, normalizeDn);
  for (const p of mapping.problems) ctx.message('warning', p);

  const paths = [...new Set(mapping.users.map((a) => a.scimPath))];
  let n = 0;
  for await (const u of input.cloudUsers) {
    ctx.users.add(isView(u) ? u : viewCloudUser(u, paths));
    if (++n % 5000 === 0) checkAbort(signal);
  }
  if (input.cloudGroups) for await (const g of input.cloudGroups) ctx.groups.add(g);

  // ---- directory: map each entry once, keep the mapped values.
  const roomsOn = config.objects.rooms.enabled;
  const seen = new Set<string>();
  const names = new Map<string, string>();
  const pending: MappedObject[] = [];
  const groups: MappedObject[] = [];
  const items: ReportItem[] = [];
  const entries = new Map<MappedObject, AvatarCandidate['entry']>();
  const keepEntries = !!input.avatars && config.avatar.enabled;
  const dirPrint = new SetFingerprint();
  n = 0;
  for await (const { selection, entry } of input.directory) {
    if (++n % 5000 === 0) checkAbort(signal);
    if (selection === 'users' && roomsOn && isRoomEntry(config, entry)) continue; // the rooms selection owns it
    const key = normalizeDn(entry.dn) ?? entry.dn.toLowerCase();
    const seenKey = `${selection === 'rooms' ? 'users' : selection}|${key}`;
    if (seen.has(seenKey)) continue;
    seen.add(seenKey);
    const m = selection === 'groups' ? mapGroup(entry) : mapEntry(config, mapping, OBJECT_TYPE[selection], entry);
    if (selection !== 'groups' && !m.errors.length && m.userName) {
      const lc = `${selection === 'contacts' ? 'c' : 'u'}|${m.userName.toLowerCase()}`;
      const other = names.get(lc);
      if (other) (m.errors as string[]).push(`${m.dn}: userName ${m.userName} is also the userName of ${other}`);
      else names.set(lc, m.dn);
    }
    dirPrint.add(objectText(m));
    if (m.errors.length) {
      items.push(invalidItem(m));
      continue;
    }
    ctx.dnToExternalId.set(key, m.externalId);
    if (selection === 'groups') groups.push(m);
    else {
      if (selection !== 'contacts') ctx.ownership.noteUserName(m.userName);
      pending.push(m);
      if (keepEntries && selection !== 'contacts') entries.set(m, entry);
    }
  }

  // ---- decisions
  const candidates: AvatarCandidate[] = [];
  for (const m of pending) {
    const item = planDirectoryUser(ctx, m);
    items.push(item);
    const entry = entries.get(m);
    if (entry && item.action !== 'skip') {
      const cloud = ctx.users.match(m.externalId, m.userName);
      const cloudUser = cloud.by !== 'none' && !cloud.cloud.softDeleted ? cloud.cloud : undefined;
      candidates.push({ entry, item, target: { ...(cloudUser ? { cloudId: cloudUser.id } : {}), externalId: m.externalId, userName: m.userName }, ...(cloudUser ? { cloudUser } : {}) });
    }
  }
  entries.clear();
  const groupPlanner = new GroupPlanner(ctx);
  for (const g of groups) items.push(groupPlanner.plan(g, normalizeDn));
  items.push(...planCloudOnlyUsers(ctx));
  if (config.objects.groups.enabled) items.push(...groupPlanner.cloudOnly());

  if (input.avatars && config.avatar.enabled && candidates.length) {
    const result = await input.avatars(candidates, { config, ...(signal ? { signal } : {}) });
    items.push(...result.items);
    for (const op of result.operations) ctx.op('avatar', op);
    for (const msg of result.messages ?? []) ctx.messages.push(msg);
  }

  // ---- threshold, fingerprints, report
  const owned = ctx.users.values().filter((u) => !u.softDeleted && ctx.ownership.ownsUserName(u.userName));
  const cloudPrint = new SetFingerprint();
  for (const u of owned) cloudPrint.add(`u|${u.id}|${u.version ?? ''}`);
  for (const g of ctx.groups.values()) if (g.externalId) cloudPrint.add(`g|${g.id}|${g.version ?? ''}`);
  const deletions = ctx.count('delete') + ctx.count('deleteGroup');
  const ownedGroups = config.objects.groups.enabled ? ctx.groups.values().filter((g) => g.externalId).length : 0;
  const threshold = computeThreshold({
    policy: config.policy.deleteThreshold,
    deletions,
    owned: owned.length + ownedGroups,
    fullAdmins: ctx.users.values().filter((u) => u.fullAdmin && !u.softDeleted).length,
    fullAdminsDeleted: ctx.fullAdminsDeleted,
  });
  if (threshold.refusal) ctx.message('error', threshold.refusal);
  if (threshold.disabled && deletions > 0) ctx.message('warning', `policy.deleteThreshold is disabled: the plan deletes ${deletions} cloud objects unchecked`);

  const summary = Object.fromEntries(REPORT_CATEGORIES.map((c) => [c, 0])) as Record<ReportCategory, number>;
  for (const it of items) summary[it.category]++;
  const directoryFingerprint = dirPrint.digest();
  const report: SyncReport = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    sessionId: input.meta.sessionId,
    generatedAt: input.meta.generatedAt,
    mode: 'dryRun',
    config: { file: input.meta.configFile, ...(config.name ? { name: config.name } : {}), sha256: input.configSha256 },
    directory: { ...input.meta.directory, fingerprint: directoryFingerprint },
    cloud: input.meta.cloud,
    summary,
    threshold,
    items,
    messages: ctx.messages,
  };
  return {
    report,
    payload: {
      version: PLAN_FORMAT_VERSION,
      basis: { configSha256: input.configSha256, directoryFingerprint, cloudFingerprint: cloudPrint.digest() },
      operations: ctx.operations(),
    },
  };
}

/** True when applying the plan changes anything (the CLI's exit code 2). */
export function planHasChanges(plan: SyncPlan): boolean {
  return plan.payload.operations.length > 0;
}

export { sha256 as sha256Hex };
