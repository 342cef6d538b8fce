/**
 * Words and numbers the run commands show: the drift line of the status bar, the confirmation of a
 * sync or purge, the refusal over the deletion threshold. Pure (no `vscode`), so unit tests read
 * exactly what the user reads.
 */
import type { SyncReport } from '../../../common/report';
import type { PlanCounts } from '../../../common/requests';
import {
  CHANGE_ACTIONS,
  WORK_KINDS,
  skippedPhrase,
  totalOf,
  unchangedPhrase,
  verbOf,
  workPhrases,
  type WorkSummary,
} from '../../../common/work';

const n = (x: number) => x.toLocaleString('en-US');

/** The three numbers of the drift: objects and pictures to create, to update, to delete or deactivate. */
export interface DriftCounts {
  readonly create: number;
  readonly update: number;
  readonly remove: number;
}

export function driftCounts(work: WorkSummary): DriftCounts {
  return {
    create: totalOf(work, 'create'),
    update: totalOf(work, 'update'),
    remove: totalOf(work, 'delete') + totalOf(work, 'deactivate'),
  };
}

/** `+3 ~12 −1`: what a dry run would create, update and delete or deactivate (pictures included). */
export function driftText(d: DriftCounts): string {
  return `+${n(d.create)} ~${n(d.update)} −${n(d.remove)}`;
}

/** `create 3 users; upload 1 picture` → `Create 3 users; upload 1 picture.` (empty stays empty). */
function sentence(phrases: readonly string[]): string {
  const s = phrases.join('; ');
  return s ? `${s[0]!.toUpperCase()}${s.slice(1)}.` : '';
}

/** One line per kind with work, e.g. `Users: 41 to create, 2 to update`; empty without work. */
export function workLines(work: WorkSummary): string[] {
  return WORK_KINDS.flatMap((k) => {
    const parts = CHANGE_ACTIONS.filter((a) => work[k][a]).map((a) => `${n(work[k][a])} to ${verbOf(k, a, 'plan')}`);
    return parts.length ? [`${k[0]!.toUpperCase()}${k.slice(1)}: ${parts.join(', ')}`] : [];
  });
}

/** The confirmation's question and detail for applying a reviewed plan. */
export function confirmation(
  kind: 'full' | 'purgeAvatars',
  counts: PlanCounts,
  report: Pick<SyncReport, 'cloud' | 'sessionId' | 'threshold' | 'work'>,
): { message: string; detail: string } {
  const target = report.cloud.orgId ? `${report.cloud.url} (org ${report.cloud.orgId})` : report.cloud.url;
  if (kind === 'purgeAvatars') {
    return {
      message: `Remove ${n(counts.avatars)} avatar${counts.avatars === 1 ? '' : 's'} from the cloud?`,
      detail: `Users whose avatar source in the directory is empty lose their cloud avatar.\n\n${n(counts.operations)} operations on ${target}. Session ${report.sessionId}.`,
    };
  }
  const work = report.work;
  const lines = workLines(work);
  const rest = [unchangedPhrase(work), skippedPhrase(work)].filter(Boolean).join('; ');
  if (rest) lines.push(`${rest[0]!.toUpperCase()}${rest.slice(1)}.`);
  if (counts.invalid) lines.push(`Invalid (not sent): ${n(counts.invalid)}`);
  const t = report.threshold;
  const threshold = t.disabled
    ? 'Deletion threshold: disabled.'
    : `Deletions: ${n(t.deletions)} of ${n(t.owned)} owned objects, within the threshold.`;
  return {
    message: `Apply this plan to the cloud? ${sentence(workPhrases(work, 'plan')) || `${n(counts.operations)} operation${counts.operations === 1 ? '' : 's'}.`}`,
    detail: `${lines.join('\n')}\n\n${threshold}\nTarget: ${target}. Session ${report.sessionId}.`,
  };
}

/** The refusal over the deletion threshold, with the first objects that would go. */
export function refusalText(report: SyncReport, message: string | undefined, show = 10): { message: string; detail: string } {
  const going = report.items.filter((i) => i.category === 'deleted' || i.action === 'delete');
  const names = going.slice(0, show).map((i) => `• ${i.dn ?? i.userName ?? i.displayName ?? i.id}`);
  if (going.length > show) names.push(`… and ${n(going.length - show)} more (see the report's Deleted tab).`);
  return {
    message: `Sync refused: over the deletion threshold. Nothing was written.`,
    detail: `${message ?? report.threshold.refusal ?? ''}\n\nObjects that would be deleted:\n${names.join('\n')}`,
  };
}
