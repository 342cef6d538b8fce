/**
 * The tab strip (one tab per category plus "All", each with a count) and the toolbar under it:
 * search, "hide unchanged", the row count, export buttons and a status line. Built from
 * @vscode-elements/elements so it looks and behaves like VS Code's own panels.
 */
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ExportFormat, ReportTab } from '../../../../../common/webviewMessages';
import { codicon, h } from './dom';
import { TAB_LABEL, TAB_ORDER, formatCount } from './labels';

export interface ToolbarEvents {
  onTab(tab: ReportTab): void;
  onQuery(query: string): void;
  onHideUnchanged(hide: boolean): void;
  onExport(format: ExportFormat): void;
  /** Escape or ArrowDown in the search box: back to the list. */
  onLeaveSearch(): void;
}

export class Toolbar {
  readonly tabs: HTMLElement;
  readonly bar: HTMLElement;
  readonly search: VscodeTextfield;
  private readonly hide: VscodeCheckbox;
  private readonly badges = new Map<ReportTab, HTMLElement>();
  private readonly countText: HTMLElement;
  private readonly status: HTMLElement;

  constructor(events: ToolbarEvents) {
    this.tabs = h('vscode-tabs', { class: 'tabs', 'aria-label': 'Report categories' });
    for (const tab of TAB_ORDER) {
      const badge = h('vscode-badge', { variant: 'counter', class: 'tab-count' }, '0');
      this.badges.set(tab, badge);
      this.tabs.appendChild(h('vscode-tab-header', { 'data-tab': tab, title: TAB_LABEL[tab] }, TAB_LABEL[tab], ' ', badge));
    }
    this.tabs.addEventListener('vsc-tabs-select', (e) => {
      const index = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      const tab = TAB_ORDER[index];
      if (tab) events.onTab(tab);
    });

    this.search = h('vscode-textfield', {
      class: 'search',
      placeholder: 'Search DN, user name, display name, values  ( / )',
    }) as VscodeTextfield;
    this.search.label = 'Search the report';
    this.search.appendChild(codicon('search', 'search-icon'));
    this.search.lastElementChild!.setAttribute('slot', 'content-before');
    this.search.addEventListener('input', () => events.onQuery(this.search.value));
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        if (this.search.value) {
          this.search.value = '';
          events.onQuery('');
        } else events.onLeaveSearch();
      } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
        e.preventDefault();
        events.onLeaveSearch();
      }
    });

    this.hide = h('vscode-checkbox', { class: 'hide-unchanged', label: 'Hide unchanged' }) as VscodeCheckbox;
    this.hide.addEventListener('change', () => events.onHideUnchanged(this.hide.checked));

    const csv = h('vscode-button', { secondary: true, class: 'export-csv', title: 'Save the rows of this view as CSV' }, 'Export CSV');
    csv.addEventListener('click', () => events.onExport('csv'));
    const json = h(
      'vscode-button',
      { secondary: true, class: 'export-json', title: 'Save the rows of this view as JSON (a report of the same format)' },
      'Export JSON',
    );
    json.addEventListener('click', () => events.onExport('json'));

    this.countText = h('span', { class: 'row-count', 'aria-live': 'polite' });
    this.status = h('span', { class: 'status', role: 'status' });
    this.bar = h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Filter and export' },
      this.search,
      this.hide,
      this.countText,
      h('span', { class: 'spacer' }),
      this.status,
      csv,
      json,
    );
  }

  /** Shows `tab` as selected (without firing `onTab`). */
  selectTab(tab: ReportTab): void {
    this.tabs.setAttribute('selected-index', String(TAB_ORDER.indexOf(tab)));
  }

  setCounts(counts: Readonly<Record<ReportTab, number>>, filtered: boolean): void {
    for (const [tab, badge] of this.badges) {
      const text = formatCount(counts[tab] ?? 0);
      if (badge.textContent !== text) badge.textContent = text;
      badge.parentElement?.classList.toggle('tab-empty', (counts[tab] ?? 0) === 0);
    }
    this.tabs.classList.toggle('filtered', filtered);
  }

  setFilter(query: string, hideUnchanged: boolean): void {
    if (this.search.value !== query) this.search.value = query;
    this.hide.checked = hideUnchanged;
  }

  setRowCount(shown: number, total: number): void {
    this.countText.textContent =
      shown === total ? `${formatCount(total)} objects` : `${formatCount(shown)} of ${formatCount(total)} objects`;
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  focusSearch(): void {
    this.search.focus();
    // Select what is there so typing replaces it, as in VS Code's find widgets.
    this.search.shadowRoot?.querySelector('input')?.select();
  }
}
