/**
 * What the bound directory has said about a document, as plain data: the live features of the
 * language service (DS6xx diagnostics, CodeLens titles, hover lines) are pure functions of the
 * document and these facts. The language server gathers them from AD (cached, debounced,
 * cancellable) and passes a snapshot in; tests pass plain objects (STYLE.md principle 1).
 */
import type { ObjectKind } from '../../../../common/config';

/** A selection's live match count, or why there is none. */
export type SelectionCount =
  | {
      readonly state: 'counted';
      readonly count: number;
      /** False when a size limit cut the count short (the count is then a lower bound). */
      readonly complete: boolean;
    }
  | {
      readonly state: 'failed';
      readonly message: string;
      /** The DirectoryError code (`noSuchBase`, `insufficientAccess`, …). */
      readonly code?: string;
    };

export interface LiveFacts {
  /** The directory's name for messages: its URL or the LDIF export. */
  readonly location: string;
  readonly kind: 'ldap' | 'ldif';
  /** Set when the live parts are off (bind failed, directory down): the clear error. */
  readonly unavailable?: { readonly message: string; readonly code?: string };
  /** Lower-case attribute names of the directory's schema; absent until read. */
  readonly schema?: ReadonlySet<string>;
  /** Base DN (key: `dnKey`) → whether it exists; a DN not in the map has not been checked yet. */
  readonly baseDns?: ReadonlyMap<string, boolean>;
  /** Match counts of the enabled selections, as far as known. */
  readonly counts?: Partial<Record<ObjectKind, SelectionCount>>;
}

/** `1,234` — counts are shown with grouping, whatever the machine's locale. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 user`, `2 users`, `1,234 rooms`. */
export function countOf(n: number, kind: ObjectKind): string {
  const singular = kind.slice(0, -1);
  return `${formatCount(n)} ${n === 1 ? singular : kind}`;
}
