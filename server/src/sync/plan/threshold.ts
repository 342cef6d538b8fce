/**
 * The deletion threshold (issue 6 "Full sync": count and percent, checked before the first write)
 * and the "would delete all full admins" guard, computed at plan time so a reviewer sees the
 * verdict the sync will reach.
 */
import type { DeleteThreshold } from '../../../../common/config';
import type { ReportThreshold } from '../../../../common/report';

export interface ThresholdInput {
  readonly policy: DeleteThreshold | undefined;
  /** Delete operations in the plan (users and groups). */
  readonly deletions: number;
  /** Cloud objects the config owns (the base of the percentage). */
  readonly owned: number;
  /** Full admins in the cloud, and how many of them the plan deletes. */
  readonly fullAdmins: number;
  readonly fullAdminsDeleted: number;
}

const pct = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * `exceeded` is true when the count or the percentage is over its limit, or when the plan deletes
 * every full admin; `refusal` says why in one sentence. A threshold explicitly `disabled` is never
 * exceeded by counts (the full-admin guard still holds).
 */
export function computeThreshold(t: ThresholdInput): ReportThreshold {
  const limitCount = t.policy?.count;
  const limitPercent = t.policy?.percent;
  const disabled = t.policy?.disabled ?? false;
  const percent = t.owned > 0 ? (t.deletions * 100) / t.owned : t.deletions > 0 ? 100 : 0;
  const reasons: string[] = [];
  if (!disabled) {
    if (limitCount !== undefined && t.deletions > limitCount) reasons.push(`more than policy.deleteThreshold.count (${limitCount})`);
    if (limitPercent !== undefined && t.deletions > 0 && percent > limitPercent)
      reasons.push(`more than policy.deleteThreshold.percent (${limitPercent} %)`);
  }
  const parts: string[] = [];
  if (reasons.length) {
    parts.push(`The plan deletes ${t.deletions} of ${t.owned} owned cloud objects (${pct(percent)} %), ${reasons.join(' and ')}`);
  }
  if (t.fullAdmins > 0 && t.fullAdminsDeleted >= t.fullAdmins) {
    parts.push(`the plan would delete all ${t.fullAdmins} full administrator${t.fullAdmins === 1 ? '' : 's'} of the organization`);
  }
  const exceeded = parts.length > 0;
  const refusal = exceeded ? `${parts.join('; ')}: a sync of this plan is refused and writes nothing.`.replace(/^t/, 'T') : undefined;
  return {
    deletions: t.deletions,
    owned: t.owned,
    ...(limitCount !== undefined ? { limitCount } : {}),
    ...(limitPercent !== undefined ? { limitPercent } : {}),
    disabled,
    exceeded,
    ...(refusal ? { refusal } : {}),
  };
}
