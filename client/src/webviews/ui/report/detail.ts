/**
 * The per-object detail pane: identity, why the object is in its category, the attribute diff
 * (old → new with the SCIM path and the config line that produced it), group membership changes,
 * the avatar, warnings, errors and the report's messages about the object. Built with DOM APIs
 * only; every value is untrusted text.
 */
import type { AttributeChange, ConfigRef, ReportItem, ReportMessage } from '../../../../../common/report';
import { itemTitle } from '../../../../../common/reportQuery';
import { codicon, h, replaceChildren } from './dom';
import { FALLBACK_ATTR, type ThumbnailLoader } from './thumbnails';
import { ACTION_LABEL, OBJECT_ICON, TAB_LABEL, formatCount } from './labels';
import { longText } from './longText';

export interface DetailActions {
  /** False in the standalone HTML report: no editor to open, no Explain. */
  readonly canNavigate: boolean;
  openConfig(ref: ConfigRef): void;
  explain(item: ReportItem): void;
  close(): void;
  /** Where the avatar's thumbnail comes from (asked for when the detail opens). */
  readonly thumbnails: ThumbnailLoader;
}

/** Members listed per side before "and N more". */
const MEMBER_LIMIT = 500;

/** `/a/b/corp.dirsync`, line 12, column 5 → `corp.dirsync:12:5`. */
function refLabel(ref: ConfigRef): string {
  const base = ref.file.split(/[\\/]/).pop() || ref.file;
  return `${base}:${ref.line}:${ref.column}`;
}

/** A link to a config line: a button posting `openConfig` in VS Code, plain text standalone. */
export function configLink(ref: ConfigRef, actions: Pick<DetailActions, 'canNavigate' | 'openConfig'>): HTMLElement {
  const label = refLabel(ref);
  const where = `${ref.file}, line ${ref.line}, column ${ref.column}${ref.path ? ` (${ref.path})` : ''}`;
  if (!actions.canNavigate) {
    return h('span', { class: 'config-ref', title: where }, codicon('go-to-file'), label);
  }
  const button = h('button', { type: 'button', class: 'link config-ref', title: `Open ${where}` }, codicon('go-to-file'), label);
  button.addEventListener('click', () => actions.openConfig(ref));
  return button;
}

function valueSpan(value: AttributeChange['old'], kind: 'old' | 'new'): HTMLElement {
  const label = kind === 'old' ? 'Old value' : 'New value';
  if (value === undefined || value === null) return h('span', { class: `value ${kind} none`, title: `${label}: not set` }, '(none)');
  return h('span', { class: `value ${kind}`, title: label }, typeof value === 'boolean' ? String(value) : longText(value));
}

function field(label: string, value: string | undefined, mono = false): HTMLElement[] {
  if (value === undefined || value === '') return [];
  return [h('dt', null, label), h('dd', { class: mono ? 'mono' : undefined }, longText(value))];
}

function section(title: string, ...children: Array<Node | null | undefined | false>): HTMLElement {
  return h('section', { class: 'detail-section' }, h('h3', null, title), ...children);
}

/**
 * One block per attribute: name, SCIM path and config line, then old → new (wraps at any width);
 * a create's values (`create`) have no old side: only the value sent.
 */
function changeList(changes: readonly AttributeChange[], actions: DetailActions, create = false): HTMLElement {
  return h(
    'ul',
    { class: 'changes' },
    ...changes.map((c) =>
      h(
        'li',
        { class: 'change', 'data-attribute': c.attribute },
        h(
          'div',
          { class: 'change-head' },
          h('span', { class: 'attr' }, c.attribute),
          h('span', { class: 'scim-path mono', title: 'SCIM path' }, c.scimPath),
          c.configRef ? configLink(c.configRef, actions) : null,
        ),
        create
          ? h('div', { class: 'change-values' }, valueSpan(c.new, 'new'))
          : h(
              'div',
              { class: 'change-values' },
              valueSpan(c.old, 'old'),
              h('span', { class: 'arrow', 'aria-label': 'becomes' }, '→'),
              valueSpan(c.new, 'new'),
            ),
      ),
    ),
  );
}

function memberList(title: string, dns: readonly string[], kind: 'added' | 'removed'): HTMLElement | null {
  if (!dns.length) return null;
  const shown = dns
    .slice(0, MEMBER_LIMIT)
    .map((dn) => h('li', { class: `member ${kind}` }, codicon(kind === 'added' ? 'add' : 'remove'), dn));
  const more =
    dns.length > MEMBER_LIMIT ? h('li', { class: 'more' }, `and ${formatCount(dns.length - MEMBER_LIMIT)} more (in the export)`) : null;
  return h('div', { class: 'members' }, h('h4', null, `${title} (${formatCount(dns.length)})`), h('ul', null, ...shown, more));
}

