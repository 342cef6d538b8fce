/**
 * The directory as the rest of dirsync reads it: a source of entries (live AD over LDAP, or an
 * LDIF export) searched per object selection, streaming, so that 100k entries never sit in memory
 * at once. The sync engine, the CLI and the live previews all go through this interface.
 */
import type { DirectoryEntry } from '../domain/entry';

export type { DirectoryEntry };

export type SearchScope = 'base' | 'one' | 'sub';

/** One search: where, which entries, which attributes. */
export interface SearchRequest {
  /** Base DNs searched one after the other; entries are yielded in that order. */
  readonly baseDns: readonly string[];
  /** RFC 4515 filter, run by the server (LDAP) or evaluated locally with LDAP semantics (LDIF). */
  readonly filter: string;
  /**
   * Attributes to return (any case). Only these are requested from the server; an empty list
   * means all user attributes (`*`).
   */
  readonly attributes: readonly string[];
  readonly scope?: SearchScope;
  /** Overrides the source's configured size limit (0 = none). */
  readonly sizeLimit?: number;
  /** Overrides the source's configured time limit in seconds (0 = none). */
  readonly timeLimitSeconds?: number;
  /** Overrides the configured page size. */
  readonly pageSize?: number;
  /**
   * When the size limit cuts the result: false (default) ends the iteration with a
   * `sizeLimitExceeded` error after the entries, so that a truncated result is never taken for
   * the whole; true ends it quietly with `summary.truncated` set (previews, samples).
   */
  readonly allowPartial?: boolean;
  readonly signal?: AbortSignal;
}

/** What a finished (or failed) search saw besides its entries. */
export interface SearchSummary {
  /** Entries yielded so far. */
  entries: number;
  /** Result pages received (LDAP paged results; the LDIF source reports 0). */
  pages: number;
  /** Continuation references (RFC 4511 §4.5.3) the server returned; reported, never followed. */
  readonly references: string[];
  /** True when the size limit cut the result. */
  truncated: boolean;
  /** True once every base DN was searched to the end. */
  complete: boolean;
}

/** A running search: iterate it once for the entries; `summary` fills in as it goes. */
export interface SearchStream extends AsyncIterable<DirectoryEntry> {
  readonly summary: SearchSummary;
}

/** The root DSE facts dirsync uses (RFC 4512 §5.1, MS-ADTS §3.1.1.3.2). */
export interface RootDseInfo {
  readonly defaultNamingContext?: string;
  readonly namingContexts: readonly string[];
  readonly dnsHostName?: string;
  /** The DC's highest committed USN: the watermark of an incremental sync. */
  readonly highestCommittedUSN?: string;
  readonly subschemaSubentry?: string;
  readonly supportedControls: readonly string[];
  readonly supportedLdapVersions: readonly string[];
  /** The directory's own name for itself: the URL, or the LDIF file. */
  readonly source: string;
}

/** A directory to read from. Every method may throw DirectoryError. */
export interface DirectorySource {
  readonly kind: 'ldap' | 'ldif';
  /** The URL (or file) as the user configured it; for messages. */
  readonly location: string;
  /** Streams the entries a search selects. */
  search(request: SearchRequest): SearchStream;
  /** How many entries a search selects (reads only their DNs). */
  count(request: Omit<SearchRequest, 'attributes'>): Promise<number>;
  rootDse(signal?: AbortSignal): Promise<RootDseInfo>;
  /** Attribute names the directory's schema defines (lDAPDisplayName), for completion. */
  schemaAttributeNames(signal?: AbortSignal): Promise<string[]>;
  /**
   * DNs of a group's members, direct or transitive (nested groups expanded; the groups
   * themselves are included, as AD's in-chain matching rule returns them).
   */
  groupMembers(groupDn: string, opts: { transitive: boolean; baseDns?: readonly string[]; signal?: AbortSignal }): AsyncIterable<string>;
  close(): Promise<void>;
}
