/**
 * The questions the live previews ask a bound directory, each cached per binding with a short TTL
 * and keyed by what it depends on (base DNs + filter for a count), each cancellable. `peek*` reads
 * the cache only: what the edit path (static diagnostics, CodeLens, inlay hints) uses, so that it
 * never waits for the directory.
 */
import { DirectoryError, escapeFilterValue, type DirectorySource, type RootDseInfo } from '../directory/index';
import type { DirectoryConfig } from '../../../common/config';
import type { DirectoryEntry } from '../domain/entry';
import type { SelectionCount } from '../language/live/index';
import { canonicalDnKey as dnKey } from '../domain/dn';
import type { DirectoryBinding } from './binding';
import type { Settled } from './queryCache';

/** How long answers live. Counts and samples change as AD changes; the schema hardly ever. */
export const TTL = {
  count: 30_000,
  sample: 30_000,
  exists: 60_000,
  children: 60_000,
  groups: 60_000,
  schema: 10 * 60_000,
  rootDse: 10 * 60_000,
} as const;

/** Containers a base DN can name (one-level completion lists only these, not every user). */
const CONTAINERS =
  '(|(objectClass=organizationalUnit)(objectClass=container)(objectClass=domainDNS)(objectClass=builtinDomain)(objectClass=organization))';
/** Most children or groups listed in one completion. */
const LIST_LIMIT = 300;

export interface SelectionQuery {
  readonly baseDns: readonly string[];
  readonly filter: string;
}

const k = {
  count: (q: SelectionQuery) => `count\0${q.baseDns.join('\n')}\0${q.filter}`,
  sample: (q: SelectionQuery, n: number) => `sample\0${n}\0${q.baseDns.join('\n')}\0${q.filter}`,
  entry: (dn: string) => `entry\0${dnKey(dn)}`,
  exists: (dn: string) => `exists\0${dnKey(dn)}`,
  children: (dn: string) => `children\0${dnKey(dn)}`,
  groups: (bases: readonly string[], prefix: string) => `groups\0${bases.join('\n')}\0${prefix.toLowerCase()}`,
  schema: 'schema',
  rootDse: 'rootDse',
};

function toCount(s: (Settled<{ count: number; complete: boolean }> & { stale: boolean }) | undefined): SelectionCount | undefined {
  if (!s) return undefined;
  if (s.ok) return { state: 'counted', ...s.value };
  const e = s.error;
  return { state: 'failed', message: e instanceof Error ? e.message : String(e), ...(e instanceof DirectoryError ? { code: e.code } : {}) };
}

export class LiveQueries {
  constructor(private readonly binding: DirectoryBinding) {}

