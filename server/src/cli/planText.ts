/**
 * The plan as text for `dirsync plan`, `apply` and `sync`: a table of work per kind (to create,
 * update, deactivate, delete, unchanged, skipped), the objects of each action (bounded), and the
 * one-line verdict (`Plan: create 41 users …` / `No changes …`). Colour only when the output is a
 * terminal. Pure: tests read exactly what the user reads.
 */
import { REPORT_ACTIONS, type AttributeChange, type ReportAction, type ReportItem, type SyncReport } from '../../../common/report';
import { reportItemsWithActions } from '../../../common/reportItems';
import {
  CHANGE_ACTIONS,
  type ChangeAction,
  type WorkKind,
  type WorkSummary,
  WORK_ACTIONS,
  WORK_KINDS,
  planLine,
  reportWork,
  totalWork,
  verbOf,
  workActionOf,
  workKindOf,
} from '../../../common/work';

/** Objects listed per kind and action unless `--all`. */
export const DEFAULT_LIST_LIMIT = 10;

export interface TextStyle {
  /** ANSI colours (a terminal). */
  readonly colour: boolean;
}

const SGR = { create: '32', update: '33', deactivate: '35', delete: '31', bold: '1', dim: '2' } as const;
const MARK: Readonly<Record<ChangeAction, string>> = { create: '+', update: '~', deactivate: '-', delete: '-' };

function paint(style: TextStyle, code: string, text: string): string {
  return style.colour ? `\x1b[${code}m${text}\x1b[0m` : text;
}

const HEADINGS: Readonly<Record<(typeof WORK_ACTIONS)[number], string>> = {
  create: 'create',
  update: 'update',
  deactivate: 'deactivate',
  delete: 'delete',
  unchanged: 'unchanged',
  skipped: 'skipped',
};

/** The work table: one row per kind, one column per action. */
export function workTable(work: WorkSummary): string[] {
  const width = Math.max(...WORK_KINDS.map((k) => k.length));
  const cols = WORK_ACTIONS.map((a) => Math.max(HEADINGS[a].length, ...WORK_KINDS.map((k) => String(work[k][a]).length)));
  const row = (label: string, cells: readonly string[]) =>
    `  ${label.padEnd(width)}  ${cells.map((c, i) => c.padStart(cols[i]!)).join('  ')}`.trimEnd();
  return [
    row(
      '',
      WORK_ACTIONS.map((a) => HEADINGS[a]),
    ),
    ...WORK_KINDS.map((k) =>
      row(
        k,
        WORK_ACTIONS.map((a) => String(work[k][a])),
      ),
    ),
  ];
}

/** A value as the terminal shows it: strings quoted (JSON), `(none)` for an absent one. */
export function showValue(v: AttributeChange['old']): string {
  return v === undefined || v === null ? '(none)' : JSON.stringify(v);
}

/** Directory and cloud text is untrusted: control characters (a terminal's escapes) are shown as `\u001b`. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function who(item: ReportItem): string {
  const id = item.dn ?? item.userName ?? item.displayName ?? item.id;
  const also = item.dn && item.userName ? ` (${item.userName})` : '';
  return printable(`${id}${also}`);
}

/** The lines under one listed object: each attribute old → new (update) or why (delete, deactivate). */
function details(item: ReportItem, action: ChangeAction, kind: WorkKind): string[] {
  if (kind === 'pictures') {
    const a = item.avatar;
    const what = a?.sha256 ? `${a.contentType ?? 'image'} ${a.width ?? '?'}×${a.height ?? '?'}, SHA-256 ${a.sha256.slice(0, 12)}…` : '';
    return [printable([item.reason, what].filter(Boolean).join(': '))].filter(Boolean);
  }
  if (action === 'update') {
    const lines = (item.changes ?? []).map((c) => `${printable(c.attribute)}: ${showValue(c.old)} → ${showValue(c.new)}`);
    if (item.members?.added.length) lines.push(`members added: ${item.members.added.length}`);
    if (item.members?.removed.length) lines.push(`members removed: ${item.members.removed.length}`);
    return lines;
  }
  if (action === 'delete' || action === 'deactivate') return item.reason ? [`why: ${printable(item.reason)}`] : [];
  return [];
}

