/**
 * The object selections of a document as the live features see them: what to count (base DNs and
 * filter), whether the filter may be sent at all (it parsed), and where a CodeLens or a
 * diagnostic about the selection goes.
 */
import type { Analysis } from '../analysis';
import type { ObjectKind, TextRange } from '../../../../common/config';
import { prop, rangeOf, type Node } from '../config/tree';

export const SELECTION_KINDS: readonly ObjectKind[] = ['users', 'groups', 'contacts', 'rooms'];

export interface LiveSelection {
  readonly kind: ObjectKind;
  readonly enabled: boolean;
  readonly baseDns: readonly string[];
  /** The RFC 4515 filter (the DC default when the file names none). */
  readonly filter: string;
  /** True when the selection is enabled, has base DNs and a filter without errors: it may be sent. */
  readonly runnable: boolean;
  /** Where the selection's CodeLens goes: its key in `objects`, else `objects`, else the first key. */
  readonly anchor: TextRange;
  /** What a diagnostic about the selection's result points at: the filter value, else the anchor. */
  readonly filterRange: TextRange;
}

function keyRange(node: Node | undefined): TextRange | undefined {
  const key = node?.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
  return key ? rangeOf(key) : undefined;
}

/** The four selections, in `objects` order (users, groups, contacts, rooms). */
export function liveSelections(analysis: Pick<Analysis, 'root' | 'config' | 'embedded'>): LiveSelection[] {
  const { root, config } = analysis;
  const objects = prop(root, 'objects');
  const firstKey = root?.type === 'object' ? root.children?.[0]?.children?.[0] : undefined;
  const fallback = keyRange(objects) ?? (firstKey ? rangeOf(firstKey) : { start: 0, end: 0 });
  return SELECTION_KINDS.map((kind) => {
    const s = config.objects[kind];
    const anchor = keyRange(prop(objects, kind)) ?? fallback;
    let filterOk = s.defaultFilter;
    if (!s.defaultFilter) {
      const ev = analysis.embedded.find((e) => e.format === 'ldapFilter' && e.decoded.start === s.filter.range.start);
      filterOk = !!ev?.result?.ok;
    }
    const baseDns = s.baseDns.map((b) => b.value).filter((b) => b.trim() !== '');
    return {
      kind,
      enabled: s.enabled,
      baseDns,
      filter: s.filter.value,
      runnable: s.enabled && baseDns.length > 0 && filterOk,
      anchor,
      filterRange: s.defaultFilter ? anchor : s.filter.range,
    };
  });
}
