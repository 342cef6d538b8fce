/**
 * Every message between the extension host and the report webview, as tagged unions. The host
 * (`reportPanel.ts`) and the browser UI (`ui/report/`) both import this file, so a renamed field
 * breaks the typecheck on both sides instead of failing silently at run time (the pattern of
 * vscode-hexeditor and vscode-eslint's shared protocol files).
 *
 * Messages cross a trust boundary in both directions: the host validates what the webview sends
 * with {@link isReportToHostMessage} before acting on it, and the UI checks the tag of what it
 * receives with {@link isHostToReportMessage}.
 *
 * No `vscode` and no DOM imports here: this file is bundled into the browser UI too.
 */
import { REPORT_CATEGORIES, type ReportCategory, type ReportItem, type SyncReport } from './report';

/**
 * Bumped when a message changes meaning; the UI announces the version it speaks in `ready`.
 * 2: thumbnails are asked for (`thumbnails`) and answered (`thumbnailData`) per visible row.
 */
export const REPORT_PROTOCOL_VERSION = 2;

/** Most thumbnails one `thumbnails` request may ask for (a screenful of rows, with room to spare). */
export const MAX_THUMBNAILS_PER_REQUEST = 256;

/** A tab of the report: one per category, plus every item at once. */
export type ReportTab = ReportCategory | 'all';

/** What narrows the rows of a tab; the same filter drives the list and the export. */
export interface ReportFilter {
  /** Case- and accent-insensitive substring over DN, userName, displayName and attribute values. */
  readonly query: string;
  /** Hide objects the plan leaves alone (action `none`, no attribute and no membership change). */
  readonly hideUnchanged: boolean;
}

/**
 * The UI state that survives the webview being hidden and shown again (VS Code discards the
 * webview's DOM when `retainContextWhenHidden` is off; the UI restores this from `getState`).
 */
export interface ReportViewState {
  readonly sessionId?: string;
  readonly tab: ReportTab;
  readonly filter: ReportFilter;
  readonly selectedId?: string;
  readonly detailOpen: boolean;
  /** Scroll offset in pixels, per tab. */
  readonly scrollTop: Readonly<Partial<Record<ReportTab, number>>>;
}

export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

export type ExportFormat = 'csv' | 'json';

// ---------------------------------------------------------------------------------------------
// Host → UI

/** The whole report in one message. */
export interface ReportMessage {
  readonly type: 'report';
  readonly report: SyncReport;
}

/**
 * The start of a report sent in pieces: everything but the items, then `reportItems` messages in
 * order. The UI paints the first rows as soon as the first piece arrives.
 */
export interface ReportBeginMessage {
  readonly type: 'reportBegin';
  readonly report: Omit<SyncReport, 'items'>;
  readonly itemCount: number;
}

export interface ReportItemsMessage {
  readonly type: 'reportItems';
  /** Index of `items[0]` in the report. */
  readonly offset: number;
  readonly items: readonly ReportItem[];
  /** True on the last piece. */
  readonly done: boolean;
}

/** Overrides the colour scheme of the standalone page (inside VS Code the theme comes from VS Code). */
export interface ThemeMessage {
  readonly type: 'theme';
  readonly kind: ThemeKind;
}

/** Selects an object, switches to a tab that shows it and opens its details. */
export interface FocusItemMessage {
  readonly type: 'focusItem';
  readonly id: string;
  /** Show this tab (one that lists the item, e.g. `deleted` for a refused sync) instead of keeping the current one. */
  readonly tab?: ReportTab;
}

/**
 * The answer to a `thumbnails` request: per hash asked for, the thumbnail as a `data:` URL, or no
 * `dataUri` when there is none (the file is gone, or the report does not refer to that hash).
 */
export interface ThumbnailDataMessage {
  readonly type: 'thumbnailData';
  readonly thumbnails: ReadonlyArray<{ readonly sha256: string; readonly dataUri?: string }>;
}

/** The outcome of an `export` request, shown in the UI's status line. */
export interface ExportResultMessage {
  readonly type: 'exportResult';
  readonly ok: boolean;
  /** Where the file went, or why it did not (`cancelled` when the user closed the dialog). */
  readonly detail: string;
}

