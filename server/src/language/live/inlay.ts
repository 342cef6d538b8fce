/**
 * Inlay hints: each mapping's value on the preview entry, at the end of its `attributes` value
 * (`→ "Ada Lovelace"`), and the avatar's (the resolved URL, or the photo's format and size).
 */
import type { Analysis } from '../analysis';
import type { DirectoryEntry } from '../../domain/entry';
import { describeAvatar, previewAvatar, previewMappings, type ImageInspector, type MappingPreview } from './mappings';

export interface LiveInlayHint {
  /** Document offset the hint is shown at (just after the value's closing quote). */
  readonly offset: number;
  readonly label: string;
  /** Markdown: the entry and the evaluation step by step. */
  readonly tooltip: string;
}

const MAX_LABEL = 60;

function shown(value: string): string {
  const q = JSON.stringify(value);
  return q.length > MAX_LABEL ? `${q.slice(0, MAX_LABEL - 2)}…"` : q;
}

function md(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text}${fence}`;
}

/** Markdown of a mapping's evaluation, step by step, for tooltips and hovers. */
export function explainMarkdown(p: MappingPreview, entry: DirectoryEntry, entryLabel: string): string {
  const lines = [`**${p.cloud}** on ${entryLabel} ${md(entry.dn)}:`, ''];
  (p.steps ?? []).forEach((s, i) => lines.push(`${i + 1}. ${md(s.source)} — ${s.note}`));
  if (p.value === '') lines.push('', 'Empty on this entry: the cloud attribute is not set.');
  if (p.active !== undefined)
    lines.push(
      '',
      p.active ? 'The cloud user is **active**.' : 'The account is disabled: the cloud user is **inactive** (`active: false`).',
    );
  return lines.join('\n');
}

function mappingHints(previews: readonly MappingPreview[], entry: DirectoryEntry, entryLabel: string): LiveInlayHint[] {
  const out: LiveInlayHint[] = [];
  for (const p of previews) {
    if (!p.valueRange || p.value === undefined) continue;
    const state = p.active === undefined ? '' : p.active ? ' (active)' : ' (inactive)';
    out.push({ offset: p.valueRange.end, label: `→ ${shown(p.value)}${state}`, tooltip: explainMarkdown(p, entry, entryLabel) });
  }
  return out;
}

export interface PreviewEntries {
  /** The entry `attributes` and the avatar are previewed on. */
  readonly user?: DirectoryEntry;
  /** The entry `contactAttributes` are previewed on. */
  readonly contact?: DirectoryEntry;
  /** How the user entry is called in tooltips (`the sample user`, `the picked entry`). */
  readonly userLabel?: string;
}

/** The hints of a document for the given preview entries. */
export function liveInlayHints(analysis: Pick<Analysis, 'config'>, entries: PreviewEntries, inspect?: ImageInspector): LiveInlayHint[] {
  const { config } = analysis;
  const out: LiveInlayHint[] = [];
  const userLabel = entries.userLabel ?? 'the sample user';
  if (entries.user) out.push(...mappingHints(previewMappings(config.attributes, entries.user), entries.user, userLabel));
  if (entries.contact)
    out.push(...mappingHints(previewMappings(config.contactAttributes, entries.contact), entries.contact, 'the sample contact'));
  if (entries.user) {
    const avatar = previewAvatar(config, entries.user, inspect);
    const at = config.avatar.source === 'resourceServer' ? config.avatar.uriPattern?.range : config.avatar.attribute?.range;
    if (avatar && at && at.end > at.start) {
      out.push({
        offset: at.end,
        label: `→ ${avatar.ok && avatar.source === 'resourceServer' ? avatar.url : describeAvatar(avatar)}`,
        tooltip: `Avatar of ${userLabel} ${md(entries.user.dn)}: ${describeAvatar(avatar)}`,
      });
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}
