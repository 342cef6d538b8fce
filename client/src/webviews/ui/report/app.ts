/**
 * The report UI's controller: owns the view state (tab, filter, selection, scroll, detail pane),
 * turns it into rows through the model, and keeps it across hide/show through the host.
 *
 * After every change of the visible rows it dispatches `dirsync-report:rendered` on `document`
 * (detail: reason, tab, rows) — the hook the Chromium tests and the benchmark wait on.
 *
 * Over 400 lines: the report UI's controller, wiring the model, the list, the detail pane and the host messages.
 */
import type { ConfigRef, ReportItem } from '../../../../../common/report';
import { itemsToCsv, viewToJson } from '../../../../../common/reportExport';
import {
  REPORT_PROTOCOL_VERSION,
  isReportTab,
  type ExportFormat,
  type HostToReportMessage,
  type ReportFilter,
  type ReportTab,
  type ReportViewState,
} from '../../../../../common/webviewMessages';
import { renderDetail, type DetailActions } from './detail';
import { h, replaceChildren } from './dom';
import { TAB_LABEL, formatCount } from './labels';
import { ReportModel, type ReportMeta } from './model';
import { renderCards, renderHeading, renderMessages, renderThreshold, renderWork } from './overview';
import type { ReportHost } from './host';
import { createHeaderRow, createRow, fillRow } from './rows';
import { ThumbnailLoader } from './thumbnails';
import { Toolbar } from './toolbar';
import { VirtualList } from './virtualList';

/** Pixels per row; matches `--row-height` in styles/layout.css (VS Code's list rows are 22px). */
export const ROW_HEIGHT = 22;
/** Quiet time that ends a burst of keystrokes; the first keystroke after a pause searches at once. */
export const SEARCH_DEBOUNCE_MS = 120;

export const RENDERED_EVENT = 'dirsync-report:rendered';

const DEFAULT_STATE: ReportViewState = { tab: 'all', filter: { query: '', hideUnchanged: false }, detailOpen: false, scrollTop: {} };

export class ReportApp {
  private model: ReportModel | undefined;
  private rows: ArrayLike<number> = [];
  private state: ReportViewState;
  private readonly toolbar: Toolbar;
  private readonly list: VirtualList;
  private readonly detail: HTMLElement;
  private readonly overview: HTMLElement;
  private readonly main: HTMLElement;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private lastSearchAt = Number.NEGATIVE_INFINITY;
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  private indexing = false;
  /** An object to focus once the piece holding it arrives. */
  private pendingFocus: string | undefined;
  private pendingFocusTab: ReportTab | undefined;
  /** A scroll offset to apply once the rows are there (restored state, tab switch, new filter). */
  private pendingScroll: number | undefined;
  /** Thumbnails of the rows on screen, asked for as rows are filled. */
  readonly thumbnails: ThumbnailLoader;

