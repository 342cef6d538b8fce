/**
 * An LDIF export as a directory (`"url": "ldif:./export.ldif"`): the same searches as against AD —
 * base DN scoping (case-insensitive, normalized), the config's filters evaluated locally with LDAP
 * semantics (localFilter.ts), only the asked-for attributes returned, size limits — producing the
 * same DirectoryEntry values, streamed from the file so that large exports never sit in memory.
 */
import { statSync } from 'node:fs';
import { findAdAttribute } from '../domain/adSchema';
import { BINARY_ATTRIBUTES, guidProblem, sidProblem } from '../domain/adValues';
import { shown } from '../domain/text';
import type { DirectoryEntry } from '../domain/entry';
import { parseLdapFilter, type FilterNode } from '../language/ldapFilter';
import { parseAttributeDescription } from './convert';
import { isUnderRdns, normalizedRdns } from '../domain/dn';
import { DirectoryError } from './errors';
import { ldifError, readLdifFile, type LdifEntryRecord } from './ldif';
import { GroupGraph, evaluateFilter, filterAttributes, safeNormalize, usesInChain } from './localFilter';
import type { DirectorySource, RootDseInfo, SearchRequest, SearchStream, SearchSummary } from './types';

export interface LdifSourceOptions {
  /** Absolute path of the export. */
  readonly path: string;
  /** How messages name it (the config's `ldif:./…` text, or the path). */
  readonly displayName?: string;
  readonly sizeLimit?: number;
  readonly baseDns?: readonly string[];
}

/** Converts a record to a DirectoryEntry: lower-case names, options stripped, bytes for binary attributes. */
export function recordToEntry(r: LdifEntryRecord, file: string): DirectoryEntry {
  const attributes: Record<string, Array<string | Uint8Array>> = {};
  for (const v of r.values) {
    const { name, range } = parseAttributeDescription(v.description);
    if (range && range.high !== '*') {
      throw ldifError(
        file,
        v.line,
        `${v.description} holds only part of ${name}'s values (a ranged read that was not continued); ` +
          `export with a tool that reads every range (ldifde, or ldapsearch with "${name};range=0-*")`,
      );
    }
    let value = v.value;
    if (BINARY_ATTRIBUTES.has(name)) {
      if (typeof value === 'string') value = new TextEncoder().encode(value);
      const problem = name === 'objectguid' ? guidProblem(value) : name === 'objectsid' ? sidProblem(value) : undefined;
      if (problem) throw ldifError(file, v.line, `${problem} (in the entry ${shown(r.dn)})`);
    } else if (typeof value !== 'string') {
      try {
        value = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(value);
      } catch {
        // Bytes are fine for an attribute AD stores as bytes (a schema extension); a text attribute must be UTF-8.
        if (isTextAttribute(name))
          throw ldifError(file, v.line, `the base64 value of ${v.description} is not valid UTF-8 text (in the entry ${shown(r.dn)})`);
      }
    }
    (attributes[name] ??= []).push(value);
  }
  return { dn: r.dn, attributes };
}

/** An attribute AD's schema knows as text (a string, DN, number, boolean or time). */
function isTextAttribute(name: string): boolean {
  const a = findAdAttribute(name);
  return !!a && a.syntax !== 'binary';
}

export class LdifSource implements DirectorySource {
  readonly kind = 'ldif' as const;
  readonly location: string;
  private graph?: Promise<GroupGraph>;

  private constructor(private readonly opts: LdifSourceOptions) {
    this.location = opts.displayName ?? opts.path;
  }

  /** Opens the export; fails with `fileNotFound` at once when it cannot be read. */
  static async open(opts: LdifSourceOptions): Promise<LdifSource> {
    const name = opts.displayName ?? opts.path;
    let isFile = false;
    try {
      isFile = statSync(opts.path).isFile();
    } catch (err) {
      throw new DirectoryError('fileNotFound', `Cannot read the LDIF export ${name}: no such file (${opts.path})`, name, { cause: err });
    }
    if (!isFile) throw new DirectoryError('fileNotFound', `The LDIF export ${name} is not a file (${opts.path})`, name);
    return new LdifSource(opts);
  }

  private records(signal?: AbortSignal): AsyncGenerator<LdifEntryRecord> {
    return readLdifFile(this.opts.path, { displayName: this.location, ...(signal ? { signal } : {}) });
  }

  private parseFilter(text: string): FilterNode {
    const parsed = parseLdapFilter(text);
    if (!parsed.ok) {
      const p = parsed.problems[0];
      throw new DirectoryError(
        'invalidFilter',
        `The filter ${text} is not valid${p ? ` at offset ${p.start}: ${p.message}` : ''}.`,
        this.location,
      );
    }
    return parsed.value;
  }

  /** The export's group graph (read once, on first need). */
  private groupGraph(signal?: AbortSignal): Promise<GroupGraph> {
    this.graph ??= (async () => {
      const g = new GroupGraph();
      for await (const r of this.records(signal)) {
        const members = r.values.filter((v) => parseAttributeDescription(v.description).name === 'member');
        if (members.length)
          g.addGroup(
            r.dn,
            members.map((m) => (typeof m.value === 'string' ? m.value : new TextDecoder().decode(m.value))),
          );
      }
      return g;
    })();
    this.graph.catch(() => (this.graph = undefined));
    return this.graph;
  }

  search(request: SearchRequest): SearchStream {
    const summary: SearchSummary = { entries: 0, pages: 0, references: [], truncated: false, complete: false };
    return { summary, [Symbol.asyncIterator]: () => this.run(request, summary)[Symbol.asyncIterator]() };
  }

