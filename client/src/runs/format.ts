/**
 * Words and numbers the run commands show: the drift line of the status bar, the confirmation of a
 * sync or purge, the refusal over the deletion threshold. Pure (no `vscode`), so unit tests read
 * exactly what the user reads.
 */
import type { ReportCategory, SyncReport } from '../../../common/report';
import type { PlanCounts } from '../../../common/requests';

const n = (x: number) => x.toLocaleString('en-US');

/** `+3 ~12 −1`: objects a dry run would add, modify and delete (deleted and deactivated together). */
export function driftText(summary: Readonly<Record<ReportCategory, number>>): string {
  return `+${n(summary.added)} ~${n(summary.modified)} −${n(summary.deleted + summary.deactivated)}`;
}

/** The confirmation's question and detail for applying a reviewed plan. */
export function confirmation(kind: 'full' | 'purgeAvatars', counts: PlanCounts, report: SyncReport): { message: string; detail: string } {
  const target = report.cloud.orgId ? `${report.cloud.url} (org ${report.cloud.orgId})` : report.cloud.url;
  if (kind === 'purgeAvatars') {
    return {
      message: `Remove ${n(counts.avatars)} avatar${counts.avatars === 1 ? '' : 's'} from the cloud?`,
      detail: `Users whose avatar source in the directory is empty lose their cloud avatar.\n\n${n(counts.operations)} operations on ${target}. Session ${report.sessionId}.`,
    };
  }
  const lines = [
    `Added: ${n(counts.added)}`,
    `Modified: ${n(counts.modified)}`,
    `Deleted: ${n(counts.deleted)}`,
    `Deactivated: ${n(counts.deactivated)}`,
    `Avatar changes: ${n(counts.avatars)}`,
  ];
  if (counts.invalid) lines.push(`Invalid (not sent): ${n(counts.invalid)}`);
  const t = report.threshold;
  const threshold = t.disabled
    ? 'Deletion threshold: disabled.'
    : `Deletions: ${n(t.deletions)} of ${n(t.owned)} owned objects, within the threshold.`;
  return {
    message: `Apply this plan to the cloud? ${n(counts.operations)} operation${counts.operations === 1 ? '' : 's'}.`,
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
