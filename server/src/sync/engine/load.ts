/**
 * The engine's edges: loading a config (errors → an exception naming file:line:col), opening the
 * directory and the cloud with secrets resolved, and streaming both sides.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { envSecretResolver, type SecretResolver } from '../../avatars/credentials';
import type { ScimClient } from '../../cloud/index';
import { openDirectory, selectionSearch, type DirectorySource } from '../../directory/index';
import { parseEmbedded } from '../../language/embedded';
import type { DirsyncConfig, ObjectKind } from '../../../../common/config';
import type { AvatarUriPattern } from '../../language/avatarUri/index';
import { analyze, formatDiagnostic, type Diagnostic } from '../../language/service';
import type { LineIndex } from '../../language/positions';
import { viewCloudGroup, type CloudGroupView } from '../plan/match';
import { attributesNeeded, compileMapping, identityAttributes, type CompiledMapping } from '../plan/mapping';
import { dnKey } from '../../domain/dn';
import { incrementalFilter } from './syncState';
import type { DirectoryItem } from '../plan/types';
import type { EngineEvent, EngineOptions } from '../contract';
import { configuredCloudClient, type ConfiguredCloud } from './cloudClient';
import type { SyncProgress } from '../contract';

export interface LoadedConfig {
  readonly file: string;
  readonly text: string;
  readonly sha256: string;
  readonly config: DirsyncConfig;
  readonly lines: LineIndex;
  readonly mapping: CompiledMapping;
  readonly stateDir: string;
  readonly secrets: SecretResolver;
}

/** An error the CLI prints as is (exit 1): bad config, missing secret, unreachable side. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
}

/** Reads and validates the config; the first error is thrown as `file:line:col severity code message`. */
export async function loadEngineConfig(options: EngineOptions): Promise<LoadedConfig> {
  const file = resolve(options.configFile);
  let text = options.configText;
  if (text === undefined) {
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new EngineError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const analysis = analyze(text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const first = formatDiagnostic(file, analysis.lines, errors[0] as Diagnostic);
    throw new EngineError(
      `${first}${errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length === 2 ? '' : 's'}; run \`dirsync check\`)` : ''}`,
    );
  }
  const mapping = compileMapping(analysis.config, { file: basename(file), lines: analysis.lines });
  return {
    file,
    text,
    sha256: createHash('sha256').update(text).digest('hex'),
    config: analysis.config,
    lines: analysis.lines,
    mapping,
    stateDir: options.stateDir ?? join(dirname(file), '.dirsync'),
    secrets: options.secrets ?? envSecretResolver(),
  };
}

/** Removes `user:pass@` from a URL for reports and messages. */
export function safeUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

export async function openConfiguredDirectory(loaded: LoadedConfig, signal?: AbortSignal): Promise<DirectorySource> {
  return openDirectory(loaded.config.directory, {
    configDir: dirname(loaded.file),
    resolveSecret: loaded.secrets,
    ...(signal ? { signal } : {}),
  });
}

/** The config's cloud client (cloudClient.ts: token, proxy, event log). */
export function openConfiguredCloud(loaded: LoadedConfig, sessionId: string, onEvent?: (e: EngineEvent) => void): Promise<ConfiguredCloud> {
  return configuredCloudClient({
    cloud: loaded.config.cloud,
    configFile: loaded.file,
    secrets: loaded.secrets,
    stateDir: loaded.stateDir,
    sessionId,
    fail: (message) => new EngineError(message),
    ...(onEvent ? { onEvent } : {}),
  });
}

/** Attributes the avatar source reads (the photo attribute, or the URI pattern's placeholders). */
export function avatarAttributes(config: DirsyncConfig): string[] {
  const a = config.avatar;
  if (!a.enabled) return [];
  if (a.source === 'attribute') return [a.attribute?.value ?? 'thumbnailPhoto'];
  if (!a.uriPattern) return [];
  const { result } = parseEmbedded('avatarUri', a.uriPattern.value);
  if (!result?.ok) return [];
  return (result.value as AvatarUriPattern).parts.flatMap((p) => (p.type === 'placeholder' ? [p.attribute] : []));
}

const KINDS: readonly ObjectKind[] = ['users', 'rooms', 'contacts', 'groups'];

/**
 * Streams every enabled selection's entries (only the attributes the plan needs). With
 * `sinceUsn` (incremental sync, LDAP): per selection, the entries changed since the mark
 * (`incrementalFilter`) with every mapped attribute, then the rest of the scope with only the
 * identity attributes (`identityAttributes`), marked `identityOnly` — deletions are still found
 * by comparison, and nothing unchanged is read in full.
 */
export async function* readDirectory(
  loaded: LoadedConfig,
  source: DirectorySource,
  opts: {
    signal?: AbortSignal;
    onProgress?: (p: SyncProgress) => void;
    counts?: Partial<Record<ObjectKind, number>>;
    sinceUsn?: string;
  } = {},
): AsyncGenerator<DirectoryItem> {
  const { config, mapping } = loaded;
  const signal = opts.signal ? { signal: opts.signal } : {};
  let total = 0;
  const progress = (kind: ObjectKind) => {
    if (++total % 1000 === 0) opts.onProgress?.({ phase: 'directory', message: `read ${total} directory entries (${kind})`, done: total });
  };
  for (const kind of KINDS) {
    const sel = config.objects[kind];
    if (!sel.enabled) continue;
    const extra = kind === 'users' || kind === 'rooms' ? avatarAttributes(config) : [];
    const attributes = attributesNeeded(config, mapping, kind, extra);
    let n = 0;
    if (opts.sinceUsn === undefined) {
      for await (const entry of source.search(selectionSearch(sel, attributes, signal))) {
        n++;
        progress(kind);
        yield { selection: kind, entry };
      }
    } else {
      const changed = new Set<string>();
      const filter = { value: incrementalFilter(sel.filter.value, opts.sinceUsn) };
      // memberOf: a user created by this sync may be in groups unchanged since the mark (plan.ts).
      const changedAttributes = kind === 'users' || kind === 'rooms' ? [...attributes, 'memberOf'] : attributes;
      for await (const entry of source.search(selectionSearch({ baseDns: sel.baseDns, filter }, changedAttributes, signal))) {
        n++;
        progress(kind);
        changed.add(dnKey(entry.dn));
        yield { selection: kind, entry };
      }
      // A resource server's picture can change without AD changing: its URI's attributes are read too.
      const identity = [...identityAttributes(config, mapping, kind), ...(config.avatar.source === 'resourceServer' ? extra : [])];
      for await (const entry of source.search(selectionSearch(sel, identity, signal))) {
        if (changed.has(dnKey(entry.dn))) continue;
        n++;
        progress(kind);
        yield { selection: kind, entry, identityOnly: true };
      }
    }
    if (opts.counts) opts.counts[kind] = n;
  }
  opts.onProgress?.({ phase: 'directory', message: `read ${total} directory entries`, done: total, total });
}

/** Reads identity-only entries again with every mapped attribute (one base-scope search each). */
export async function* readEntriesInFull(
  loaded: LoadedConfig,
  source: DirectorySource,
  items: readonly DirectoryItem[],
  signal?: AbortSignal,
): AsyncGenerator<DirectoryItem> {
  const { config, mapping } = loaded;
  for (const { selection, entry: old } of items) {
    const extra = selection === 'users' || selection === 'rooms' ? avatarAttributes(config) : [];
    const req = {
      baseDns: [old.dn],
      scope: 'base' as const,
      filter: config.objects[selection].filter.value,
      attributes: attributesNeeded(
        config,
        mapping,
        selection,
        selection === 'users' || selection === 'rooms' ? [...extra, 'memberOf'] : extra,
      ),
      ...(signal ? { signal } : {}),
    };
    for await (const entry of source.search(req)) yield { selection, entry };
  }
}

/**
 * Every cloud user the target lists. Webex's published API has no way to list soft-deleted users,
 * so none is asked for: a user deleted in the cloud and back in AD is created again (Webex and the
 * local cloud bring back the same account).
 */
export async function* readCloudUsers(client: ScimClient, opts: { signal?: AbortSignal; onProgress?: (p: SyncProgress) => void } = {}) {
  let n = 0;
  for await (const u of client.users.list({ prefetch: 2, ...(opts.signal ? { signal: opts.signal } : {}) })) {
    if (++n % 1000 === 0) opts.onProgress?.({ phase: 'cloud', message: `read ${n} cloud users`, done: n });
    yield u;
  }
  opts.onProgress?.({ phase: 'cloud', message: `read ${n} cloud users`, done: n, total: n });
}

/** Groups whose members are read at once (one request each, or one per 500 members on Webex). */
const MEMBER_READS = 8;

/**
 * Every cloud group with its member ids, in the order the cloud lists the groups. The members of
 * up to MEMBER_READS groups are read at once: one request a group, one after the other, made the
 * listing of a few hundred groups a few hundred round trips long.
 */
export async function readCloudGroups(client: ScimClient, signal?: AbortSignal): Promise<CloudGroupView[]> {
  const out: Array<Promise<CloudGroupView>> = [];
  const inFlight = new Set<Promise<unknown>>();
  const membersOf = async (id: string): Promise<string[]> => {
    const members: string[] = [];
    for await (const m of client.groups.members(id, signal ? { signal } : {})) members.push(m.value);
    return members;
  };
  for await (const g of client.groups.list({ excludedAttributes: ['members'], ...(signal ? { signal } : {}) })) {
    if (inFlight.size >= MEMBER_READS) await Promise.race(inFlight);
    const view = (g.id ? membersOf(g.id) : Promise.resolve([])).then((members) => viewCloudGroup(g, members));
    const settled: Promise<boolean> = view.then(
      (): boolean => inFlight.delete(settled),
      (): boolean => inFlight.delete(settled),
    );
    inFlight.add(settled);
    view.catch(() => undefined); // observed below; a listing that fails first must not leave it unhandled
    out.push(view);
  }
  // Every read is awaited (a failure is thrown here, none left unobserved).
  const results = await Promise.allSettled(out);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<CloudGroupView>).value);
}
