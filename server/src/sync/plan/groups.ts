/**
 * The planner's decisions for groups: create or rename, membership added/removed (members are
 * in-scope users, rooms and groups, as references resolved at apply time), and cloud groups that
 * came from this directory but are no longer in it (deleted, unless protected by ownership rules).
 */
import { SCHEMA } from '../../cloud/schemas';
import type { ReportItem } from '../../../../common/report';
import type { MappedObject } from './mapping';
import type { PlanContext } from './context';
import type { ObjectRef } from '../contract';
import type { CloudGroupView } from './match';
import { UNCHANGED_REASON } from './users';

export class GroupPlanner {
  constructor(private readonly ctx: PlanContext) {}

  /** A removed member's name for the report: a user's userName or a group's displayName, else its id. */
  private nameOfId(id: string): string {
    return this.ctx.users.identityById(id)?.userName ?? this.ctx.groups.byId(id)?.displayName ?? id;
  }

  /** The reference of an in-scope member DN, or undefined when the member is out of scope. */
  private memberRef(dnKey: string): ObjectRef | undefined {
    const ext = this.ctx.dnToExternalId.get(dnKey);
    if (!ext) return undefined;
    const u = this.ctx.users.identityByExternalId(ext);
    if (u && !u.softDeleted) return { cloudId: u.id, externalId: ext, userName: u.userName };
    const g = this.ctx.groups.byExternalId(ext);
    if (g) return { cloudId: g.id, externalId: ext };
    return { externalId: ext };
  }

  plan(m: MappedObject, normalize: (dn: string) => string | undefined): ReportItem {
    const ctx = this.ctx;
    const match = ctx.groups.match(m.externalId, m.userName);
    const cloud = match.by === 'none' ? undefined : match.cloud;
    if (cloud) ctx.groups.matched.add(cloud.id);
    const itemId = `group:${m.externalId}`;
    const desired: Array<{ ref: ObjectRef; dn: string }> = [];
    for (const dn of m.members ?? []) {
      const key = normalize(dn);
      const ref = key ? this.memberRef(key) : undefined;
      if (ref) desired.push({ ref, dn });
    }
    const target: ObjectRef = { ...(cloud ? { cloudId: cloud.id } : {}), externalId: m.externalId, userName: m.userName };
    const current = new Set(cloud?.members ?? []);
    const add = desired.filter((d) => !d.ref.cloudId || !current.has(d.ref.cloudId));
    const keep = new Set(desired.map((d) => d.ref.cloudId).filter((x): x is string => !!x));
    const remove = [...current].filter((id) => !keep.has(id));
    const base = {
      id: itemId,
      category: 'groups' as const,
      objectType: 'group' as const,
      dn: m.dn,
      objectGuid: m.externalId,
      ...(m.objectSid ? { objectSid: m.objectSid } : {}),
      userName: m.userName,
      displayName: m.userName,
      ...(cloud ? { cloudId: cloud.id } : {}),
    };
    const members = { added: add.map((a) => a.dn), removed: remove.map((id) => this.nameOfId(id)) };
    if (!cloud) {
      ctx.op('createGroup', {
        kind: 'createGroup',
        itemId,
        label: m.dn,
        body: { schemas: [SCHEMA.group], displayName: m.userName, externalId: m.externalId },
      });
    }
    const changes =
      cloud && (cloud.displayName !== m.userName || cloud.externalId !== m.externalId)
        ? [
            ...(cloud.displayName !== m.userName
              ? [{ attribute: 'displayName', scimPath: 'displayName', old: cloud.displayName, new: m.userName }]
              : []),
            ...(cloud.externalId !== m.externalId
              ? [{ attribute: 'externalId', scimPath: 'externalId', old: cloud.externalId ?? null, new: m.externalId }]
              : []),
          ]
        : [];
    if (changes.length) {
      ctx.op('patchGroup', {
        kind: 'patchGroup',
        itemId,
        label: m.dn,
        target,
        ops: changes.map((c) => ({ op: 'replace' as const, path: c.scimPath, value: c.new })),
      });
    }
    if (add.length || remove.length) {
      ctx.op('members', {
        kind: 'groupMembers',
        itemId,
        label: m.dn,
        target,
        add: add.map((a) => a.ref),
        remove: remove.map((id) => ({ cloudId: id })),
      });
    }
    const action = !cloud ? 'create' : changes.length || add.length || remove.length ? 'update' : 'none';
    // A create's values: its name and externalId (members are listed beside them).
    const values = !cloud
      ? [
          { attribute: 'displayName', scimPath: 'displayName', new: m.userName },
          { attribute: 'externalId', scimPath: 'externalId', new: m.externalId },
        ]
      : changes;
    return {
      ...base,
      action,
      reason: !cloud ? 'in AD, not in the cloud' : `matched by ${match.by}`,
      ...(values.length ? { changes: values } : {}),
      ...(add.length || remove.length || !cloud ? { members } : {}),
    };
  }

  /**
   * An identity-only group (incremental sync) matched by externalId: unchanged since the mark, so
   * its name and members are too (a member change bumps the group's uSNChanged) — no diff.
   */
  planIdentity(m: MappedObject, cloud: CloudGroupView): ReportItem {
    this.ctx.groups.matched.add(cloud.id);
    return {
      id: `group:${m.externalId}`,
      category: 'groups',
      objectType: 'group',
      action: 'none',
      dn: m.dn,
      objectGuid: m.externalId,
      userName: cloud.displayName,
      displayName: cloud.displayName,
      cloudId: cloud.id,
      reason: UNCHANGED_REASON,
    };
  }

  /** Owned cloud groups nothing in AD matched: deleted (they came from this directory). */
  cloudOnly(): ReportItem[] {
    const ctx = this.ctx;
    const out: ReportItem[] = [];
    const left = ctx.groups.values().filter((g) => {
      if (ctx.groups.matched.has(g.id) || !g.externalId) return false;
      if (g.members.length === 0) return true;
      return g.members.some((id) => {
        const u = ctx.users.identityById(id);
        return !!u && ctx.ownership.ownsUserName(u.userName);
      });
    });
    left.sort((a, b) => (a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0));
    for (const g of left) {
      const item: ReportItem = {
        id: `cloud-group:${g.id}`,
        category: 'groups',
        objectType: 'group',
        action: 'delete',
        displayName: g.displayName,
        userName: g.displayName,
        cloudId: g.id,
        objectGuid: g.externalId!,
        reason: 'synchronized before (has an externalId), no longer in AD scope',
      };
      ctx.op('deleteGroup', {
        kind: 'deleteGroup',
        itemId: item.id,
        label: g.displayName,
        target: { cloudId: g.id, externalId: g.externalId! },
      });
      out.push(item);
    }
    return out;
  }
}
