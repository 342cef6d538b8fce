/**
 * The planner's decisions for AD users, rooms and contacts (each matched against the cloud) and
 * for cloud users nothing in AD matches (mismatched / deleted, ownership and protection).
 */
import { dnKey } from '../../domain/dn';
import type { AttributeChange, ReportItem } from '../../../../common/report';
import { caseOnly, type CloudUserView } from './match';
import { scimUserBody, type MappedObject, type MappedValue } from './mapping';
import type { PlanContext } from './context';
import { directoryItem, SCIM_CONTACT_REASON } from './contacts';
import { newComplexOf, newElementOf, patchValue } from './scimPath';
import type { ObjectRef, PatchOp } from '../contract';

const ROOM_SKIP_REASON =
  'rooms are not sent to a generic SCIM target (objects.rooms.genericTarget is "skip"): it has no rooms, and a room already there is left as it is';

/** True when rooms are reported and not sent: a generic SCIM target and `objects.rooms.genericTarget: "skip"`. */
export function roomsSkipped(config: PlanContext['config']): boolean {
  return config.cloud.type !== 'webex' && config.objects.rooms.genericTarget === 'skip';
}

/** A room on a generic target that takes no rooms: reported with the reason; its cloud match (if any) is kept, never deleted. */
const skippedRoom = (m: MappedObject, cloud: CloudUserView | undefined): ReportItem =>
  finish({ ...baseItem(m, 'rooms', 'skip', cloud), reason: ROOM_SKIP_REASON }, m.warnings, m);

/** Information notes of mapped objects (no action needed, so no warning), kept beside the object. */
const NOTES = new WeakMap<MappedObject, string[]>();

/** Adds an information note to a mapped object once. */
function inform(m: MappedObject, text: string): void {
  const list = NOTES.get(m) ?? [];
  if (!list.includes(text)) list.push(text);
  NOTES.set(m, list);
}

/** Adds a warning to a mapped object once (mapping.ts creates the array; the planner owns it). */
function note(m: MappedObject, warning: string): void {
  const w = m.warnings as string[];
  if (!w.includes(warning)) w.push(warning);
}

/** Shared reason strings (one per 100k matched items would add up). */
const MATCHED_BY = { externalId: 'matched by externalId', userName: 'matched by userName', none: 'not matched' } as const;

function label(m: MappedObject): string {
  return m.dn;
}

/** The cloud value a DN-valued mapping (manager) should have: the manager's cloud id. */
function resolveDnValue(ctx: PlanContext, m: MappedObject, v: MappedValue): string | null | undefined {
  if (v.value === null || typeof v.value !== 'string') return v.value === null ? null : undefined;
  const key = dnKey(v.value);
  const ext = key ? ctx.dnToExternalId.get(key) : undefined;
  if (!ext) {
    note(m, `${v.attribute} ${v.value} is not a synchronized user: left unchanged`);
    return undefined;
  }
  const cloud = ctx.users.identityByExternalId(ext);
  if (!cloud || cloud.softDeleted) {
    inform(m, `${v.attribute} ${v.value} is created by this sync: the link is set right after it is created`);
    return undefined;
  }
  return cloud.id;
}

/** The externalId of the user a DN-valued mapping (manager) points at when this same sync creates it. */
function createdThisSync(ctx: PlanContext, v: MappedValue): string | undefined {
  if (!v.resolvesDn || typeof v.value !== 'string') return undefined;
  const key = dnKey(v.value);
  const ext = key ? ctx.dnToExternalId.get(key) : undefined;
  if (!ext) return undefined;
  const cloud = ctx.users.identityByExternalId(ext);
  return !cloud || cloud.softDeleted ? ext : undefined;
}

/**
 * DN-valued mappings that point at users created by this sync: a PATCH after the creates, whose
 * value `{ $objectRef }` the apply replaces by the new cloud id (apply.ts), so one sync converges.
 */