/** The report actions that are a change (neither unchanged nor skipped). */
const CHANGES: ReadonlySet<ReportAction> = new Set(
  REPORT_ACTIONS.filter((action) => !['unchanged', 'skipped'].includes(workActionOf({ action }))),
);

/**
 * The objects of each kind and action, `limit` per group (undefined: all), e.g.
 * `Users to create (41):` then `  + CN=…` lines, and `… and 31 more` past the limit.
 */
export function objectLists(report: Pick<SyncReport, 'items'>, style: TextStyle, limit: number | undefined): string[] {
  // One pass over the items (read one at a time when the report keeps them on disk); only the
  // ones shown are kept.
  const groups = new Map<string, { kind: WorkKind; action: ChangeAction; items: ReportItem[]; count: number }>();
  for (const item of reportItemsWithActions(report as SyncReport, CHANGES)) {
    const action = workActionOf(item);
    if (action === 'unchanged' || action === 'skipped') continue;
    const kind = workKindOf(item);
    const key = `${CHANGE_ACTIONS.indexOf(action)}:${WORK_KINDS.indexOf(kind)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind, action, items: [], count: 0 }));
    if (limit === undefined || g.items.length < limit) g.items.push(item);
    g.count++;
  }
  const out: string[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    const title = `${g.kind[0]!.toUpperCase()}${g.kind.slice(1)} to ${verbOf(g.kind, g.action, 'plan')} (${g.count}):`;
    out.push('', paint(style, SGR.bold, title));
    const shown = g.items;
    for (const item of shown) {
      out.push(`  ${paint(style, SGR[g.action], `${MARK[g.action]} ${who(item)}`)}`);
      for (const d of details(item, g.action, g.kind)) out.push(`      ${d}`);
    }
    if (shown.length < g.count)
      out.push(paint(style, SGR.dim, `  … and ${g.count - shown.length} more (--all lists every one; the report has them all)`));
  }
  return out;
}

/** `dirsync plan`'s text: heading, work table, the objects per action, threshold, messages, verdict. */
export function planText(report: SyncReport, style: TextStyle, limit: number | undefined, operations?: number): string[] {
  const work = reportWork(report);
  const out = [`${report.config.name ?? report.config.file}: ${report.directory.url} → ${report.cloud.url}`, ...workTable(work)];
  out.push(...objectLists(report, style, limit));
  if (out.length > 7) out.push('');
  const t = report.threshold;
  const limits = t.disabled
    ? 'disabled'
    : [t.limitCount !== undefined ? `count ${t.limitCount}` : '', t.limitPercent !== undefined ? `${t.limitPercent} %` : '']
        .filter(Boolean)
        .join(', ');
  out.push(
    `Deletion threshold: ${t.deletions} deletion${t.deletions === 1 ? '' : 's'} of ${t.owned} owned cloud object${t.owned === 1 ? '' : 's'} (limit ${limits || 'none'}): ${t.exceeded ? 'EXCEEDED' : 'ok'}`,
  );
  if (t.refusal) out.push(t.refusal);
  // The refusal is also one of the report's messages: printed once, above.
  for (const m of report.messages.filter((x) => x.severity !== 'information' && x.message !== t.refusal).slice(0, 20))
    out.push(printable(`${m.severity}: ${m.dn ? `${m.dn}: ` : ''}${m.message}`));
  // Every operation belongs to an item that counts as work; the fallback only guards the verdict.
  const verdict = totalWork(work) === 0 && operations ? `Plan: ${operations} operation${operations === 1 ? '' : 's'}.` : planLine(work);
  out.push(paint(style, SGR.bold, verdict));
  return out;
}