export type HostToReportMessage =
  | ReportMessage
  | ReportBeginMessage
  | ReportItemsMessage
  | ThemeMessage
  | FocusItemMessage
  | ExportResultMessage
  | ThumbnailDataMessage;

// ---------------------------------------------------------------------------------------------
// UI → host

/** The UI has loaded and listens: the host (re)sends the report. Sent again after every reload. */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly protocol: number;
}

/** Reveal a config file at a 1-based line and column (a `ConfigRef` from the report). */
export interface OpenConfigMessage {
  readonly type: 'openConfig';
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Save the current view (tab + filter) as CSV or JSON; the host asks where. */
export interface ExportMessage {
  readonly type: 'export';
  readonly format: ExportFormat;
  /** Absent or `all`: every category. */
  readonly category?: ReportTab;
  readonly filter?: ReportFilter;
}

/** Run "Explain Object" for this report item. */
export interface ExplainMessage {
  readonly type: 'explain';
  readonly id: string;
}

/** The view state changed (also saved with `setState`); lets the host reopen the same view. */
export interface StateChangedMessage {
  readonly type: 'stateChanged';
  readonly state: ReportViewState;
}

/**
 * The thumbnails of rows that became visible, by the hashes the report's items hold
 * (`avatar.thumbnail.sha256`); the host reads the files beside the saved report and answers with
 * `thumbnailData`. Rows that never show are never asked for.
 */
export interface ThumbnailsMessage {
  readonly type: 'thumbnails';
  readonly sha256: readonly string[];
}

export type ReportToHostMessage =
  | ReadyMessage
  | OpenConfigMessage
  | ExportMessage
  | ExplainMessage
  | StateChangedMessage
  | ThumbnailsMessage;

// ---------------------------------------------------------------------------------------------
// Guards at the boundary

/** The report's tabs in order: everything, then one per category (the one category list). */
export const REPORT_TABS: readonly ReportTab[] = ['all', ...REPORT_CATEGORIES];
const TABS: ReadonlySet<string> = new Set<string>(REPORT_TABS);

/** True for a known tab name. */
export function isReportTab(value: unknown): value is ReportTab {
  return typeof value === 'string' && TABS.has(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isFilter(value: unknown): value is ReportFilter {
  return isRecord(value) && typeof value.query === 'string' && typeof value.hideUnchanged === 'boolean';
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** Validates a message from the webview before the host acts on it (the webview renders untrusted data). */
export function isReportToHostMessage(value: unknown): value is ReportToHostMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
      return typeof value.protocol === 'number';
    case 'openConfig':
      return typeof value.file === 'string' && isPositiveInt(value.line) && isPositiveInt(value.column);
    case 'export':
      return (
        (value.format === 'csv' || value.format === 'json') &&
        (value.category === undefined || isReportTab(value.category)) &&
        (value.filter === undefined || isFilter(value.filter))
      );
    case 'explain':
      return typeof value.id === 'string';
    case 'stateChanged':
      return isRecord(value.state) && isReportTab(value.state.tab) && isFilter(value.state.filter);
    case 'thumbnails':
      return (
        Array.isArray(value.sha256) &&
        value.sha256.length <= MAX_THUMBNAILS_PER_REQUEST &&
        value.sha256.every((s) => typeof s === 'string' && SHA256.test(s))
      );
    default:
      return false;
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Checks the tag and the fields the UI relies on of a message from the host. */
export function isHostToReportMessage(value: unknown): value is HostToReportMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'report':
      return isRecord(value.report) && Array.isArray(value.report.items);
    case 'reportBegin':
      return isRecord(value.report) && typeof value.itemCount === 'number';
    case 'reportItems':
      return typeof value.offset === 'number' && Array.isArray(value.items) && typeof value.done === 'boolean';
    case 'theme':
      return value.kind === 'light' || value.kind === 'dark' || value.kind === 'highContrast' || value.kind === 'highContrastLight';
    case 'focusItem':
      return typeof value.id === 'string' && (value.tab === undefined || isReportTab(value.tab));
    case 'exportResult':
      return typeof value.ok === 'boolean' && typeof value.detail === 'string';
    case 'thumbnailData':
      return Array.isArray(value.thumbnails) && value.thumbnails.every((t) => isRecord(t) && typeof t.sha256 === 'string');
    default:
      return false;
  }
}
