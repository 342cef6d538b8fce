/**
 * Exports of a report view (a tab and a filter) as CSV or JSON: what the report UI's "Export"
 * buttons save, in VS Code (through the host's save dialog) and in the standalone HTML report
 * (as a download). Pure: no DOM, no `node:*`.
 */
import { REPORT_CATEGORIES, type ReportItem, type SyncReport } from './report';
import { countByCategory, formatChange, type ReportItemFilter, type ReportViewCategory } from './reportQuery';
import { countWork } from './work';

/** The columns of the CSV export, in order (the header row). */
export const CSV_COLUMNS = [
  'category',
  'objectType',
  'action',
  'displayName',
  'userName',
  'dn',
  'objectGuid',
  'cloudId',
  'reason',
  'changes',
  'membersAdded',
  'membersRemoved',
  'avatarStatus',
  'avatarReason',
  'warnings',
  'errors',
  'configRef',
] as const;

/**
 * One CSV field per RFC 4180 (quoted when it holds a comma, quote or line break). A value that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first — OWASP "CSV
 * injection") is prefixed with `'`: directory values are untrusted and admins open exports in Excel.
 */
export function csvField(value: string): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function itemRow(item: ReportItem): string[] {
  const ref = item.configRef;
  return [
    item.category,
    item.objectType,
    item.action,
    item.displayName ?? '',
    item.userName ?? '',
    item.dn ?? '',
    item.objectGuid ?? '',
    item.cloudId ?? '',
    item.reason ?? '',
    (item.changes ?? []).map(formatChange).join('\n'),
    (item.members?.added ?? []).join('\n'),
    (item.members?.removed ?? []).join('\n'),
    item.avatar?.status ?? '',
    item.avatar?.reason ?? '',
    (item.warnings ?? []).join('\n'),
    (item.errors ?? []).join('\n'),
    ref ? `${ref.file}:${ref.line}:${ref.column}` : '',
  ];
}

/** The items as CSV: a header row, one row per object, CRLF line ends (RFC 4180), multi-valued cells one value a line. */
export function itemsToCsv(items: Iterable<ReportItem>): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const item of items) lines.push(itemRow(item).map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** What a JSON export says about the view it came from (an optional extra field of the report). */
export interface ReportExportView {
  readonly category: ReportViewCategory;
  readonly filter: ReportItemFilter;
  /** Items in the whole report; `items.length` is what the view kept. */
  readonly totalItems: number;
}

/**
 * The view as a JSON document that is itself a valid {@link SyncReport} (same format and version,
 * summary and work recounted over the kept items, messages kept whole) plus a `view` field saying how it
 * was cut, so it opens in the report UI and in scripts that read `dirsync plan --json`.
 */
export function viewToJson(
  report: Omit<SyncReport, 'items'> & { readonly items?: readonly ReportItem[] },
  items: readonly ReportItem[],
  view: ReportExportView,
): string {
  const { items: _all, ...rest } = report;
  void _all;
  const doc: SyncReport & { view: ReportExportView } = {
    ...rest,
    summary: countByCategory(items, REPORT_CATEGORIES),
    work: countWork(items),
    items,
    view,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