  private ask<T>(
    config: DirectoryConfig,
    key: string,
    ttl: number,
    op: (source: DirectorySource, signal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    return this.binding.cache.get(key, ttl, (inner) => this.binding.run(config, (source) => op(source, inner)), signal);
  }

  /** How many entries a selection matches (DNs only are read). A size limit makes it a lower bound. */
  count(config: DirectoryConfig, q: SelectionQuery, signal?: AbortSignal): Promise<{ count: number; complete: boolean }> {
    return this.ask(
      config,
      k.count(q),
      TTL.count,
      async (source, s) => {
        const stream = source.search({ baseDns: q.baseDns, filter: q.filter, attributes: ['1.1'], allowPartial: true, signal: s });
        let n = 0;
        for await (const _ of stream) n++;
        return { count: n, complete: !stream.summary.truncated };
      },
      signal,
    );
  }

  peekCount(q: SelectionQuery): SelectionCount | undefined {
    return toCount(this.binding.cache.peek(k.count(q)));
  }

  /** True when the count for `q` is missing or past its TTL. */
  countStale(q: SelectionQuery): boolean {
    return !this.binding.cache.fresh(k.count(q));
  }

  /** The first `n` entries of a selection, with all their user attributes. */
  sample(config: DirectoryConfig, q: SelectionQuery, n: number, signal?: AbortSignal): Promise<DirectoryEntry[]> {
    return this.ask(
      config,
      k.sample(q, n),
      TTL.sample,
      async (source, s) => {
        const out: DirectoryEntry[] = [];
        for await (const e of source.search({
          baseDns: q.baseDns,
          filter: q.filter,
          attributes: [],
          sizeLimit: n,
          allowPartial: true,
          signal: s,
        })) {
          out.push(e);
          if (out.length >= n) break;
        }
        return out;
      },
      signal,
    );
  }

  peekSample(q: SelectionQuery, n: number): DirectoryEntry[] | undefined {
    const s = this.binding.cache.peek<DirectoryEntry[]>(k.sample(q, n));
    return s?.ok ? s.value : undefined;
  }

  /** One entry by DN, all user attributes; undefined when it does not exist. */
  entry(config: DirectoryConfig, dn: string, signal?: AbortSignal): Promise<DirectoryEntry | undefined> {
    return this.ask(
      config,
      k.entry(dn),
      TTL.sample,
      async (source, s) => {
        try {
          for await (const e of source.search({ baseDns: [dn], scope: 'base', filter: '(objectClass=*)', attributes: [], signal: s }))
            return e;
          return undefined;
        } catch (err) {
          if (err instanceof DirectoryError && err.code === 'noSuchBase') return undefined;
          throw err;
        }
      },
      signal,
    );
  }

  peekEntry(dn: string): DirectoryEntry | undefined {
    const s = this.binding.cache.peek<DirectoryEntry | undefined>(k.entry(dn));
    return s?.ok ? s.value : undefined;
  }

  /**
   * Whether a DN names an entry, or has entries under it: an export of a subtree often leaves out
   * the container it was taken from (the domain root, an OU), and the entries under a base prove
   * that it exists, as they do for the searches of a sync.
   */
  exists(config: DirectoryConfig, dn: string, signal?: AbortSignal): Promise<boolean> {
    return this.ask(
      config,
      k.exists(dn),
      TTL.exists,
      async (source, s) => {
        try {
          for await (const _ of source.search({ baseDns: [dn], scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'], signal: s }))
            return true;
          for await (const _ of source.search({
            baseDns: [dn],
            filter: '(objectClass=*)',
            attributes: ['1.1'],
            sizeLimit: 1,
            allowPartial: true,
            signal: s,
          }))
            return true;
          return false;
        } catch (err) {
          if (err instanceof DirectoryError && err.code === 'noSuchBase') return false;
          throw err;
        }
      },
      signal,
    );
  }

  peekExists(dn: string): boolean | undefined {
    const s = this.binding.cache.peek<boolean>(k.exists(dn));
    return s?.ok ? s.value : undefined;
  }

  /** Containers directly under a DN (OUs, containers, domains), for base-DN completion. */
  children(config: DirectoryConfig, dn: string, signal?: AbortSignal): Promise<string[]> {
    return this.ask(
      config,
      k.children(dn),
      TTL.children,
      async (source, s) => {
        const out: string[] = [];
        try {
          for await (const e of source.search({
            baseDns: [dn],
            scope: 'one',
            filter: CONTAINERS,
            attributes: ['1.1'],
            sizeLimit: LIST_LIMIT,
            allowPartial: true,
            signal: s,
          }))
            out.push(e.dn);
        } catch (err) {
          if (err instanceof DirectoryError && err.code === 'noSuchBase') return [];
          throw err;
        }
        return out;
      },
      signal,
    );
  }

  /** Groups under `baseDns` whose cn starts with `prefix` (all groups when empty), for memberOf values. */
  groups(config: DirectoryConfig, baseDns: readonly string[], prefix: string, signal?: AbortSignal): Promise<string[]> {
    const filter = prefix ? `(&(objectClass=group)(cn=${escapeFilterValue(prefix)}*))` : '(objectClass=group)';
    return this.ask(
      config,
      k.groups(baseDns, prefix),
      TTL.groups,
      async (source, s) => {
        const out: string[] = [];
        for await (const e of source.search({ baseDns, filter, attributes: ['1.1'], sizeLimit: LIST_LIMIT, allowPartial: true, signal: s }))
          out.push(e.dn);
        return out;
      },
      signal,
    );
  }

  /** Attribute names of the directory's schema. */
  schema(config: DirectoryConfig, signal?: AbortSignal): Promise<string[]> {
    return this.ask(config, k.schema, TTL.schema, (source, s) => source.schemaAttributeNames(s), signal);
  }

  peekSchema(): string[] | undefined {
    const s = this.binding.cache.peek<string[]>(k.schema);
    return s?.ok ? s.value : undefined;
  }

  rootDse(config: DirectoryConfig, signal?: AbortSignal): Promise<RootDseInfo> {
    return this.ask(config, k.rootDse, TTL.rootDse, (source, s) => source.rootDse(s), signal);
  }
}
