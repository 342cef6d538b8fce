/**
 * Counts that mean work: per kind of object (users, rooms, groups, contacts, pictures), how many a
 * plan creates, updates, deactivates, deletes, leaves unchanged or skips — like Terraform's
 * "Plan: 3 to add, 1 to change, 0 to destroy". The report's categories stay its tabs (Directory
 * Connector's vocabulary); these counts are what the summary lines, the overview, the confirmation
 * and the status bar say. The one place that classifies a report item as work: the CLI, the
 * engine, the webview and the extension all call it.
 */
import type { ReportItem } from './report';

export type WorkKind = 'users' | 'rooms' | 'groups' | 'contacts' | 'pictures';
export const WORK_KINDS: readonly WorkKind[] = ['users', 'rooms', 'groups', 'contacts', 'pictures'];
const OBJECT_KINDS: readonly WorkKind[] = ['users', 'rooms', 'groups', 'contacts'];

/**
 * What happens to one object. Pictures: `create` uploads one where the cloud shows none, `update`
 * replaces the cloud's, `delete` removes it. `skipped`: not written although the directory has it
 * (invalid values, contacts on a target without a contacts API, protected objects, pictures that
 * could not be read).
 */
export type WorkAction = 'create' | 'update' | 'deactivate' | 'delete' | 'unchanged' | 'skipped';
export const WORK_ACTIONS: readonly WorkAction[] = ['create', 'update', 'deactivate', 'delete', 'unchanged', 'skipped'];
/** The actions that write to the cloud. */
export const CHANGE_ACTIONS = ['create', 'update', 'deactivate', 'delete'] as const satisfies readonly WorkAction[];
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

export type WorkCount = Readonly<Record<WorkAction, number>>;
/** Counts per kind, every kind and action present, zero included. */
export type WorkSummary = Readonly<Record<WorkKind, WorkCount>>;

/** The kind an item counts under: its picture for an avatar item, else its object type. */
export function workKindOf(item: Pick<ReportItem, 'category' | 'objectType'>): WorkKind {
  if (item.category === 'avatars') return 'pictures';
  switch (item.objectType) {
    case 'room':
      return 'rooms';
    case 'group':
      return 'groups';
    case 'contact':
      return 'contacts';
    default:
      return 'users';
  }
}

/** What applying the plan does to the item's object. */
export function workActionOf(item: Pick<ReportItem, 'action' | 'avatar'>): WorkAction {
  switch (item.action) {
    case 'create':
      return 'create';
    case 'update':
    case 'reactivate':
      return 'update';
    case 'deactivate':
      return 'deactivate';
    case 'delete':
    case 'avatarRemove':
      return 'delete';
    case 'avatarUpload':
      return item.avatar?.cloudUrl ? 'update' : 'create';
    case 'skip':
      return 'skipped';
    default:
      return 'unchanged';
  }
}

export function emptyWork(): Record<WorkKind, Record<WorkAction, number>> {
  const zero = (): Record<WorkAction, number> => ({ create: 0, update: 0, deactivate: 0, delete: 0, unchanged: 0, skipped: 0 });
  return { users: zero(), rooms: zero(), groups: zero(), contacts: zero(), pictures: zero() };
}

/**
 * The work of a plan's items. With `done`, only the items it holds count as work (what an apply
 * did: an item whose operations all completed); the others are left out.
 */
export function countWork(items: Iterable<ReportItem>, done?: ReadonlySet<string>): WorkSummary {
  const out = emptyWork();
  for (const item of items) {
    const action = workActionOf(item);
    if (done && (!isChange(action) || !done.has(item.id))) continue;
    out[workKindOf(item)][action]++;
  }
  return out;
}

export function isChange(action: WorkAction): action is ChangeAction {
  return action === 'create' || action === 'update' || action === 'deactivate' || action === 'delete';
}

/** Objects written, over every kind (0: the plan changes nothing). */
export function totalWork(work: WorkSummary): number {
  let n = 0;
  for (const k of WORK_KINDS) for (const a of CHANGE_ACTIONS) n += work[k][a];
  return n;
}