  constructor(
    private readonly host: ReportHost,
    private readonly root: HTMLElement,
  ) {
    this.thumbnails = new ThumbnailLoader(host.kind === 'vscode' ? (sha256) => host.post({ type: 'thumbnails', sha256 }) : undefined);
    const saved = host.getState();
    this.state = {
      ...DEFAULT_STATE,
      ...saved,
      tab: isReportTab(saved?.tab) ? saved.tab : 'all',
      filter: { ...DEFAULT_STATE.filter, ...saved?.filter },
      scrollTop: { ...saved?.scrollTop },
    };
    this.toolbar = new Toolbar({
      onTab: (tab) => this.setTab(tab),
      onQuery: (query) => this.onQueryInput(query),
      onHideUnchanged: (hide) => this.setFilter({ ...this.state.filter, hideUnchanged: hide }),
      onExport: (format) => this.exportView(format),
      onLeaveSearch: () => this.focusList(),
    });
    this.list = new VirtualList({
      rowHeight: ROW_HEIGHT,
      label: 'Report objects',
      header: createHeaderRow(),
      createRow,
      updateRow: (el, index) => fillRow(el, this.itemAt(index)!, this.thumbnails),
      onActiveChange: (index) => this.onActive(index),
      onOpen: (index) => this.openDetail(index),
      onScroll: (top) => this.onScroll(top),
      onRendered: (reason) => this.emitRendered(reason),
    });
    this.detail = h('aside', { class: 'detail', 'aria-label': 'Object details', tabindex: -1, hidden: true });
    this.detail.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.closeDetail();
      }
    });
    this.list.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.state.detailOpen) {
        e.preventDefault();
        this.closeDetail();
      }
    });
    this.overview = h('div', { class: 'overview' }, h('p', { class: 'loading' }, 'Waiting for the report…'));
    this.main = h('div', { class: 'main' }, this.list.element, this.detail);
    this.root.replaceChildren(this.overview, this.toolbar.tabs, this.toolbar.bar, this.main);
    this.toolbar.setFilter(this.state.filter.query, this.state.filter.hideUnchanged);
    this.toolbar.selectTab(this.state.tab);
    document.addEventListener('keydown', (e) => this.onGlobalKey(e));
    // VS Code drops a hidden webview's page: save a throttled scroll position before it goes.
    window.addEventListener('pagehide', () => this.flushState());
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && this.flushState());
  }

  /** Announces the UI to the host (which then sends the report). */
  ready(): void {
    this.host.post({ type: 'ready', protocol: REPORT_PROTOCOL_VERSION });
  }

  /** Handles one message from the host. */
  receive(message: HostToReportMessage): void {
    switch (message.type) {
      case 'report':
        this.load(message.report, message.report.items.length);
        this.model!.append(message.report.items);
        this.showRows();
        break;
      case 'reportBegin':
        this.load(message.report, message.itemCount);
        break;
      case 'reportItems':
        if (!this.model || message.offset !== this.model.items.length) return;
        this.model.append(message.items);
        this.showRows();
        if (this.pendingFocus !== undefined && (this.model.indexOf(this.pendingFocus) >= 0 || this.model.complete))
          this.focusItem(this.pendingFocus, this.pendingFocusTab);
        break;
      case 'theme':
        document.documentElement.dataset.theme = message.kind;
        break;
      case 'focusItem':
        this.focusItem(message.id, message.tab);
        break;
      case 'thumbnailData':
        this.thumbnails.receive(message);
        break;
      case 'exportResult':
        this.toolbar.setStatus(
          message.ok ? `Saved ${message.detail}` : message.detail === 'cancelled' ? '' : `Export failed: ${message.detail}`,
        );
        break;
    }
  }

  /** Selects an item, showing the tab and clearing a filter that hides it, and opens its details. */
  focusItem(id: string, tab?: ReportTab): void {
    const index = this.model?.indexOf(id) ?? -1;
    this.pendingFocus = undefined;
    this.pendingFocusTab = undefined;
    if (index < 0 && !this.model?.complete) {
      this.pendingFocus = id;
      this.pendingFocusTab = tab;
      return;
    }
    if (!this.model || index < 0) {
      this.toolbar.setStatus(`No object with id ${id} in this report.`);
      return;
    }
    const item = this.model.items[index]!;
    if (tab === 'all' || tab === item.category) this.state = { ...this.state, tab };
    else if (this.state.tab !== 'all' && this.state.tab !== item.category) this.state = { ...this.state, tab: item.category };
    this.state = { ...this.state, selectedId: id, detailOpen: true };
    let row = this.rowOf(index, this.computeRows());
    if (row < 0) {
      this.state = { ...this.state, filter: { query: '', hideUnchanged: false } };
      this.toolbar.setFilter('', false);
      row = this.rowOf(index, this.computeRows());
    }
    this.toolbar.selectTab(this.state.tab);
    this.showRows();
    this.list.setActive(row);
    this.openDetail(row);
  }

  // --- loading ---------------------------------------------------------------------------------

  private load(meta: ReportMeta, expected: number): void {
    const { items: _ignored, ...rest } = meta as ReportMeta & { items?: unknown };
    void _ignored;
    this.model = new ReportModel(rest, expected);
    this.thumbnails.forgetMissing();
    // An indexing loop of a previous report stops by itself (it checks the model).
    this.indexing = false;
    delete document.body.dataset.indexed;
    // A saved state belongs to one report; another report starts fresh.
    if (this.state.sessionId !== undefined && this.state.sessionId !== rest.sessionId) {
      this.state = { ...DEFAULT_STATE };
      this.toolbar.setFilter('', false);
      this.toolbar.selectTab('all');
    }
    this.state = { ...this.state, sessionId: rest.sessionId };
    this.pendingScroll = this.state.scrollTop[this.state.tab] ?? 0;
    const actions = this.detailActions();
    replaceChildren(
      this.overview,
      renderHeading(rest, actions),
      renderThreshold(rest, () => this.showTab('deleted')),
      renderWork(rest),
      renderCards(rest.summary, (tab) => this.showTab(tab)),
      renderMessages(rest.messages, actions),
    );
    document.title = `${rest.config.name ?? rest.config.file} — dirsync report`;
  }

  /**
   * Recomputes the rows and renders them, keeping the selection. A pending scroll offset is
   * applied until the last piece of the report has arrived (before that the list may be too short).
   */
  private showRows(): void {
    if (!this.model) return;
    const started = performance.now();
    const { rows, counts } = this.computeView();
    this.rows = rows;
    const f = this.state.filter;
    this.toolbar.setCounts(counts, f.query.trim() !== '' || f.hideUnchanged);
    this.toolbar.setRowCount(rows.length, this.model.expectedCount);
    const selected = this.state.selectedId !== undefined ? this.rowOf(this.model.indexOf(this.state.selectedId), rows) : -1;
    this.list.element.classList.toggle('show-category', this.state.tab === 'all');
    this.list.element.setAttribute('aria-label', `${TAB_LABEL[this.state.tab]}: ${formatCount(rows.length)} objects`);
    const scrollTop = this.pendingScroll;
    if (this.model.complete) this.pendingScroll = undefined;
    this.list.setData(rows.length, { ...(scrollTop !== undefined ? { scrollTop } : {}), active: selected });
    if (this.state.detailOpen && selected >= 0) this.renderDetailFor(selected);
    // The selected object may sit in a piece still to come: close the pane only once all are in.
    else if (this.state.detailOpen && this.model.complete) this.closeDetail(false);
    document.body.dataset.renderMs = (performance.now() - started).toFixed(1);
    document.body.dataset.loaded = String(this.model.complete);
    this.startIndexing();
  }

  private computeView() {
    return this.model!.view(this.state.tab, this.state.filter);
  }

  private computeRows(): ArrayLike<number> {
    return this.computeView().rows;
  }

  /** Builds the search index in idle slices after the rows are on screen. */
  private startIndexing(): void {
    if (this.indexing || !this.model) return;
    this.indexing = true;
    const model = this.model;
    const step = (deadline?: IdleDeadline) => {
      const budget = deadline ? Math.max(4, deadline.timeRemaining()) : 8;
      if (model !== this.model) return;
      if (model.indexSome(budget)) {
        // Caught up; the next piece of the report restarts indexing through showRows().
        this.indexing = false;
        if (model.complete) document.body.dataset.indexed = 'true';
        return;
      }
      if (typeof requestIdleCallback === 'function') requestIdleCallback(step, { timeout: 200 });
      else setTimeout(step, 0);
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(step, { timeout: 200 });
    else setTimeout(step, 0);
  }

  // --- view state -------------------------------------------------------------------------------

  private showTab(tab: ReportTab): void {
    this.toolbar.selectTab(tab);
    this.setTab(tab);
    this.focusList();
  }

  private setTab(tab: ReportTab): void {
    if (tab === this.state.tab) return;
    this.state = { ...this.state, tab, scrollTop: { ...this.state.scrollTop, [this.state.tab]: this.list.scrollTop } };
    this.pendingScroll = this.state.scrollTop[tab] ?? 0;
    this.showRows();
    this.persist();
  }

  private onQueryInput(query: string): void {
    clearTimeout(this.searchTimer);
    const run = () => {
      this.lastSearchAt = performance.now();
      this.setFilter({ ...this.state.filter, query });
    };
    // Leading edge after a pause (the first keystroke answers at once), trailing edge within a burst.
    if (performance.now() - this.lastSearchAt > SEARCH_DEBOUNCE_MS) run();
    else this.searchTimer = setTimeout(run, SEARCH_DEBOUNCE_MS);
  }

  private setFilter(filter: ReportFilter): void {
    this.state = { ...this.state, filter, scrollTop: { ...this.state.scrollTop, [this.state.tab]: 0 } };
    this.pendingScroll = 0;
    this.showRows();
    this.persist();
  }

  private onActive(row: number): void {
    const item = this.itemAt(row);
    if (!item) return;
    this.state = { ...this.state, selectedId: item.id };
    if (this.state.detailOpen) this.renderDetailFor(row);
    this.persist();
  }

  private onScroll(top: number): void {
    this.state = { ...this.state, scrollTop: { ...this.state.scrollTop, [this.state.tab]: top } };
    this.persist(150);
  }

  private openDetail(row: number): void {
    const item = this.itemAt(row);
    if (!item) return;
    this.state = { ...this.state, selectedId: item.id, detailOpen: true };
    this.renderDetailFor(row);
    this.persist();
  }

  private closeDetail(focus = true): void {
    this.detail.hidden = true;
    this.main.classList.remove('with-detail');
    this.state = { ...this.state, detailOpen: false };
    if (focus) this.focusList();
    this.persist();
  }

  private renderDetailFor(row: number): void {
    const item = this.itemAt(row);
    if (!item || !this.model) return;
    renderDetail(this.detail, item, this.model.messagesFor(item), this.detailActions());
    this.detail.hidden = false;
    this.main.classList.add('with-detail');
  }

  private detailActions(): DetailActions {
    return {
      canNavigate: this.host.canNavigate,
      openConfig: (ref: ConfigRef) => this.host.post({ type: 'openConfig', file: ref.file, line: ref.line, column: ref.column }),
      explain: (item: ReportItem) => this.host.post({ type: 'explain', id: item.id }),
      close: () => this.closeDetail(),
      thumbnails: this.thumbnails,
    };
  }

  private persist(delay = 0): void {
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    if (delay) this.persistTimer = setTimeout(() => this.flushState(), delay);
    else this.flushState();
  }

  private flushState(): void {
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    this.host.setState(this.state);
    this.host.post({ type: 'stateChanged', state: this.state });
  }

  // --- export and keys -------------------------------------------------------------------------

  private exportView(format: ExportFormat): void {
    if (!this.model) return;
    const { tab, filter } = this.state;
    if (this.host.kind === 'vscode') {
      this.toolbar.setStatus('Exporting…');
      this.host.post({ type: 'export', format, category: tab, filter });
      return;
    }
    const items = Array.from(this.rows, (i) => this.model!.items[i]!);
    const content =
      format === 'csv'
        ? itemsToCsv(items)
        : viewToJson(this.model.meta, items, { category: tab, filter, totalItems: this.model.items.length });
    const name = `dirsync-${this.model.meta.sessionId}-${tab}.${format}`.replace(/[^\w.-]+/g, '_');
    this.host.download(format, name, content);
    this.toolbar.setStatus(`Exported ${formatCount(items.length)} objects as ${format.toUpperCase()}`);
  }

  private onGlobalKey(e: KeyboardEvent): void {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.composedPath()[0];
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    e.preventDefault();
    this.toolbar.focusSearch();
  }

  private focusList(): void {
    if (this.list.active < 0 && this.list.size > 0) this.list.setActive(0);
    this.list.focus();
  }

  private itemAt(row: number): ReportItem | undefined {
    const i = this.rows[row];
    return i === undefined ? undefined : this.model?.items[i];
  }

  private rowOf(itemIndex: number, rows: ArrayLike<number>): number {
    if (itemIndex < 0) return -1;
    for (let r = 0; r < rows.length; r++) if (rows[r] === itemIndex) return r;
    return -1;
  }

  private emitRendered(reason: string): void {
    document.body.dataset.rows = String(this.rows.length);
    document.body.dataset.tab = this.state.tab;
    // The filter the rows were computed for: lets tests (and tools) tell fresh rows from stale ones.
    document.body.dataset.query = this.state.filter.query;
    document.dispatchEvent(new CustomEvent(RENDERED_EVENT, { detail: { reason, tab: this.state.tab, rows: this.rows.length } }));
  }
}