function deferredLinks(ctx: PlanContext, m: MappedObject): PatchOp[] {
  const ops: PatchOp[] = [];
  const deferred = m.values.filter((v) => createdThisSync(ctx, v));
  // What the create sent: a link whose parent it did not send is added whole on a generic target.
  const sent: Record<string, true> = {};
  for (const v of m.values) if (v.value !== null && !deferred.includes(v)) sent[v.scimPath] = true;
  for (const v of deferred) {
    const value = { $objectRef: { externalId: createdThisSync(ctx, v)! } };
    const parent = ctx.config.cloud.type === 'webex' ? undefined : newComplexOf(v.scimPath, sent);
    if (parent) ops.push({ op: 'add', path: parent.path, value: { [parent.sub]: value } });
    else ops.push({ op: 'replace', path: v.scimPath, value });
  }
  return ops;
}

function refOf(m: MappedObject, cloud?: CloudUserView): ObjectRef {
  // Two literals, not `{ ...(cloud ? { cloudId } : {}), … }`: a literal that starts with a spread
  // is built on V8's slow path (at 100k users this function was half a second).
  return cloud && !cloud.softDeleted
    ? { cloudId: cloud.id, externalId: m.externalId, userName: m.userName }
    : { externalId: m.externalId, userName: m.userName };
}

function baseItem(
  m: MappedObject,
  category: ReportItem['category'],
  action: ReportItem['action'],
  cloud?: CloudUserView,
): ReportItem & Record<string, unknown> {
  return directoryItem(m, category, action, cloud && !cloud.softDeleted ? cloud.id : undefined);
}

/** Differences between the mapped values and the cloud user, as changes and PATCH operations. */
function diff(ctx: PlanContext, m: MappedObject, cloud: CloudUserView): { changes: AttributeChange[]; ops: PatchOp[] } {
  const changes: AttributeChange[] = [];
  const ops: PatchOp[] = [];
  if (cloud.userName !== m.userName) {
    changes.push({ attribute: 'uid', scimPath: 'userName', old: cloud.userName, new: m.userName, ...ctx.refOf('uid') });
    ops.push({ op: 'replace', path: 'userName', value: m.userName });
  }
  if (cloud.externalId !== m.externalId) {
    changes.push({
      attribute: 'externalId',
      scimPath: 'externalId',
      old: cloud.externalId ?? null,
      new: m.externalId,
      ...ctx.refOf('externalId'),
    });
    ops.push({ op: 'replace', path: 'externalId', value: m.externalId });
  }
  if (cloud.active !== m.active) {
    changes.push({
      attribute: 'ds-pwp-account-disabled',
      scimPath: 'active',
      old: cloud.active,
      new: m.active,
      ...ctx.refOf('ds-pwp-account-disabled'),
    });
    ops.push({ op: 'replace', path: 'active', value: m.active });
  }
  const webex = ctx.config.cloud.type === 'webex';
  // Only Webex has rooms; a generic target's userType is left as it is (scimUserBody).
  if (webex && m.objectType === 'room' && cloud.userType !== 'room') {
    changes.push({ attribute: 'userType', scimPath: 'userType', old: cloud.userType ?? null, new: 'room' });
    ops.push({ op: 'replace', path: 'userType', value: 'room' });
  }
  // Elements and complex attributes the cloud user lacks, added whole (one `add` each).
  const added = new Map<string, { value: Record<string, unknown>; multi: boolean }>();
  const addWhole = (path: string, want: unknown): boolean => {
    // RFC 7644 §3.5.2.3: a `replace` through a value filter that matches nothing is 400 noTarget
    // (Webex says so too): a missing element (a first mobile number) is added whole.
    const element = newElementOf(path, cloud.values);
    // On a generic target a sub-attribute under a missing parent (a first manager) is added with its parent.
    const parent = element || webex ? undefined : newComplexOf(path, cloud.values);
    const target = element ?? (parent ? { ...parent, base: {} } : undefined);
    if (!target) return false;
    const e = added.get(target.path) ?? { value: { ...target.base }, multi: !!element };
    e.value[target.sub] = want;
    added.set(target.path, e);
    return true;
  };
  for (const v of m.values) {
    const want = v.resolvesDn ? resolveDnValue(ctx, m, v) : v.value;
    const have = cloud.values[v.scimPath];
    if (want === undefined) {
      const ext = createdThisSync(ctx, v);
      if (ext) {
        changes.push({
          attribute: v.attribute,
          scimPath: v.scimPath,
          old: have ?? null,
          new: String(v.value),
          ...(v.configRef ? { configRef: v.configRef } : {}),
        });
        const ref = { $objectRef: { externalId: ext } };
        if (have !== undefined || !addWhole(v.scimPath, ref)) ops.push({ op: 'replace', path: v.scimPath, value: ref });
      }
      continue;
    }
    if (want === null) {
      if (have === undefined) continue;
      changes.push({
        attribute: v.attribute,
        scimPath: v.scimPath,
        old: have,
        new: null,
        ...(v.configRef ? { configRef: v.configRef } : {}),
      });
      ops.push({ op: 'remove', path: v.scimPath });
    } else if (have !== want) {
      changes.push({
        attribute: v.attribute,
        scimPath: v.scimPath,
        old: have ?? null,
        new: want,
        ...(v.configRef ? { configRef: v.configRef } : {}),
      });
      if (have !== undefined || !addWhole(v.scimPath, want))
        ops.push({ op: 'replace', path: v.scimPath, value: patchValue(v.scimPath, want) });
    }
  }
  for (const [path, e] of added) ops.push({ op: 'add', path, value: e.multi ? [e.value] : e.value });
  return { changes, ops };
}

