/**
 * A report whose items are not held in memory. A dry run of a large directory writes each report
 * item out as it is decided (sync/engine/itemSpool.ts) instead of keeping 100,000 of them: the
 * report it returns reads them back on demand. `reportItems` streams them one at a time; the
 * `items` property still works (it reads them all into memory the first time it is used), so a
 * caller that needs the array gets it and only pays for it then.
 */
import type { ReportAction, ReportItem, SyncReport } from './report';

/** The report items kept outside the report object, read back in order. */
export interface ItemSource extends Iterable<ReportItem> {
  /** How many items there are. */
  readonly count: number;
  /** Only the items whose action is one of `actions`, in order, the others not read (when the source can). */
  withActions?(actions: ReadonlySet<ReportAction>): Iterable<ReportItem>;
}

const SOURCE = Symbol('dirsync.reportItemSource');

type WithSource = SyncReport & { readonly [SOURCE]?: ItemSource };

/** The report's items one at a time, without reading them all into memory when they are kept outside. */
export function reportItems(report: SyncReport): Iterable<ReportItem> {
  return (report as WithSource)[SOURCE] ?? report.items;
}

/**
 * The report's items whose action is one of `actions`, in order. Items kept outside are filtered
 * before they are parsed: a dry run of 100,000 unchanged users and a handful of changes reads the
 * handful.
 */
export function* reportItemsWithActions(report: SyncReport, actions: ReadonlySet<ReportAction>): Iterable<ReportItem> {
  const source = (report as WithSource)[SOURCE];
  if (source?.withActions) {
    yield* source.withActions(actions);
    return;
  }
  for (const item of reportItems(report)) if (actions.has(item.action)) yield item;
}

/** How many items the report has, without reading them. */
export function reportItemCount(report: SyncReport): number {
  return (report as WithSource)[SOURCE]?.count ?? report.items.length;
}

/**
 * `fields` with a property `key` whose array is read from `source` the first time it is used, and
 * `source` kept under the symbol `tag` (not enumerable) for readers that stream it instead.
 */
export function withLazyList<F extends object, T>(fields: F, key: string, source: Iterable<T>, tag: symbol): F {
  let list: readonly T[] | undefined;
  const out = { ...fields };
  Object.defineProperty(out, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      list ??= [...source];
      return list;
    },
  });
  Object.defineProperty(out, tag, { value: source, enumerable: false });
  return out;
}

/** A report whose `items` are read from `source` the first time they are used. */
export function lazyReport(fields: Omit<SyncReport, 'items'>, source: ItemSource): SyncReport {
  return withLazyList(fields, 'items', source, SOURCE) as SyncReport;
}

/** The report with some fields replaced; items kept outside stay outside (a spread would read them all). */
export function withReport(report: SyncReport, patch: Partial<Omit<SyncReport, 'items'>>): SyncReport {
  const source = (report as WithSource)[SOURCE];
  if (!source) return { ...report, ...patch };
  return lazyReport({ ...reportFields(report), ...patch }, source);
}

/** Where the report's items are kept when not in the report object; undefined when they are in it. */
export function itemSourceOf(report: SyncReport): ItemSource | undefined {
  return (report as WithSource)[SOURCE];
}

/** The report's fields but its items, without reading the items. */
export function reportFields(report: SyncReport): Omit<SyncReport, 'items'> {
  const fields: Record<string, unknown> = {};
  for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(report))) if (k !== 'items' && d.enumerable) fields[k] = d.value;
  return fields as unknown as Omit<SyncReport, 'items'>;
}
