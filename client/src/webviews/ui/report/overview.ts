/**
 * The top of the report: what was compared (config, directory, cloud, when), the deletion
 * threshold (a refusal in plain words when exceeded), what the plan does per kind (counts that
 * mean work), one card per category (the report's tabs), and the report's messages.
 */
import { REPORT_CATEGORIES, type ReportCategory, type ReportMessage } from '../../../../../common/report';
import type { ReportTab } from '../../../../../common/webviewMessages';
import type { DetailActions } from './detail';
import { configLink } from './detail';
import { codicon, h } from './dom';
import { CATEGORY_HINT, TAB_LABEL, formatCount } from './labels';
import type { ReportMeta } from './model';
import {
  WORK_ACTIONS,
  WORK_KINDS,
  kindCount,
  planLine,
  totalWork,
  verbOf,
  type WorkAction,
  type WorkSummary,
} from '../../../../../common/work';

/** Messages listed on the overview before "and N more". */
const MESSAGE_LIMIT = 200;

const MODE_LABEL: Readonly<Record<ReportMeta['mode'], string>> = {
  dryRun: 'Dry run',
  full: 'Full sync',
  incremental: 'Incremental sync',
  purgeAvatars: 'Avatar purge',
};

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** Title block: mode, config, directory, cloud, time and session. */
export function renderHeading(meta: ReportMeta, actions: Pick<DetailActions, 'canNavigate' | 'openConfig'>): HTMLElement {
  const file = meta.config.file;
  const configRef = { file, line: 1, column: 1, path: '' };
  return h(
    'header',
    { class: 'report-heading' },
    h(
      'h1',
      null,
      `${MODE_LABEL[meta.mode] ?? meta.mode} report`,
      meta.config.name ? h('span', { class: 'subtitle' }, ` — ${meta.config.name}`) : null,
    ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Config'),
      h('dd', null, configLink(configRef, actions)),
      h('dt', null, 'Directory'),
      h('dd', { class: 'mono' }, `${meta.directory.url} (${meta.directory.kind})`),
      h('dt', null, 'Cloud'),
      h('dd', { class: 'mono' }, `${meta.cloud.url}${meta.cloud.orgId ? ` (org ${meta.cloud.orgId})` : ''}`),
      h('dt', null, 'Generated'),
      h('dd', null, h('time', { datetime: meta.generatedAt }, when(meta.generatedAt)), ` · session ${meta.sessionId}`),
    ),
  );
}

/**
 * The deletion-threshold banner. Exceeded: an alert saying the sync will be refused and why, with
 * a button to the objects that would go. Otherwise a quiet line with the numbers.
 */
export function renderThreshold(meta: ReportMeta, showDeleted: () => void): HTMLElement {
  const t = meta.threshold;
  const pct = t.owned > 0 ? (t.deletions / t.owned) * 100 : 0;
  const limits = [
    t.limitCount !== undefined ? `${formatCount(t.limitCount)} objects` : '',
    t.limitPercent !== undefined ? `${t.limitPercent}%` : '',
  ]
    .filter(Boolean)
    .join(' or ');
  const numbers = `${formatCount(t.deletions)} of ${formatCount(t.owned)} owned objects would be deleted (${pct.toFixed(pct < 1 ? 2 : 1)}%)`;
  if (t.exceeded) {
    const show = h('vscode-button', { title: 'Show the objects this plan deletes' }, 'Show what would be deleted');
    show.addEventListener('click', showDeleted);
    return h(
      'div',
      { class: 'banner banner-error', role: 'alert' },
      codicon('error'),
      h(
        'div',
        { class: 'banner-text' },
        h('strong', null, 'A sync of this plan will be refused. Nothing will be written to the cloud.'),
        h('p', null, t.refusal ?? `${numbers}, over the deletion threshold${limits ? ` of ${limits}` : ''}.`),
        t.refusal ? h('p', { class: 'muted' }, `${numbers}; threshold ${limits || 'set'}.`) : null,
      ),
      show,
    );
  }
  if (t.disabled) {
    return h(
      'div',
      { class: 'banner banner-warning' },
      codicon('warning'),
      h('div', { class: 'banner-text' }, `The deletion threshold is disabled. ${numbers}.`),
    );
  }
  return h(
    'div',
    { class: 'banner banner-info' },
    codicon('shield'),
    h('div', { class: 'banner-text' }, `${numbers}; threshold ${limits || 'not set'}.`),
  );
}

