/**
 * Active Directory (or AD LDS, or any LDAPv3 server) over ldapts: simple bind over ldap://,
 * ldaps:// or StartTLS with certificate verification on by default; every search paged (RFC 2696);
 * only the asked-for attributes requested; binary attributes as bytes; ranged values fetched to
 * the end; continuation references reported, not followed; size and time limits honoured.
 *
 * One connection per source, never silently re-established: a connection lost mid-search fails
 * the search (a re-established one would be unauthenticated and the paging cookie gone), so a
 * partial result can never pass for a whole one.
 *
 * Over 400 lines: the LDAP source's paging, ranged retrieval and decoding share one connection's state.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Client, type Entry } from 'ldapts';
import type { DirectoryEntry } from '../domain/entry';
import { BINARY_ATTRIBUTES } from '../domain/adValues';
import { toDirectoryEntry, type PendingRange } from './convert';
import { DirectoryError } from './errors';
import { toDirectoryError, type LdapErrorContext } from './ldapErrors';
import type { DirectorySource, RootDseInfo, SearchRequest, SearchStream, SearchSummary } from './types';
import { escapeFilterValue } from '../domain/filterValue';
import { installValueDecoding } from './ldaptsValues';
import { isPlaceholder, RawEntryStream } from './ldaptsStream';
import { decodeSearchEntry } from './berEntry';

type LdaptsPage = { searchEntries: Entry[]; searchReferences: string[] };

/**
 * The pages of one search, up to `ahead` of them asked for and kept before the reader takes them
 * (a paged search has one request out at a time: the next needs this page's cookie). `stop` runs
 * `finish` once the request still out, if any, has settled.
 */