/**
 * The values a create sends, as changes without an old side: userName, externalId, active, the
 * room type and every mapped value (a manager as its DN; the apply sends its cloud id).
 */
function createValues(ctx: PlanContext, m: MappedObject): AttributeChange[] {
  const out: AttributeChange[] = [
    { attribute: 'uid', scimPath: 'userName', new: m.userName, ...ctx.refOf('uid') },
    { attribute: 'externalId', scimPath: 'externalId', new: m.externalId, ...ctx.refOf('externalId') },
    { attribute: 'ds-pwp-account-disabled', scimPath: 'active', new: m.active, ...ctx.refOf('ds-pwp-account-disabled') },
  ];
  if (m.objectType === 'room' && ctx.config.cloud.type === 'webex') out.push({ attribute: 'userType', scimPath: 'userType', new: 'room' });
  for (const v of m.values) {
    if (v.value === null) continue;
    out.push({ attribute: v.attribute, scimPath: v.scimPath, new: v.value, ...(v.configRef ? { configRef: v.configRef } : {}) });
  }
  return out;
}

/** A create of the user (new in scope, or re-created over a soft-deleted one), then its deferred links. */
function planCreate(
  ctx: PlanContext,
  m: MappedObject,
  category: ReportItem['category'],
  reason: string,
): ReportItem & Record<string, unknown> {
  const item = { ...baseItem(m, category, 'create'), reason, changes: createValues(ctx, m) };
  ctx.op('create', {
    kind: 'createUser',
    itemId: item.id,
    label: label(m),
    body: scimUserBody(m, (v) => resolveDnValue(ctx, m, v) ?? undefined, ctx.config.cloud.type),
  });
  const links = deferredLinks(ctx, m);
  if (links.length) ctx.op('patch', { kind: 'patchUser', itemId: item.id, label: label(m), target: refOf(m), ops: links });
  return item;
}

