/**
 * What the live directory adds to a hover: an expression's evaluation step by step on the preview
 * entry, a selection filter's live match count, whether a base DN exists, the avatar URL check.
 * Returned as markdown the server appends to the static hover (language/hover.ts).
 */
import { findNodeAtOffset } from 'jsonc-parser';
import type { Analysis } from '../analysis';
import { pathOf, rangeOf } from '../config/tree';
import type { ObjectKind, TextRange } from '../../../../common/config';
import type { DirectoryEntry } from '../../domain/entry';
import { countOf, type LiveFacts } from './facts';
import { canonicalDnKey as dnKey } from '../../domain/dn';
import { explainMarkdown } from './inlay';
import { previewMappings } from './mappings';
import { SELECTION_KINDS } from './selections';

export interface LiveHoverInput {
  readonly facts?: LiveFacts;
  /** The entry `attributes` are previewed on, and how to call it. */
  readonly user?: DirectoryEntry;
  readonly userLabel?: string;
  readonly contact?: DirectoryEntry;
  /** One line about the avatar URL check ("Test avatar URL"), when it ran. */
  readonly avatarCheck?: string;
}

export interface LiveHover {
  readonly contents: string;
  readonly range: TextRange;
}

/** The live part of the hover at `offset`, if there is one. */
export function liveHover(
  analysis: Pick<Analysis, 'root' | 'config' | 'text'>,
  offset: number,
  input: LiveHoverInput,
): LiveHover | undefined {
  if (!analysis.root) return undefined;
  const node = findNodeAtOffset(analysis.root, offset, false);
  if (node?.type !== 'string' || (node.parent?.type === 'property' && node.parent.children?.[0] === node)) return undefined;
  const path = pathOf(node);
  const range = rangeOf(node);
  const where = input.facts ? (input.facts.kind === 'ldif' ? `the export ${input.facts.location}` : input.facts.location) : 'the directory';
  if ((path[0] === 'attributes' || path[0] === 'contactAttributes') && typeof path[1] === 'string' && path.length === 2) {
    const entry = path[0] === 'attributes' ? input.user : input.contact;
    if (!entry) return undefined;
    const mappings = path[0] === 'attributes' ? analysis.config.attributes : analysis.config.contactAttributes;
    const m = mappings.find((x) => x.cloud.value === path[1] && x.expression.range.start === range.start);
    if (!m) return undefined;
    const p = previewMappings([m], entry)[0]!;
    if (p.value === undefined) return undefined;
    const label = path[0] === 'attributes' ? (input.userLabel ?? 'the sample user') : 'the sample contact';
    return { contents: `${explainMarkdown(p, entry, label)}\n\nResult: \`${JSON.stringify(p.value)}\` (live from ${where})`, range };
  }
  if (path[0] === 'objects' && path[2] === 'filter' && SELECTION_KINDS.includes(path[1] as ObjectKind)) {
    const kind = path[1] as ObjectKind;
    const c = input.facts?.counts?.[kind];
    if (!c) return undefined;
    const text =
      c.state === 'counted'
        ? `**${countOf(c.count, kind)}** ${c.count === 1 ? 'matches' : 'match'} this filter in ${where} right now${c.complete ? '' : ' (at least: the size limit cut the count)'}.`
        : `The live count failed: ${c.message}`;
    return { contents: text, range };
  }
  if (typeof path[path.length - 1] === 'number' && path[path.length - 2] === 'baseDns') {
    const exists = input.facts?.baseDns?.get(dnKey(node.value as string));
    if (exists === undefined) return undefined;
    return { contents: exists ? `Exists in ${where}.` : `**Does not exist** in ${where}.`, range };
  }
  if (path[0] === 'avatar' && path[1] === 'uriPattern' && input.avatarCheck) {
    return { contents: `Avatar URL check: ${input.avatarCheck}`, range };
  }
  return undefined;
}