/** Counts of one action over every kind. */
export function totalOf(work: WorkSummary, action: WorkAction): number {
  return WORK_KINDS.reduce((n, k) => n + work[k][action], 0);
}

/** The verb of an action for a kind, as a plan says it (`to create`) and as an apply says it (`created`). */
export function verbOf(kind: WorkKind, action: WorkAction, tense: 'plan' | 'done'): string {
  const picture: Partial<Record<WorkAction, [string, string]>> = {
    create: ['upload', 'uploaded'],
    update: ['replace', 'replaced'],
    delete: ['remove', 'removed'],
  };
  const words: Record<WorkAction, [string, string]> = {
    create: ['create', 'created'],
    update: ['update', 'updated'],
    deactivate: ['deactivate', 'deactivated'],
    delete: ['delete', 'deleted'],
    unchanged: ['leave unchanged', 'unchanged'],
    skipped: ['skip', 'skipped'],
  };
  const [plan, done] = (kind === 'pictures' ? picture[action] : undefined) ?? words[action];
  return tense === 'plan' ? plan : done;
}

const SINGULAR: Readonly<Record<WorkKind, string>> = {
  users: 'user',
  rooms: 'room',
  groups: 'group',
  contacts: 'contact',
  pictures: 'picture',
};

const fmt = (n: number) => n.toLocaleString('en-US');

/** `1 user`, `41 users`. */
export function kindCount(kind: WorkKind, n: number): string {
  return `${fmt(n)} ${n === 1 ? SINGULAR[kind] : kind}`;
}

/**
 * The work as phrases, one per verb with a non-zero count, e.g. `create 41 users, 6 rooms and 18
 * groups`, `upload 13 pictures` (plan) or `created …`, `uploaded …` (done). Empty when nothing changes.
 */
export function workPhrases(work: WorkSummary, tense: 'plan' | 'done'): string[] {
  const byVerb = new Map<string, string[]>();
  // Objects first, then their pictures: `create 3 users; update 1 group; upload 2 pictures`.
  const order = [
    ...CHANGE_ACTIONS.flatMap((a) => OBJECT_KINDS.map((k) => [k, a] as const)),
    ...CHANGE_ACTIONS.map((a) => ['pictures', a] as const),
  ];
  for (const [kind, action] of order) {
    const n = work[kind][action];
    if (!n) continue;
    const verb = verbOf(kind, action, tense);
    const list = byVerb.get(verb) ?? [];
    list.push(kindCount(kind, n));
    byVerb.set(verb, list);
  }
  return [...byVerb].map(([verb, list]) => `${verb} ${joinAnd(list)}`);
}

/** `a`, `a and b`, `a, b and c`. */
export function joinAnd(list: readonly string[]): string {
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

/**
 * The plan's one-line summary: `Plan: create 41 users, 6 rooms and 18 groups; upload 13 pictures.`
 * or `No changes: the cloud matches the directory.` — never a non-zero count on a plan without work.
 */
export function planLine(work: WorkSummary): string {
  const phrases = workPhrases(work, 'plan');
  return phrases.length ? `Plan: ${phrases.join('; ')}.` : 'No changes: the cloud matches the directory.';
}

/** What was left alone, e.g. `41 users, 6 rooms, 18 groups and 13 pictures unchanged`; empty when none. */
export function unchangedPhrase(work: WorkSummary): string {
  const list = WORK_KINDS.filter((k) => work[k].unchanged).map((k) => kindCount(k, work[k].unchanged));
  return list.length ? `${joinAnd(list)} unchanged` : '';
}

/** What is not written, e.g. `12 contacts and 3 users skipped`; empty when none. */
export function skippedPhrase(work: WorkSummary): string {
  const list = WORK_KINDS.filter((k) => work[k].skipped).map((k) => kindCount(k, work[k].skipped));
  return list.length ? `${joinAnd(list)} skipped` : '';
}

/** A report's work: its `work`, or counted from its items for a report written before version 2. */
export function reportWork(report: { readonly work?: WorkSummary; readonly items: readonly ReportItem[] }): WorkSummary {
  return report.work ?? countWork(report.items);
}