/** Decides what happens to one valid mapped user, room or contact. Returns its item. */
export function planDirectoryUser(ctx: PlanContext, m: MappedObject): ReportItem {
  const match = ctx.users.match(m.externalId, m.userName);
  const cloud = match.by === 'none' ? undefined : match.cloud;
  if (cloud) ctx.users.matched.add(cloud.id);
  if (m.objectType === 'contact') {
    return { ...baseItem(m, 'contacts', 'skip', cloud), reason: SCIM_CONTACT_REASON };
  }
  if (m.objectType === 'room' && roomsSkipped(ctx.config)) return skippedRoom(m, cloud);
  const addCategory = m.objectType === 'room' ? 'rooms' : 'added';
  const warnings = m.warnings as string[];
  if (!cloud) {
    const reason = m.active ? 'in AD, not in the cloud' : 'in AD (disabled), not in the cloud: created inactive';
    return finish(planCreate(ctx, m, addCategory, reason), warnings, m);
  }
  if (match.by === 'userName' && cloud.externalId && cloud.externalId !== m.externalId && !cloud.softDeleted) {
    const msg = `the same person is in the scope of two directories: cloud user ${cloud.userName} is linked to another directory object (externalId ${cloud.externalId}); left unchanged`;
    ctx.message('warning', msg, m.dn, m.userName);
    warnings.push(msg);
    return finish({ ...baseItem(m, 'matched', 'skip', cloud), reason: msg }, warnings, m);
  }
  if (cloud.softDeleted) {
    const category = m.objectType === 'room' ? 'rooms' : 'softDeleted';
    return finish(planCreate(ctx, m, category, `cloud user ${cloud.userName} is soft-deleted: re-created from AD`), warnings, m);
  }
  if (caseOnly(cloud.userName, m.userName)) {
    warnings.push(`userName differs only in case: cloud ${cloud.userName}, AD ${m.userName}; updated, never deleted`);
  }
  const { changes, ops } = diff(ctx, m, cloud);
  const target = refOf(m, cloud);
  if (!m.active && cloud.active) {
    const protectedWhy = ctx.protection(cloud, m.dn);
    if (protectedWhy) {
      return finish(
        { ...baseItem(m, 'deactivated', 'skip', cloud), reason: `disabled in AD but ${protectedWhy}: not deactivated` },
        warnings,
        m,
      );
    }
    const item = { ...baseItem(m, 'deactivated', 'deactivate', cloud), reason: 'disabled in AD (userAccountControl)', changes };
    ctx.op('patch', { kind: 'patchUser', itemId: item.id, label: label(m), target, ops });
    return finish(item, warnings, m);
  }
  const category = m.objectType === 'room' ? 'rooms' : changes.length ? 'modified' : 'matched';
  if (!changes.length) return finish({ ...baseItem(m, category, 'none', cloud), reason: MATCHED_BY[match.by] }, warnings, m);
  const reactivate = m.active && !cloud.active;
  const item = {
    ...baseItem(m, category, reactivate ? 'reactivate' : 'update', cloud),
    reason: `${MATCHED_BY[match.by]}${reactivate ? '; enabled in AD, inactive in the cloud' : ''}`,
    changes,
  };
  ctx.op('patch', { kind: 'patchUser', itemId: item.id, label: label(m), target, ops });
  return finish(item, warnings, m);
}

/**
 * A cloud user with an AD contact's userName or externalId counts as matched (never mismatched or
 * deleted because of it), whichever way the contact itself is synchronized.
 */
export function noteContactUserMatch(ctx: PlanContext, m: MappedObject): void {
  const match = ctx.users.match(m.externalId, m.userName);
  if (match.by !== 'none') ctx.users.matched.add(match.cloud.id);
}

/** Reason of an incremental sync's identity-only item (shared string). */
export const UNCHANGED_REASON = 'unchanged since the last sync (uSNChanged at or below the mark): identity read only';

/**
 * An identity-only user, room or contact (incremental sync) the caller matched by externalId to
 * an active cloud user: present and unchanged — matched, no diff, no operation.
 */
