/**
 * CodeLens titles over the object selections: how many entries the filter matches right now,
 * flagged when the number is suspiciously far from the last dry run's (a filter typo that drops
 * most users shows here before a sync deletes them).
 */
import type { ObjectKind } from '../../../../common/config';
import { countOf, formatCount, type SelectionCount } from './facts';

/**
 * True when a live count differs from the last dry run's by more than 20 % and by more than 10
 * entries: ordinary churn (a few joiners and leavers) stays quiet, a filter that lost or gained a
 * whole OU does not.
 */
export function isSuspiciousCount(now: number, last: number): boolean {
  const diff = Math.abs(now - last);
  return diff > 10 && diff > 0.2 * last;
}

export interface SelectionLens {
  readonly title: string;
  /** The count differs suspiciously from the last dry run. */
  readonly flagged: boolean;
}

/** The title of a selection's CodeLens. `count` undefined: still counting. */
export function selectionLensTitle(kind: ObjectKind, count: SelectionCount | undefined, lastDryRun?: number): SelectionLens {
  if (!count) return { title: `$(sync~spin) counting ${kind}…`, flagged: false };
  if (count.state === 'failed') return { title: `$(error) ${kind}: ${count.message}`, flagged: false };
  const n = countOf(count.count, kind);
  const verb = count.count === 1 ? 'matches' : 'match';
  const text = count.complete ? `${n} ${verb}` : `at least ${n} ${verb} (size limit)`;
  if (lastDryRun !== undefined && count.complete && isSuspiciousCount(count.count, lastDryRun)) {
    return { title: `⚠ ${text} — last dry run had ${formatCount(lastDryRun)}`, flagged: true };
  }
  return { title: text, flagged: false };
}
