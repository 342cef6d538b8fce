/**
 * Pure queries over a {@link SyncReport}: the search and "hide unchanged" filter of the report UI,
 * shared by the browser UI (which keeps an index for speed), the extension host (exports) and
 * the CLI. No DOM, no `node:*`: this file is bundled into the webview.
 */
import type { AttributeChange, ReportCategory, ReportItem, SyncReport } from './report';

/** The tabs a view can show: a category, or every item. */
export type ReportViewCategory = ReportCategory | 'all';

/** The filter the UI applies; mirrors `ReportFilter` of the webview protocol. */
export interface ReportItemFilter {
  readonly query: string;
  readonly hideUnchanged: boolean;
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/**
 * Folds text for searching: lower case (locale-independent) and without combining accents, so
 * `muller` finds `Müller` and `ZOE` finds `Zoë`. Applied to both the query and the haystack.
 */
export function foldForSearch(text: string): string {
  const lower = text.toLowerCase();
  // Pure ASCII needs no decomposition; most directory values are ASCII, and NFD is the costly step.
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(lower) ? lower : lower.normalize('NFD').replace(COMBINING_MARKS, '');
}

function pushValue(parts: string[], value: string | boolean | null | undefined): void {
  if (typeof value === 'string' && value !== '') parts.push(value);
}

/**
 * The searchable text of an item, folded: DN, userName, displayName, ids, attribute names, SCIM
 * paths and old/new values, group member DNs, reason, warnings and errors. Parts are joined with
 * `\n` so a query cannot match across two fields.
 */
export function itemSearchText(item: ReportItem): string {
  const parts: string[] = [];
  pushValue(parts, item.displayName);
  pushValue(parts, item.userName);
  pushValue(parts, item.dn);
  pushValue(parts, item.objectGuid);
  pushValue(parts, item.cloudId);
  pushValue(parts, item.reason);
  for (const c of item.changes ?? []) {
    parts.push(c.attribute);
    if (c.scimPath !== c.attribute) parts.push(c.scimPath);
    pushValue(parts, c.old);
    pushValue(parts, c.new);
  }
  if (item.members) {
    for (const m of item.members.added) parts.push(m);
    for (const m of item.members.removed) parts.push(m);
  }
  if (item.avatar) {
    pushValue(parts, item.avatar.reason);
    pushValue(parts, item.avatar.url);
  }
  for (const w of item.warnings ?? []) parts.push(w);
  for (const n of item.notes ?? []) parts.push(n);
  for (const e of item.errors ?? []) parts.push(e);
  return foldForSearch(parts.join('\n'));
}

/**
 * True when applying the plan leaves the object alone: action `none`, no attribute change and no
 * membership change. Matched users and unchanged avatars are the bulk of a steady-state report.
 */
export function isUnchanged(item: ReportItem): boolean {
  return (
    item.action === 'none' &&
    !(item.changes && item.changes.length > 0) &&
    !(item.members && (item.members.added.length > 0 || item.members.removed.length > 0))
  );
}

/** True when the item belongs in the view: its category (or `all`) and the filter. */
export function itemInView(item: ReportItem, category: ReportViewCategory, filter: ReportItemFilter): boolean {
  if (category !== 'all' && item.category !== category) return false;
  if (filter.hideUnchanged && isUnchanged(item)) return false;
  const q = foldForSearch(filter.query.trim());
  return q === '' || itemSearchText(item).includes(q);
}

/** The items of a view, in report order. */
export function selectItems(
  report: Pick<SyncReport, 'items'>,
  category: ReportViewCategory = 'all',
  filter: ReportItemFilter = { query: '', hideUnchanged: false },
): ReportItem[] {
  return report.items.filter((item) => itemInView(item, category, filter));
}

/** Counts items per category; every category is present, zero included. */
export function countByCategory(items: readonly ReportItem[], categories: readonly ReportCategory[]): Record<ReportCategory, number> {
  const counts = Object.fromEntries(categories.map((c) => [c, 0])) as Record<ReportCategory, number>;
  for (const item of items) counts[item.category] = (counts[item.category] ?? 0) + 1;
  return counts;
}

/** A value as the report shows it: `(none)` for absent, `true`/`false` for booleans. */
export function formatValue(value: AttributeChange['old']): string {
  if (value === undefined || value === null) return '(none)';
  return typeof value === 'boolean' ? String(value) : value;
}

/** `title: "Engineer" → "Senior Engineer"`, the one-line form used in exports. */
export function formatChange(change: AttributeChange): string {
  const q = (v: AttributeChange['old']) => (typeof v === 'string' ? JSON.stringify(v) : formatValue(v));
  return `${change.scimPath}: ${q(change.old)} → ${q(change.new)}`;
}

/** The name a row shows first: displayName, else userName, else the DN's first RDN value, else the id. */
export function itemTitle(item: ReportItem): string {
  if (item.displayName) return item.displayName;
  if (item.userName) return item.userName;
  if (item.dn) return firstRdnValue(item.dn);
  return item.id;
}

/**
 * `CN=Müller\, Hans,OU=Sales,…` → `Müller, Hans`: the first RDN's value with RFC 4514 §3 escapes
 * undone (`\,` and hex pairs, which are UTF-8 bytes: `\C3\BC` is `ü`).
 */
export function firstRdnValue(dn: string): string {
  const eq = dn.indexOf('=');
  if (eq < 0) return dn;
  let value = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length) value += new TextDecoder().decode(new Uint8Array(bytes));
    bytes = [];
  };
  for (let i = eq + 1; i < dn.length; i++) {
    const ch = dn[i]!;
    if (ch === '\\' && i + 1 < dn.length) {
      const hex = dn.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
      flush();
      value += dn[++i];
      continue;
    }
    flush();
    if (ch === ',' || ch === '+') break;
    value += ch;
  }
  flush();
  return value.trim() || dn;
}
