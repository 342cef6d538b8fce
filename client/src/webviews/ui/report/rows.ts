/**
 * The columns of the report grid and how one report item fills a row. Rows are recycled by the
 * virtual list, so `fillRow` overwrites every cell it owns (text via `textContent` only).
 */
import type { ReportItem } from '../../../../../common/report';
import { itemTitle } from '../../../../../common/reportQuery';
import { codicon, h } from './dom';
import { ACTION_LABEL, OBJECT_ICON, TAB_LABEL } from './labels';
import { FALLBACK_ATTR, type ThumbnailLoader } from './thumbnails';

/** Column titles, in order; the category column shows only on the "All" tab (CSS). */
export const COLUMNS = [
  { key: 'name', title: 'Name' },
  { key: 'user', title: 'User name' },
  { key: 'category', title: 'Category' },
  { key: 'action', title: 'Action' },
  { key: 'details', title: 'Details' },
  { key: 'dn', title: 'Distinguished name' },
] as const;

/** The header row of the grid. */
export function createHeaderRow(): HTMLElement {
  return h(
    'div',
    { class: 'vheader', role: 'row' },
    ...COLUMNS.map((c) => h('span', { class: `cell col-${c.key}`, role: 'columnheader' }, c.title)),
  );
}

interface RowParts {
  readonly icon: HTMLSpanElement;
  readonly thumb: HTMLImageElement;
  readonly name: HTMLSpanElement;
  readonly user: HTMLSpanElement;
  readonly category: HTMLSpanElement;
  readonly action: HTMLSpanElement;
  readonly flag: HTMLSpanElement;
  readonly details: HTMLSpanElement;
  readonly dn: HTMLSpanElement;
}

const parts = new WeakMap<HTMLElement, RowParts>();

/** An empty row with its cells; filled by {@link fillRow}. */
export function createRow(): HTMLElement {
  const icon = codicon('person', 'row-icon');
  icon.setAttribute(FALLBACK_ATTR, '');
  const thumb = h('img', { class: 'row-thumb', alt: '', width: 16, height: 16, hidden: true });
  const name = h('span', { class: 'text' });
  const user = h('span', { class: 'cell col-user', role: 'gridcell' });
  const category = h('span', { class: 'cell col-category', role: 'gridcell' });
  const flag = codicon('blank', 'row-flag');
  const actionText = h('span', { class: 'text' });
  const action = h('span', { class: 'cell col-action', role: 'gridcell' }, flag, actionText);
  const details = h('span', { class: 'cell col-details', role: 'gridcell' });
  const dn = h('span', { class: 'cell col-dn', role: 'gridcell' });
  const row = h(
    'div',
    null,
    h('span', { class: 'cell col-name', role: 'gridcell' }, icon, thumb, name),
    user,
    category,
    action,
    details,
    dn,
  );
  parts.set(row, { icon, thumb, name, user, category, action: actionText, flag, details, dn });
  return row;
}

/**
 * Writes `item` into a row made by {@link createRow}. Its thumbnail is asked for now, as the row is
 * on screen (the icon shows until it arrives).
 */
export function fillRow(row: HTMLElement, item: ReportItem, thumbnails: ThumbnailLoader): void {
  const p = parts.get(row)!;
  p.icon.className = `codicon codicon-${OBJECT_ICON[item.objectType] ?? 'question'} row-icon`;
  thumbnails.bind(p.thumb, item.avatar);
  const title = itemTitle(item);
  p.name.textContent = title;
  p.name.title = title;
  p.user.textContent = item.userName ?? '';
  p.category.textContent = TAB_LABEL[item.category] ?? item.category;
  p.action.textContent = ACTION_LABEL[item.action] ?? item.action;
  row.dataset.action = item.action;
  const severity = item.errors?.length ? 'error' : item.warnings?.length ? 'warning' : '';
  p.flag.className = `codicon codicon-${severity || 'blank'} row-flag${severity ? ` flag-${severity}` : ''}`;
  p.flag.title = severity === 'error' ? 'Has errors' : severity === 'warning' ? 'Has warnings' : '';
  p.details.textContent = describe(item);
  p.dn.textContent = item.dn ?? '';
  p.dn.title = item.dn ?? '';
}

/** The "Details" cell: what changes, in a few words. */
export function describe(item: ReportItem): string {
  if (item.errors?.length) return item.errors[0]!;
  const bits: string[] = [];
  const changes = item.changes ?? [];
  if (changes.length) {
    const names = changes
      .slice(0, 3)
      .map((c) => c.attribute)
      .join(', ');
    const what = item.action === 'create' ? (changes.length === 1 ? 'value' : 'values') : changes.length === 1 ? 'attribute' : 'attributes';
    bits.push(`${changes.length} ${what}: ${names}${changes.length > 3 ? ', …' : ''}`);
  }
  if (item.members && (item.members.added.length || item.members.removed.length)) {
    bits.push(`members +${item.members.added.length} −${item.members.removed.length}`);
  }
  if (item.avatar) bits.push(`avatar ${item.avatar.status}${item.avatar.reason ? `: ${item.avatar.reason}` : ''}`);
  if (!bits.length && item.reason) bits.push(item.reason);
  return bits.join(' · ');
}
