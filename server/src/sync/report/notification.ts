/**
 * The notification mail of a sync, as data (Directory Connector's Notification tab: a report to
 * the configured recipients after each sync, or only after failures): the subject says how the
 * sync ended and what it changed, the body the summary per category and every failure by object,
 * the attachment the standalone report. Pure; sync/engine/notify.ts sends it.
 */
import { REPORT_CATEGORIES, type SyncReport } from '../../../../common/report';
import type { NotificationConfig } from '../../../../common/config';
import type { ApplyResult } from '../contract';

/** How a sync ended. */
export type SyncOutcome =
  | { readonly kind: 'done'; readonly result: ApplyResult }
  | { readonly kind: 'failed'; readonly error: string; readonly refused?: boolean; readonly report?: SyncReport };

export interface NotificationAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: string;
}

export interface NotificationMessage {
  readonly subject: string;
  readonly text: string;
  readonly attachments: readonly NotificationAttachment[];
}

export interface NotificationInput {
  readonly outcome: SyncOutcome;
  /** The config's name, or its file name. */
  readonly name: string;
  readonly configFile: string;
  /** The full report on disk (the report JSON of the run), named in the mail. */
  readonly reportFile?: string;
  /** The standalone HTML report to attach; undefined when it is too large or could not be built. */
  readonly reportHtml?: string;
  /** Why the report is not attached (too large, …), said in the body. */
  readonly notAttached?: string;
}

/** Whether a sync that ended this way is mailed: always, or only on failure (`onlyOnFailure`). */
export function shouldNotify(n: NotificationConfig, outcome: SyncOutcome): boolean {
  if (!n.enabled || n.recipients.length === 0 || !n.smtp) return false;
  return !n.onlyOnFailure || failed(outcome);
}

function failed(outcome: SyncOutcome): boolean {
  return outcome.kind === 'failed' || outcome.result.failed > 0;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** The mail for a sync's outcome. */
export function notificationMessage(input: NotificationInput): NotificationMessage {
  const { outcome } = input;
  const report = outcome.kind === 'done' ? outcome.result.report : outcome.report;
  const mode = report?.mode === 'incremental' ? 'incremental sync' : 'full sync';
  const lines: string[] = [];
  let subject: string;
  if (outcome.kind === 'failed') {
    const verdict = outcome.refused ? 'refused, nothing written' : 'failed';
    subject = `Dirsync: ${input.name}: ${mode} ${verdict}`;
    lines.push(`The ${mode} of ${input.name} ${verdict}:`, '', `  ${outcome.error}`, '');
  } else {
    const r = outcome.result;
    const s = r.report.summary;
    const changes = `${s.added} added, ${s.modified} modified, ${s.deleted} deleted, ${s.deactivated} deactivated`;
    subject = r.failed
      ? `Dirsync: ${input.name}: ${mode} finished with ${plural(r.failed, 'failure')} (${changes})`
      : `Dirsync: ${input.name}: ${mode} succeeded (${changes})`;
    lines.push(
      `The ${mode} of ${input.name} ${r.failed ? 'finished with failures' : 'succeeded'}: ${plural(r.applied, 'change')} written to the cloud` +
        `${r.resumed ? `, ${r.resumed} already written by an interrupted run` : ''}` +
        `${r.failed ? `, ${plural(r.failed, 'change')} failed` : ''}` +
        `${r.skipped ? `, ${r.skipped} skipped` : ''}.`,
      '',
    );
    if (r.failures.length) {
      lines.push('Failed:');
      for (const f of r.failures.slice(0, 50)) lines.push(`  ${f.label}: ${f.message}`);
      if (r.failures.length > 50) lines.push(`  … and ${r.failures.length - 50} more (see the report)`);
      lines.push('');
    }
  }
  if (report) {
    lines.push('Summary of the plan (objects per category):');
    const width = Math.max(...REPORT_CATEGORIES.map((c) => c.length));
    for (const c of REPORT_CATEGORIES) lines.push(`  ${c.padEnd(width)}  ${report.summary[c].toLocaleString('en-US')}`);
    const t = report.threshold;
    lines.push(
      '',
      `Deletion threshold: ${plural(t.deletions, 'deletion')} of ${plural(t.owned, 'owned cloud object')}: ${t.exceeded ? 'exceeded' : 'within the limit'}.`,
    );
    lines.push('', `Directory: ${report.directory.url}`, `Cloud: ${report.cloud.url}`, `Session: ${report.sessionId}`);
  }
  lines.push(`Config: ${input.configFile}`);
  if (input.reportFile) lines.push(`Report: ${input.reportFile}`);
  if (input.reportHtml) lines.push('', 'The report is attached: open it in a browser to search and filter the objects.');
  else if (input.notAttached) lines.push('', `The report is not attached (${input.notAttached}); it is in the file named above.`);
  const stamp = (report?.generatedAt ?? new Date().toISOString()).replace(/[:.]/g, '-');
  return {
    subject,
    text: `${lines.join('\n')}\n`,
    attachments: input.reportHtml
      ? [{ filename: `dirsync-report-${stamp}.html`, contentType: 'text/html; charset=utf-8', content: input.reportHtml }]
      : [],
  };
}