function messageList(messages: readonly ReportMessage[], actions: DetailActions): HTMLElement {
  return h(
    'ul',
    { class: 'messages' },
    ...messages.map((m) =>
      h(
        'li',
        { class: `message ${m.severity}` },
        codicon(m.severity === 'information' ? 'info' : m.severity),
        h('span', null, longText(m.message)),
        m.configRef ? configLink(m.configRef, actions) : null,
      ),
    ),
  );
}

function avatarSection(item: ReportItem, thumbnails: ThumbnailLoader): HTMLElement | null {
  const a = item.avatar;
  if (!a) return null;
  const img = h('img', { class: 'avatar-thumb', alt: `Avatar of ${itemTitle(item)}`, width: 96, height: 96, hidden: true });
  const none = h('div', { class: 'avatar-none', [FALLBACK_ATTR]: true }, codicon('account'), 'no thumbnail');
  const frame = h('div', { class: 'avatar-frame' }, img, none);
  thumbnails.bind(img, a);
  const size = a.width && a.height ? `${a.width} × ${a.height}` : undefined;
  return section(
    'Avatar',
    h(
      'div',
      { class: 'avatar' },
      frame,
      h(
        'dl',
        null,
        ...field('Status', a.status),
        ...field('Reason', a.reason),
        ...field('Source', a.source),
        ...field('URL', a.url, true),
        ...field('The cloud shows now', a.cloudUrl, true),
        ...field('Type', a.contentType),
        ...field('Size', a.bytes !== undefined ? `${formatCount(a.bytes)} bytes` : undefined),
        ...field('Dimensions', size),
        ...field('SHA-256', a.sha256, true),
      ),
    ),
  );
}

/** Fills `container` with the details of `item`. */
export function renderDetail(container: HTMLElement, item: ReportItem, messages: readonly ReportMessage[], actions: DetailActions): void {
  const close = h(
    'button',
    { type: 'button', class: 'icon-button', title: 'Close details (Escape)', 'aria-label': 'Close details' },
    codicon('close'),
  );
  close.addEventListener('click', () => actions.close());
  const buttons: HTMLElement[] = [];
  if (actions.canNavigate) {
    const explain = h('vscode-button', { secondary: true, title: 'Which selection took it in, which mapping made each value' }, 'Explain');
    explain.addEventListener('click', () => actions.explain(item));
    buttons.push(explain);
  }
  const changes = item.changes ?? [];
  const members = item.members;
  replaceChildren(
    container,
    h(
      'header',
      { class: 'detail-header' },
      codicon(OBJECT_ICON[item.objectType] ?? 'question'),
      h('h2', { class: 'detail-title' }, itemTitle(item)),
      close,
    ),
    h(
      'div',
      { class: 'detail-meta' },
      h('span', { class: 'chip' }, item.objectType),
      h('span', { class: 'chip' }, TAB_LABEL[item.category] ?? item.category),
      h('span', { class: `chip action`, 'data-action': item.action }, ACTION_LABEL[item.action] ?? item.action),
      item.configRef ? configLink(item.configRef, actions) : null,
      ...buttons,
    ),
    item.reason ? h('p', { class: 'reason' }, longText(item.reason)) : null,
    item.errors?.length
      ? section(
          'Errors',
          messageList(
            item.errors.map((message) => ({ severity: 'error' as const, message })),
            actions,
          ),
        )
      : null,
    item.warnings?.length
      ? section(
          'Warnings',
          messageList(
            item.warnings.map((message) => ({ severity: 'warning' as const, message })),
            actions,
          ),
        )
      : null,
    item.notes?.length
      ? section(
          'Notes',
          messageList(
            item.notes.map((message) => ({ severity: 'information' as const, message })),
            actions,
          ),
        )
      : null,
    changes.length && item.action === 'create'
      ? section(`Values to send (${changes.length})`, changeList(changes, actions, true))
      : changes.length
        ? section(`Attribute changes (${changes.length})`, changeList(changes, actions))
        : null,
    members && (members.added.length || members.removed.length)
      ? section('Group membership', memberList('Added', members.added, 'added'), memberList('Removed', members.removed, 'removed'))
      : null,
    avatarSection(item, actions.thumbnails),
    section(
      'Identity',
      h(
        'dl',
        { class: 'identity' },
        ...field('Distinguished name', item.dn, true),
        ...field('User name', item.userName),
        ...field('Display name', item.displayName),
        ...field('objectGUID', item.objectGuid, true),
        ...field('objectSid', item.objectSid, true),
        ...field('Cloud id', item.cloudId, true),
        ...field('Report id', item.id, true),
      ),
    ),
    messages.length ? section(`Messages (${messages.length})`, messageList(messages, actions)) : null,
  );
}