export function planIdentityUser(ctx: PlanContext, m: MappedObject, cloud: CloudUserView | undefined): ReportItem {
  if (cloud) ctx.users.matched.add(cloud.id);
  if (m.objectType === 'room' && roomsSkipped(ctx.config)) return skippedRoom(m, cloud);
  if (m.objectType === 'contact' || !cloud) return { ...baseItem(m, 'contacts', 'skip', cloud), reason: SCIM_CONTACT_REASON };
  return { ...baseItem(m, m.objectType === 'room' ? 'rooms' : 'matched', 'none', cloud), reason: UNCHANGED_REASON };
}

function finish(item: ReportItem & Record<string, unknown>, warnings: readonly string[], m: MappedObject): ReportItem {
  const { warnings: _w, ...rest } = item;
  const notes = NOTES.get(m);
  return { ...rest, ...(warnings.length ? { warnings: [...warnings] } : {}), ...(notes?.length ? { notes: [...notes] } : {}) };
}

/** An object that cannot be synchronized: its errors, never an operation. */
export function invalidItem(m: MappedObject): ReportItem {
  return {
    id: `invalid:${m.externalId || m.dn.toLowerCase()}`,
    category: 'invalid',
    objectType: m.objectType,
    action: 'skip',
    dn: m.dn,
    ...(m.externalId ? { objectGuid: m.externalId } : {}),
    ...(m.objectSid ? { objectSid: m.objectSid } : {}),
    ...(m.userName ? { userName: m.userName } : {}),
    ...(m.displayName ? { displayName: m.displayName } : {}),
    reason: 'invalid values: not sent to the cloud',
    errors: m.errors,
    ...(m.warnings.length ? { warnings: m.warnings } : {}),
  };
}

/** Cloud users no AD object matched: mismatched (never synced) or deleted (removed from AD). */
export function planCloudOnlyUsers(ctx: PlanContext): ReportItem[] {
  const out: ReportItem[] = [];
  const policy = ctx.config.policy.mismatched;
  const left: CloudUserView[] = [];
  for (const u of ctx.users.unmatched()) if (!u.softDeleted && ctx.ownership.ownsUserName(u.userName)) left.push(u);
  left.sort((a, b) => (a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0));
  for (const u of left) {
    const removed = !!u.externalId;
    const base = {
      id: `cloud-user:${u.id}`,
      objectType: (u.userType === 'room' ? 'room' : 'user') as ReportItem['objectType'],
      userName: u.userName,
      cloudId: u.id,
      ...(u.externalId ? { objectGuid: u.externalId } : {}),
    };
    const why = removed ? 'synchronized before (has an externalId), no longer in AD scope' : 'in the cloud, matches nothing in AD';
    const protectedWhy = ctx.protection(u);
    const deletes = removed || policy === 'delete';
    if (protectedWhy && deletes) {
      out.push({ ...base, category: 'mismatched', action: 'retain', reason: `${why}; ${protectedWhy}: never deleted` });
      continue;
    }
    if (!deletes) {
      out.push({
        ...base,
        category: 'mismatched',
        action: 'retain',
        reason: `${why}; policy.mismatched is retain`,
        ...ctx.refOf('policy.mismatched'),
      });
      continue;
    }
    const item: ReportItem = {
      ...base,
      category: removed ? 'deleted' : 'mismatched',
      action: 'delete',
      reason: removed ? why : `${why}; policy.mismatched is delete`,
      ...(removed ? {} : ctx.refOf('policy.mismatched')),
    };
    if (u.fullAdmin) ctx.fullAdminsDeleted++;
    ctx.op('delete', {
      kind: 'deleteUser',
      itemId: item.id,
      label: u.userName,
      target: { cloudId: u.id, userName: u.userName, ...(u.externalId ? { externalId: u.externalId } : {}) },
    });
    out.push(item);
  }
  return out;
}