function readAhead<P>(
  fetch: () => Promise<IteratorResult<LdaptsPage>>,
  ahead: number,
  keep: (page: LdaptsPage) => P,
): { next(): Promise<P | undefined>; stop(finish: () => void): void } {
  const ready: P[] = [];
  let inFlight: Promise<void> | undefined;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const pump = () => {
    if (inFlight || ended || failure || ready.length >= ahead) return;
    inFlight = fetch().then(
      (next) => {
        inFlight = undefined;
        if (next.done) ended = true;
        else ready.push(keep(next.value));
        pump();
        wake?.();
      },
      (error: unknown) => {
        inFlight = undefined;
        failure = { error };
        wake?.();
      },
    );
  };
  return {
    async next() {
      for (;;) {
        pump();
        const page = ready.shift();
        if (page !== undefined) {
          pump();
          return page;
        }
        if (failure) throw failure.error;
        if (ended) return undefined;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    stop(finish) {
      ended = true;
      if (inFlight) void inFlight.then(finish, finish);
      else finish();
    },
  };
}

/** Everything the LDAP source needs, resolved (secrets read, CA file loaded). */
export interface LdapSourceOptions {
  readonly url: string;
  readonly bindDn?: string;
  readonly password?: string;
  readonly tls?: {
    /** PEM text of the CA(s) to trust instead of the system store. */
    readonly ca?: string | Buffer;
    /** Where `ca` came from, for messages. */
    readonly caFile?: string;
    readonly startTls?: boolean;
    /** Default true. */
    readonly verify?: boolean;
    /** Name the certificate must carry, when not the URL's host. */
    readonly serverName?: string;
  };
  readonly baseDns?: readonly string[];
  /** Default 1000 (AD's MaxPageSize). */
  readonly pageSize?: number;
  readonly sizeLimit?: number;
  readonly timeLimitSeconds?: number;
  /** Default 10. */
  readonly connectTimeoutSeconds?: number;
  /** Extra attribute names to read as bytes. */
  readonly binaryAttributes?: readonly string[];
}

/** AD's spelling of the binary attributes: ldapts matches explicitBufferAttributes case-sensitively. */
const CANONICAL_BINARY = [
  'objectGUID',
  'objectSid',
  'thumbnailPhoto',
  'jpegPhoto',
  'photo',
  'msExchMailboxGuid',
  'sIDHistory',
  'tokenGroups',
  'userCertificate',
  'mS-DS-ConsistencyGuid',
  'msDS-GenerationId',
  'logonHours',
  'nTSecurityDescriptor',
];

/** Attributes AD returns in ranges past MaxValRange; asked for by range so AD and Samba answer alike. */
const RANGED = new Set(['member', 'memberof', 'msds-members']);
/** AD's default MaxValRange (MS-ADTS §3.1.1.3.4.6). */
const RANGE_STEP = 1500;

/**
 * Rejects filters the server would receive altered: ldapts' parser silently closes a missing
 * parenthesis (`(&(cn=a)` becomes `(&(cn=a))`). In RFC 4515 every literal parenthesis in a value is
 * escaped (\28, \29), so raw ones must balance. Full syntax checks are the language service's.
 */
export function checkFilter(filter: string, location: string): void {
  let depth = 0;
  let closedTop = false;
  for (let i = 0; i < filter.length && depth >= 0; i++) {
    const ch = filter[i]!;
    if (ch === '\\') {
      i += 2;
    } else if (ch === '(') {
      if (closedTop) depth = -1;
      else depth++;
    } else if (ch === ')') {
      depth--;
      if (depth === 0) closedTop = true;
    } else if (depth === 0 && ch.trim() !== '') {
      depth = -1;
    }
  }
  const t = filter.trim();
  if (depth !== 0 || !t.startsWith('(') || !t.endsWith(')')) {
    throw new DirectoryError(
      'invalidFilter',
      `The filter ${filter} is not valid LDAP filter syntax (RFC 4515): unbalanced parentheses.`,
      location,
    );
  }
}

const isIp = (host: string) => net.isIP(host.replace(/^\[|\]$/g, '')) !== 0;

export class LdapSource implements DirectorySource {
  readonly kind = 'ldap' as const;
  readonly location: string;
  private readonly client: Client;
  private readonly binary: Set<string>;
  private readonly explicitBuffers: string[];
  /** The search entries kept as bytes until read (ldaptsStream.ts); undefined when ldapts is not the expected shape. */
  private readonly rawStream: RawEntryStream | undefined;
  private connections = 0;
  /** True while an ldaps:// TLS handshake is under way: a reset then means "not a TLS port". */
  private handshaking = false;
  private closed = false;
  private schemaNames?: string[];

  private constructor(private readonly opts: LdapSourceOptions) {
    installValueDecoding();
    this.location = opts.url;
    const url = new URL(opts.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const verify = opts.tls?.verify ?? true;
    const expectedName = opts.tls?.serverName ?? host;
    const tlsOptions: tls.ConnectionOptions = {
      rejectUnauthorized: verify,
      ...(opts.tls?.ca ? { ca: opts.tls.ca } : {}),
      ...(isIp(expectedName) ? {} : { servername: expectedName }),
      host,
      checkServerIdentity: (_h, cert) => tls.checkServerIdentity(expectedName, cert),
    };
    const guard = () => {
      // ldapts reconnects transparently when a socket closed; dirsync must not (see module comment).
      if (this.connections++ > 0) throw Object.assign(new Error('Connection closed; not re-established'), { code: 'ECONNRESET' });
    };
    this.client = new Client({
      url: opts.url,
      connectTimeout: (opts.connectTimeoutSeconds ?? 10) * 1000,
      // A server that ignores the search time limit must not hang the client: give up a little later.
      ...(opts.timeLimitSeconds ? { timeout: (opts.timeLimitSeconds + 15) * 1000 } : {}),
      // Only for ldaps://: ldapts given tlsOptions on an ldap:// URL speaks TLS to a plain port.
      ...(url.protocol === 'ldaps:' ? { tlsOptions } : {}),
      strictDN: false,
      createConnection: ((port: number, h: string) => {
        guard();
        return net.connect({ port, host: h });
      }) as typeof net.connect,
      createSecureConnection: ((...args: unknown[]) => {
        // StartTLS upgrades the existing socket ({ socket } options): not a new connection.
        if (typeof args[0] === 'object' && args[0] !== null && 'socket' in (args[0] as object)) {
          return tls.connect({ ...tlsOptions, ...(args[0] as tls.ConnectionOptions) });
        }
        guard();
        const socket = tls.connect(args[0] as number, args[1] as string, tlsOptions);
        this.handshaking = true;
        socket.once('secureConnect', () => (this.handshaking = false));
        return socket;
      }) as typeof tls.connect,
    });
    this.rawStream = RawEntryStream.install(this.client);
    this.binary = new Set([...BINARY_ATTRIBUTES, ...(opts.binaryAttributes ?? []).map((a) => a.toLowerCase())]);
    this.explicitBuffers = [...new Set([...CANONICAL_BINARY, ...BINARY_ATTRIBUTES, ...(opts.binaryAttributes ?? [])])];
  }

  /** Connects, upgrades with StartTLS if configured, and binds; errors name the URL and bind DN. */
  static async connect(opts: LdapSourceOptions, signal?: AbortSignal): Promise<LdapSource> {
    const source = new LdapSource(opts);
    const url = new URL(opts.url);
    if (url.protocol !== 'ldap:' && url.protocol !== 'ldaps:') {
      throw new DirectoryError('config', `Unsupported directory URL ${opts.url}: use ldap://, ldaps:// or ldif:`, opts.url);
    }
    if (opts.tls?.startTls && url.protocol === 'ldaps:') {
      throw new DirectoryError('config', `${opts.url} is already TLS (ldaps://); StartTLS applies to ldap:// URLs only.`, opts.url);
    }
    try {
      if (opts.tls?.startTls) {
        await source.guarded(source.client.startTLS(), signal, { operation: 'starttls' });
      }
      if (opts.bindDn) {
        await source.guarded(source.client.bind(opts.bindDn, opts.password ?? ''), signal, { operation: 'bind' });
      }
    } catch (err) {
      await source.close();
      throw err;
    }
    return source;
  }

  private ctx(extra: Partial<LdapErrorContext> & Pick<LdapErrorContext, 'operation'>): LdapErrorContext {
    return {
      url: this.opts.url,
      ...(this.opts.bindDn ? { bindDn: this.opts.bindDn } : {}),
      ...(this.opts.password ? { password: this.opts.password } : {}),
      ...(this.opts.tls?.caFile ? { caFile: this.opts.tls.caFile } : {}),
      ...(this.opts.tls?.serverName ? { serverName: this.opts.tls.serverName } : {}),
      ...(this.handshaking ? { duringTlsHandshake: true } : {}),
      ...extra,
    };
  }

  /** Awaits `p`, rejecting early on abort, and maps failures to DirectoryError. */
  private async guarded<T>(
    p: Promise<T>,
    signal: AbortSignal | undefined,
    c: Partial<LdapErrorContext> & Pick<LdapErrorContext, 'operation'>,
  ): Promise<T> {
    if (this.closed) throw new DirectoryError('connectionLost', `The connection to ${this.opts.url} is closed.`, this.opts.url);
    try {
      if (!signal) return await p;
      signal.throwIfAborted();
      let onAbort: () => void = () => undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
        signal.addEventListener('abort', onAbort, { once: true });
      });
      p.catch(() => undefined); // an abandoned operation's late failure is not an unhandled rejection
      try {
        return await Promise.race([p, aborted]);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    } catch (err) {
      throw toDirectoryError(err, this.ctx(c));
    }
  }

  /**
   * The binary attributes among those requested, in every spelling the server may answer with
   * (ldapts compares case-sensitively): a short list, since ldapts scans it for every attribute.
   */
  private buffersFor(names: readonly string[]): string[] {
    if (names.length === 0 || names.includes('*')) return this.explicitBuffers;
    const out = new Set<string>();
    for (const n of names) {
      const lower = n.toLowerCase();
      if (!this.binary.has(lower)) continue;
      out.add(n).add(lower);
      const canonical = CANONICAL_BINARY.find((c) => c.toLowerCase() === lower);
      if (canonical) out.add(canonical);
    }
    return [...out];
  }

  private requestedAttributes(names: readonly string[]): string[] {
    if (names.length === 0) return ['*'];
    return names.map((n) => (RANGED.has(n.toLowerCase()) ? `${n};range=0-${RANGE_STEP - 1}` : n));
  }

  /** One entry kept as bytes, decoded; a message that cannot be read fails the search, as in ldapts. */
  private decoded(
    msg: Buffer,
    explicit: readonly string[],
    c: Partial<LdapErrorContext> & Pick<LdapErrorContext, 'operation'>,
  ): ReturnType<typeof decodeSearchEntry> {
    try {
      return decodeSearchEntry(msg, (n) => this.binary.has(n), explicit);
    } catch (err) {
      throw toDirectoryError(err, this.ctx(c));
    }
  }

  search(request: SearchRequest): SearchStream {
    const summary: SearchSummary = { entries: 0, pages: 0, references: [], truncated: false, complete: false };
    const run = () => this.run(request, summary);
    return { summary, [Symbol.asyncIterator]: () => run()[Symbol.asyncIterator]() };
  }

  private async *run(req: SearchRequest, summary: SearchSummary): AsyncGenerator<DirectoryEntry> {
    checkFilter(req.filter, this.opts.url);
    const sizeLimit = req.sizeLimit ?? this.opts.sizeLimit ?? 0;
    const timeLimit = req.timeLimitSeconds ?? this.opts.timeLimitSeconds ?? 0;
    const pageSize = Math.max(1, req.pageSize ?? this.opts.pageSize ?? 1000);
    const attributes = this.requestedAttributes(req.attributes);
    for (const baseDn of req.baseDns) {
      const remaining = sizeLimit ? sizeLimit - summary.entries : 0;
      if (sizeLimit && remaining <= 0) {
        summary.truncated = true;
        break;
      }
      const c = { operation: 'search' as const, baseDn, filter: req.filter, timeLimitSeconds: timeLimit };
      // A new array per search: the streamed entries are told apart by it (ldaptsStream.ts).
      const tags = [...this.buffersFor(req.attributes)];
      const pages = this.client.searchPaginated(baseDn, {
        scope: req.scope ?? 'sub',
        filter: req.filter,
        attributes,
        explicitBufferAttributes: tags,
        paged: { pageSize },
        sizeLimit: remaining,
        // Always explicit: ldapts sends 10 s when none is given, which cuts 100k-entry searches.
        timeLimit,
      });
      const it = pages[Symbol.asyncIterator]();
      const fetchPage = () => {
        const p = this.guarded(it.next(), req.signal, c);
        p.catch(() => undefined); // observed when awaited; a page left unread must not be an unhandled rejection
        return p;
      };
      // The entries as the bytes the server sent, decoded when read (berEntry.ts); else ldapts' pages.
      const raw = this.rawStream?.open(tags);
      // Pages read ahead: the server prepares the next page while these are read. With the entries
      // as bytes, two pages (about a megabyte each with pictures) wait; as ldapts' objects, one.
      const pagesAhead = readAhead(fetchPage, raw ? 2 : 1, (page) => {
        summary.pages++;
        summary.references.push(...page.searchReferences);
        if (!raw) return page.searchEntries;
        const kept = raw.take();
        // Entries ldapts parsed itself (none, unless it changed how it keeps requests) come after.
        for (const e of page.searchEntries) if (!isPlaceholder(e)) kept.push(e as unknown as Buffer);
        return kept as ReadonlyArray<Buffer | Entry>;
      });
      let fromBase = 0;
      try {
        readPages: for (;;) {
          const page = await pagesAhead.next();
          if (!page) break;
          for (const item of page) {
            // Servers may ignore the size limit on paged searches (Samba does): enforce it here too.
            if (remaining && fromBase >= remaining) {
              summary.truncated = true;
              break readPages;
            }
            const { entry, pending } = Buffer.isBuffer(item)
              ? this.decoded(item, tags, c)
              : toDirectoryEntry(item as Entry, (n) => this.binary.has(n));
            if (pending.length) await this.fetchRanges(entry, pending, req.signal);
            summary.entries++;
            fromBase++;
            yield entry;
          }
        }
      } finally {
        raw?.close();
        // Stopped early (size limit, consumer break, error): let ldapts' generator finish quietly.
        pagesAhead.stop(() => void it.return?.(undefined)?.catch(() => undefined));
      }
      // A server that enforced the limit ends the search with exactly `remaining` entries.
      if (remaining && fromBase >= remaining) summary.truncated = true;
    }
    if (summary.truncated && !req.allowPartial) {
      throw new DirectoryError(
        'sizeLimitExceeded',
        `The search on ${this.opts.url} for ${req.filter} reached the size limit (${sizeLimit} entries); the result is incomplete.`,
        this.opts.url,
      );
    }
    summary.complete = !summary.truncated;
  }

  /** Reads the rest of ranged attributes (MS-ADTS §3.1.1.3.1.3.3) into `entry`, in order. */
  private async fetchRanges(entry: DirectoryEntry, pending: PendingRange[], signal?: AbortSignal): Promise<void> {
    const values = entry.attributes as Record<string, Array<string | Uint8Array>>;
    for (let { name, next } of pending) {
      for (;;) {
        const { searchEntries } = await this.guarded(
          this.client.search(entry.dn, {
            scope: 'base',
            filter: '(objectClass=*)',
            attributes: [`${name};range=${next}-*`],
            explicitBufferAttributes: this.explicitBuffers,
            timeLimit: this.opts.timeLimitSeconds ?? 0,
          }),
          signal,
          { operation: 'search', baseDn: entry.dn },
        );
        const got = searchEntries[0] ? toDirectoryEntry(searchEntries[0], (n) => this.binary.has(n)) : undefined;
        const more = got?.entry.attributes[name] ?? [];
        (values[name] ??= []).push(...more);
        const cont = got?.pending.find((p) => p.name === name);
        if (!cont || more.length === 0) break;
        next = cont.next;
      }
    }
  }

  async count(request: Omit<SearchRequest, 'attributes'>): Promise<number> {
    let n = 0;
    for await (const _ of this.search({ ...request, attributes: ['1.1'] })) n++;
    return n;
  }

  async rootDse(signal?: AbortSignal): Promise<RootDseInfo> {
    const { searchEntries } = await this.guarded(
      this.client.search('', {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: [
          'defaultNamingContext',
          'namingContexts',
          'dnsHostName',
          'highestCommittedUSN',
          'subschemaSubentry',
          'supportedControl',
          'supportedLDAPVersion',
        ],
        timeLimit: this.opts.timeLimitSeconds ?? 0,
      }),
      signal,
      { operation: 'search', baseDn: '(root DSE)' },
    );
    const e = searchEntries[0] ? toDirectoryEntry(searchEntries[0], () => false).entry : { dn: '', attributes: {} };
    const all = (n: string) => (e.attributes[n.toLowerCase()] ?? []).map(String);
    const one = (n: string) => all(n)[0];
    const info: RootDseInfo = {
      namingContexts: all('namingContexts'),
      supportedControls: all('supportedControl'),
      supportedLdapVersions: all('supportedLDAPVersion'),
      source: this.opts.url,
      ...(one('defaultNamingContext') ? { defaultNamingContext: one('defaultNamingContext')! } : {}),
      ...(one('dnsHostName') ? { dnsHostName: one('dnsHostName')! } : {}),
      ...(one('highestCommittedUSN') ? { highestCommittedUSN: one('highestCommittedUSN')! } : {}),
      ...(one('subschemaSubentry') ? { subschemaSubentry: one('subschemaSubentry')! } : {}),
    };
    return info;
  }

  async schemaAttributeNames(signal?: AbortSignal): Promise<string[]> {
    if (this.schemaNames) return this.schemaNames;
    const dse = await this.rootDse(signal);
    if (!dse.subschemaSubentry) return [];
    const { searchEntries } = await this.guarded(
      this.client.search(dse.subschemaSubentry, {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ['attributeTypes'],
        timeLimit: this.opts.timeLimitSeconds ?? 0,
      }),
      signal,
      { operation: 'search', baseDn: dse.subschemaSubentry },
    );
    const defs = searchEntries[0] ? (toDirectoryEntry(searchEntries[0], () => false).entry.attributes['attributetypes'] ?? []) : [];
    // RFC 4512 §4.1.2: ( oid NAME 'name' ... ) or NAME ( 'a' 'b' ).
    const names = new Set<string>();
    for (const d of defs) {
      const m = /\bNAME\s+(?:'([^']+)'|\(([^)]*)\))/.exec(String(d));
      if (m?.[1]) names.add(m[1]);
      else if (m?.[2]) for (const n of m[2].matchAll(/'([^']+)'/g)) names.add(n[1]!);
    }
    this.schemaNames = [...names].sort((a, b) => a.localeCompare(b));
    return this.schemaNames;
  }

  async *groupMembers(
    groupDn: string,
    opts: { transitive: boolean; baseDns?: readonly string[]; signal?: AbortSignal },
  ): AsyncIterable<string> {
    if (!opts.transitive) {
      const stream = this.search({
        baseDns: [groupDn],
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ['member'],
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      for await (const e of stream) for (const m of e.attributes['member'] ?? []) yield String(m);
      return;
    }
    // AD evaluates LDAP_MATCHING_RULE_IN_CHAIN (MS-ADTS §3.1.1.3.4.4.3) server-side: members at every depth.
    const baseDns = opts.baseDns ?? this.opts.baseDns ?? [(await this.rootDse(opts.signal)).defaultNamingContext ?? ''];
    const stream = this.search({
      baseDns,
      filter: `(memberOf:1.2.840.113556.1.4.1941:=${escapeFilterValue(groupDn)})`,
      attributes: ['1.1'],
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    for await (const e of stream) yield e.dn;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.unbind().catch(() => undefined);
  }
}
