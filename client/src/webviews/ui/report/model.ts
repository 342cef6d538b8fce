/**
 * The report as the UI holds it: items in report order, an index per category, and a folded
 * search text per item, built in idle time after the first rows are painted so that opening a
 * 100k-object report stays fast. Queries return row index arrays; nothing here touches the DOM.
 */
import type { ReportCategory, ReportItem, ReportMessage, SyncReport } from '../../../../../common/report';
import { foldForSearch, isUnchanged, itemSearchText } from '../../../../../common/reportQuery';
import type { ReportFilter, ReportTab } from '../../../../../common/webviewMessages';
import { TAB_ORDER } from './labels';

/** Rows of one tab under a filter, and the count every tab would show under the same filter. */
export interface ViewResult {
  readonly rows: ArrayLike<number>;
  readonly counts: Readonly<Record<ReportTab, number>>;
}

export type ReportMeta = Omit<SyncReport, 'items'>;

export class ReportModel {
  readonly items: ReportItem[] = [];
  private readonly byCategory = new Map<ReportCategory, number[]>();
  private readonly haystacks: string[] = [];
  private unchanged = new Uint8Array(0);
  private ids: Map<string, number> | undefined;
  private messageIndex: Map<string, ReportMessage[]> | undefined;
  /** The last text query and the items it matched: a longer query only re-checks those. */
  private lastText: { query: string; size: number; matches: Int32Array } | undefined;

  constructor(
    readonly meta: ReportMeta,
    /** Items the report holds in total (more may still be arriving in pieces). */
    readonly expectedCount: number,
  ) {}

  get complete(): boolean {
    return this.items.length >= this.expectedCount;
  }

  /** Adds items at the end (a piece of a report sent in pieces, or all of them). */
  append(items: readonly ReportItem[]): void {
    const start = this.items.length;
    const grown = new Uint8Array(start + items.length);
    grown.set(this.unchanged);
    for (let k = 0; k < items.length; k++) {
      const item = items[k]!;
      const i = start + k;
      this.items.push(item);
      let list = this.byCategory.get(item.category);
      if (!list) this.byCategory.set(item.category, (list = []));
      list.push(i);
      grown[i] = isUnchanged(item) ? 1 : 0;
      this.ids?.set(item.id, i);
    }
    this.unchanged = grown;
    this.lastText = undefined;
  }

  /** Builds search texts for up to `budgetMs`; returns true once every item has one. */
  indexSome(budgetMs: number): boolean {
    const end = performance.now() + budgetMs;
    const items = this.items;
    let i = this.haystacks.length;
    while (i < items.length) {
      this.haystacks.push(itemSearchText(items[i]!));
      i++;
      if ((i & 255) === 0 && performance.now() > end) break;
    }
    return this.haystacks.length >= items.length;
  }

  /** Index of the item with this id, or -1. */
  indexOf(id: string): number {
    if (!this.ids) {
      this.ids = new Map();
      this.items.forEach((item, i) => this.ids!.set(item.id, i));
    }
    return this.ids.get(id) ?? -1;
  }

  /** Report messages about this object (same DN or userName, case-insensitively). */
  messagesFor(item: ReportItem): ReportMessage[] {
    if (!this.messageIndex) {
      this.messageIndex = new Map();
      for (const m of this.meta.messages) {
        for (const key of [m.dn && `dn:${m.dn.toLowerCase()}`, m.userName && `user:${m.userName.toLowerCase()}`]) {
          if (!key) continue;
          const list = this.messageIndex.get(key) ?? [];
          list.push(m);
          this.messageIndex.set(key, list);
        }
      }
    }
    const found = new Set<ReportMessage>();
    if (item.dn) for (const m of this.messageIndex.get(`dn:${item.dn.toLowerCase()}`) ?? []) found.add(m);
    if (item.userName) for (const m of this.messageIndex.get(`user:${item.userName.toLowerCase()}`) ?? []) found.add(m);
    return [...found];
  }

  /** Count of items per tab without any filter. */
  totals(): Record<ReportTab, number> {
    const counts = {} as Record<ReportTab, number>;
    for (const tab of TAB_ORDER) counts[tab] = tab === 'all' ? this.items.length : (this.byCategory.get(tab)?.length ?? 0);
    return counts;
  }

  /** The rows of `tab` under `filter`, and every tab's count under the same filter. */
  view(tab: ReportTab, filter: ReportFilter): ViewResult {
    const n = this.items.length;
    const query = foldForSearch(filter.query.trim());
    if (query === '' && !filter.hideUnchanged) {
      return { rows: tab === 'all' ? range(n) : (this.byCategory.get(tab) ?? []), counts: this.totals() };
    }
    const mask = new Uint8Array(n);
    if (query === '') {
      for (let i = 0; i < n; i++) mask[i] = 1;
    } else {
      for (const i of this.textMatches(query)) mask[i] = 1;
    }
    if (filter.hideUnchanged) {
      const unchanged = this.unchanged;
      for (let i = 0; i < n; i++) if (unchanged[i]) mask[i] = 0;
    }
    const counts = {} as Record<ReportTab, number>;
    for (const t of TAB_ORDER) counts[t] = 0;
    const items = this.items;
    let all = 0;
    for (let i = 0; i < n; i++) {
      if (mask[i]) {
        counts[items[i]!.category]++;
        all++;
      }
    }
    counts.all = all;
    let rows: Int32Array;
    if (tab === 'all') {
      rows = new Int32Array(all);
      for (let i = 0, k = 0; i < n; i++) if (mask[i]) rows[k++] = i;
    } else {
      const list = this.byCategory.get(tab) ?? [];
      rows = new Int32Array(counts[tab]);
      let k = 0;
      for (const i of list) if (mask[i]) rows[k++] = i;
    }
    return { rows, counts };
  }

  /** Indices whose search text contains `query` (already folded). */
  private textMatches(query: string): Int32Array {
    const n = this.items.length;
    // Search before the idle indexer finished: finish it now (once).
    if (this.haystacks.length < n) this.indexSome(Number.POSITIVE_INFINITY);
    const hay = this.haystacks;
    const last = this.lastText;
    const out = new Int32Array(n);
    let k = 0;
    if (last && last.size === n && query.includes(last.query)) {
      // Narrowing: whatever contains the longer query contains the shorter one.
      for (const i of last.matches) if (hay[i]!.includes(query)) out[k++] = i;
    } else {
      for (let i = 0; i < n; i++) if (hay[i]!.includes(query)) out[k++] = i;
    }
    const matches = out.slice(0, k);
    this.lastText = { query, size: n, matches };
    return matches;
  }
}

let rangeCache = new Int32Array(0);
/** 0…n-1, shared between calls (read-only by convention). */
function range(n: number): Int32Array {
  if (rangeCache.length !== n) {
    rangeCache = new Int32Array(n);
    for (let i = 0; i < n; i++) rangeCache[i] = i;
  }
  return rangeCache;
}