const WORK_HEADINGS: Readonly<Record<WorkAction, string>> = {
  create: 'Create',
  update: 'Update',
  deactivate: 'Deactivate',
  delete: 'Delete',
  unchanged: 'Unchanged',
  skipped: 'Skipped',
};

/**
 * What the plan does, per kind: the one-line verdict (`Plan: create 41 users …` or `No changes`)
 * and a table of create / update / deactivate / delete / unchanged / skipped per kind (pictures:
 * create = upload, update = replace, delete = remove). Null for a report without `work`.
 */
export function renderWork(meta: Pick<ReportMeta, 'work'> & Partial<Pick<ReportMeta, 'mode'>>): HTMLElement | null {
  const work = meta.work as WorkSummary | undefined;
  if (!work) return null;
  const head = h('tr', null, h('th', { scope: 'col' }, ''), ...WORK_ACTIONS.map((a) => h('th', { scope: 'col' }, WORK_HEADINGS[a])));
  const rows = WORK_KINDS.map((k) =>
    h(
      'tr',
      { 'data-kind': k },
      h('th', { scope: 'row' }, k[0]!.toUpperCase() + k.slice(1)),
      ...WORK_ACTIONS.map((a) => {
        const n = work[k][a];
        const title = a === 'unchanged' || a === 'skipped' ? `${kindCount(k, n)} ${a}` : `${kindCount(k, n)} to ${verbOf(k, a, 'plan')}`;
        return h('td', { class: `work-${a}${n === 0 ? ' zero' : ''}`, title }, formatCount(n));
      }),
    ),
  );
  const changes = totalWork(work) > 0;
  return h(
    'section',
    { class: 'work', 'aria-label': 'What this plan does' },
    h('p', { class: `work-line${changes ? '' : ' no-changes'}` }, planLine(work)),
    h('table', { class: 'work-table' }, h('thead', null, head), h('tbody', null, ...rows)),
  );
}

/** One card per category (the report's tabs) with its count; a click opens the tab. */
export function renderCards(summary: Readonly<Record<ReportCategory, number>>, open: (tab: ReportTab) => void): HTMLElement {
  return h(
    'div',
    { class: 'cards', role: 'list' },
    ...REPORT_CATEGORIES.map((c) => {
      const n = summary[c] ?? 0;
      const card = h(
        'button',
        {
          type: 'button',
          class: `card card-${c}${n === 0 ? ' empty' : ''}`,
          role: 'listitem',
          'data-category': c,
          title: `Show ${TAB_LABEL[c]}`,
        },
        h('span', { class: 'card-count' }, formatCount(n)),
        h('span', { class: 'card-label' }, TAB_LABEL[c]),
        h('span', { class: 'card-hint' }, CATEGORY_HINT[c]),
      );
      card.addEventListener('click', () => open(c));
      return card;
    }),
  );
}

/** The report's messages in a collapsible list (errors first). */
export function renderMessages(
  messages: readonly ReportMessage[],
  actions: Pick<DetailActions, 'canNavigate' | 'openConfig'>,
): HTMLElement | null {
  if (!messages.length) return null;
  const rank = { error: 0, warning: 1, information: 2 } as const;
  const sorted = [...messages].sort((a, b) => rank[a.severity] - rank[b.severity]);
  const count = (s: ReportMessage['severity']) => messages.filter((m) => m.severity === s).length;
  const errors = count('error');
  const warnings = count('warning');
  const summaryText = `Messages: ${formatCount(errors)} ${errors === 1 ? 'error' : 'errors'}, ${formatCount(warnings)} ${warnings === 1 ? 'warning' : 'warnings'}, ${formatCount(count('information'))} info`;
  const items = sorted
    .slice(0, MESSAGE_LIMIT)
    .map((m) =>
      h(
        'li',
        { class: `message ${m.severity}` },
        codicon(m.severity === 'information' ? 'info' : m.severity),
        h('span', { class: 'message-text' }, m.message),
        m.dn ? h('span', { class: 'message-object mono' }, m.dn) : m.userName ? h('span', { class: 'message-object' }, m.userName) : null,
        m.configRef ? configLink(m.configRef, actions) : null,
      ),
    );
  const more =
    messages.length > MESSAGE_LIMIT
      ? h('li', { class: 'more' }, `and ${formatCount(messages.length - MESSAGE_LIMIT)} more (in the JSON export)`)
      : null;
  return h(
    'details',
    { class: 'report-messages', open: errors > 0 },
    h('summary', null, summaryText),
    h('ul', { class: 'messages' }, ...items, more),
  );
}