  private async *run(req: SearchRequest, summary: SearchSummary): AsyncGenerator<DirectoryEntry> {
    const filter = this.parseFilter(req.filter);
    const sizeLimit = req.sizeLimit ?? this.opts.sizeLimit ?? 0;
    const wanted = req.attributes.map((a) => a.toLowerCase());
    const all = wanted.length === 0 || wanted.includes('*');
    const none = wanted.length === 1 && wanted[0] === '1.1';
    const needsGraph = usesInChain(filter) || filterAttributes(filter).has('memberof') || wanted.includes('memberof');
    const graph = needsGraph ? await this.groupGraph(req.signal) : undefined;
    const scope = req.scope ?? 'sub';
    for (const baseDn of req.baseDns) {
      let base: string[];
      try {
        base = normalizedRdns(baseDn);
      } catch (err) {
        throw new DirectoryError('noSuchBase', `Base DN "${baseDn}" is not a valid DN: ${(err as Error).message}`, this.location);
      }
      let baseSeen = false;
      for await (const r of this.records(req.signal)) {
        let rdns: string[];
        try {
          rdns = normalizedRdns(r.dn);
        } catch (err) {
          throw ldifError(this.location, r.line, (err as Error).message);
        }
        if (!isUnderRdns(rdns, base)) continue;
        // An export of a subtree often leaves out the container it was taken from (the domain
        // root, an OU): entries under the base show that it exists.
        baseSeen = true;
        const depth = rdns.length - base.length;
        if ((scope === 'base' && depth !== 0) || (scope === 'one' && depth !== 1)) continue;
        let entry = recordToEntry(r, this.location);
        if (graph && !entry.attributes['memberof']) {
          // AD computes memberOf from the groups' member values; an export without it gets the same view.
          const groups = graph.directGroups(safeNormalize(r.dn));
          if (groups.length)
            entry = { dn: entry.dn, attributes: { ...entry.attributes, memberof: groups.map((g) => graph.displayDn.get(g)!) } };
        }
        if (!evaluateFilter(filter, entry, graph)) continue;
        if (sizeLimit && summary.entries >= sizeLimit) {
          summary.truncated = true;
          break;
        }
        summary.entries++;
        yield none ? { dn: entry.dn, attributes: {} } : all ? entry : project(entry, wanted);
      }
      if (!baseSeen && base.length > 0 && !summary.truncated) {
        throw new DirectoryError('noSuchBase', `Base DN "${baseDn}" does not exist in ${this.location}. Check "baseDns".`, this.location);
      }
      if (summary.truncated) break;
    }
    if (summary.truncated && !req.allowPartial) {
      throw new DirectoryError(
        'sizeLimitExceeded',
        `The search of ${this.location} for ${req.filter} reached the size limit (${sizeLimit} entries); the result is incomplete.`,
        this.location,
      );
    }
    summary.complete = !summary.truncated;
  }

  async count(request: Omit<SearchRequest, 'attributes'>): Promise<number> {
    let n = 0;
    for await (const _ of this.search({ ...request, attributes: ['1.1'] })) n++;
    return n;
  }

  async rootDse(signal?: AbortSignal): Promise<RootDseInfo> {
    let shortest: string | undefined;
    let highest = -1;
    for await (const r of this.records(signal)) {
      if (shortest === undefined || r.dn.length < shortest.length) {
        // The domain's naming context: the DC=… suffix of the entries.
        const m = /(^|,)\s*(DC=.*)$/i.exec(r.dn);
        if (m && (shortest === undefined || m[2]!.length < shortest.length)) shortest = m[2]!;
      }
      for (const v of r.values) if (v.description.toLowerCase() === 'usnchanged') highest = Math.max(highest, Number(v.value));
    }
    return {
      namingContexts: shortest ? [shortest] : [],
      supportedControls: [],
      supportedLdapVersions: [],
      source: this.location,
      ...(shortest ? { defaultNamingContext: shortest } : {}),
      ...(highest >= 0 ? { highestCommittedUSN: String(highest) } : {}),
    };
  }

  async schemaAttributeNames(signal?: AbortSignal): Promise<string[]> {
    const names = new Map<string, string>();
    for await (const r of this.records(signal)) {
      for (const v of r.values) {
        const n = v.description.split(';')[0]!;
        if (!names.has(n.toLowerCase())) names.set(n.toLowerCase(), n);
      }
    }
    return [...names.values()].sort((a, b) => a.localeCompare(b));
  }

  async *groupMembers(groupDn: string, opts: { transitive: boolean; signal?: AbortSignal }): AsyncIterable<string> {
    const graph = await this.groupGraph(opts.signal);
    const key = safeNormalize(groupDn);
    if (!opts.transitive) {
      yield* graph.rawMembers(key);
      return;
    }
    const members = graph.transitiveMembers(key);
    // Yield DNs as the export spells them: one pass over the file.
    for await (const r of this.records(opts.signal)) if (members.has(safeNormalize(r.dn))) yield r.dn;
  }

  async close(): Promise<void> {
    this.graph = undefined;
  }
}

function project(entry: DirectoryEntry, wanted: readonly string[]): DirectoryEntry {
  const attributes: Record<string, ReadonlyArray<string | Uint8Array>> = {};
  for (const w of wanted) {
    const v = entry.attributes[w];
    if (v) attributes[w] = v;
  }
  return { dn: entry.dn, attributes };
}
