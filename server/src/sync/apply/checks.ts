/**
 * The safety checks an apply makes before its first write. Either passes silently or throws
 * ApplyRefusedError naming the rule and the objects, with nothing written.
 *
 * - Deletion threshold (seed: "Synchronization Threshold"): the plan's report says whether its
 *   deletions exceed the config's count/percent; over it, the apply refuses.
 * - All full admins: a plan that deletes or deactivates every user holding Webex's full
 *   administrator role would lock the org out; refused whatever the policy says.
 */
import { isFullAdmin, ScimBadRequestError, scimFilter, type ScimClient } from '../../cloud/index';
import { ApplyRefusedError } from './errors';
import type { PlanOperation, SyncPlan } from '../contract';
import type { ReportAction } from '../../../../common/report';
import { reportItemsWithActions } from '../../../../common/reportItems';
import { operationCountOfKinds, operationsOfKinds } from '../plan/operations';

const LISTED = 20;

const DELETES: ReadonlySet<ReportAction> = new Set(['delete']);

function list(objects: readonly string[]): string {
  const shown = objects.slice(0, LISTED).join('; ');
  return objects.length > LISTED ? `${shown}; … and ${objects.length - LISTED} more` : shown;
}

/** The objects a plan deletes, by DN or userName, in plan order. */
export function deletedObjects(plan: SyncPlan): string[] {
  const fromOps = [...operationsOfKinds(plan.payload, ['deleteUser', 'deleteGroup'])].map((o) => o.label);
  if (fromOps.length) return fromOps;
  const out: string[] = [];
  for (const i of reportItemsWithActions(plan.report, DELETES)) out.push(i.dn ?? i.userName ?? i.displayName ?? i.id);
  return out;
}

export function checkThreshold(plan: SyncPlan): void {
  const t = plan.report.threshold;
  const objects = deletedObjects(plan);
  // The verdict is only as good as its count: operations deleting more than the report counted are
  // not the plan that was judged.
  const deletions = operationCountOfKinds(plan.payload, ['deleteUser', 'deleteGroup']);
  if (deletions > t.deletions)
    throw new ApplyRefusedError(
      `refused, nothing written: the plan's operations delete ${deletions} objects but its threshold verdict counted ${t.deletions}; make a new plan. Objects to delete: ${list(objects)}`,
      'threshold',
      objects,
    );
  if (!t.exceeded) return;
  const limits = [
    t.limitCount !== undefined ? `${t.limitCount} objects` : '',
    t.limitPercent !== undefined ? `${t.limitPercent} % of ${t.owned} owned` : '',
  ]
    .filter(Boolean)
    .join(' or ');
  const why = (t.refusal ?? `the plan deletes ${t.deletions} objects, over the deletion threshold (${limits || 'policy.deleteThreshold'})`)
    .trim()
    .replace(/\.$/, '');
  // The plan's refusal already says that nothing is written; say it once.
  const verdict = /refused/i.test(why) ? why : `${why}: refused, nothing written`;
  throw new ApplyRefusedError(`${verdict}. Objects to delete: ${list(objects)}`, 'threshold', objects);
}

function deactivates(op: PlanOperation): boolean {
  return (
    op.kind === 'patchUser' &&
    op.ops.some(
      (p) =>
        p.op === 'replace' &&
        ((p.path === 'active' && p.value === false) ||
          (!p.path && typeof p.value === 'object' && p.value !== null && (p.value as Record<string, unknown>)['active'] === false)),
    )
  );
}

/**
 * Refuses a plan that would delete or deactivate every active full admin of the org. Reads the
 * admins from the cloud (one filtered list; on Webex, every user's roles); costs nothing when the plan
 * deletes no user.
 */
export async function checkFullAdmins(plan: SyncPlan, client: ScimClient, signal?: AbortSignal): Promise<void> {
  const removing = [...operationsOfKinds(plan.payload, ['deleteUser', 'patchUser'])].filter(
    (o) => o.kind === 'deleteUser' || deactivates(o),
  );
  if (removing.length === 0) return;
  const admins: Array<{ id: string; userName: string; externalId?: string }> = [];
  const webex = client.flavor === 'webex';
  const collect = async (filtered: boolean): Promise<void> => {
    for await (const u of client.users.list({
      ...(filtered
        ? { filter: scimFilter.and(scimFilter.valuePath('roles', scimFilter.eq('value', 'id_full_admin')), scimFilter.eq('active', true)) }
        : {}),
      // Webex answers whole users (its documents require userType and meta in every answer).
      ...(webex ? {} : { attributes: ['userName', 'roles', 'active', 'externalId'] }),
      ...(signal ? { signal } : {}),
    })) {
      if (u.id && u.active !== false && isFullAdmin(u))
        admins.push({ id: u.id, userName: String(u.userName ?? u.id), ...(u.externalId ? { externalId: String(u.externalId) } : {}) });
    }
  };
  try {
    // Webex's filter table has no `roles` or `active`: read every user's roles there.
    await collect(!webex);
  } catch (err) {
    // A target that cannot filter on roles (400 invalidFilter): read every user's roles instead.
    if (!(err instanceof ScimBadRequestError)) throw err;
    admins.length = 0;
    await collect(false);
  }
  if (admins.length === 0) return;
  const goneIds = new Set<string>();
  const goneNames = new Set<string>();
  const goneExt = new Set<string>();
  for (const o of removing) {
    if (o.kind !== 'deleteUser' && o.kind !== 'patchUser') continue;
    if (o.target.cloudId) goneIds.add(o.target.cloudId);
    if (o.target.userName) goneNames.add(o.target.userName.toLowerCase());
    if (o.target.externalId) goneExt.add(o.target.externalId);
  }
  const left = admins.filter(
    (a) => !goneIds.has(a.id) && !goneNames.has(a.userName.toLowerCase()) && !(a.externalId && goneExt.has(a.externalId)),
  );
  if (left.length > 0) return;
  const names = admins.map((a) => a.userName);
  throw new ApplyRefusedError(
    `refused, nothing written: the sync would delete or deactivate all ${admins.length} full administrator${admins.length === 1 ? '' : 's'} of the org (${list(names)}); protect them (policy.protected) or keep at least one`,
    'admins',
    names,
  );
}
