/**
 * The editor features of the live previews, on top of `LivePreviews`: CodeLens data, inlay hints,
 * the live part of hovers and completion, the CodeLens sample list, the preview-entry pick and the
 * avatar URL check. Edit-path features (lenses, hints) read the cache only; requests the user
 * makes (hover, completion, a click) may wait for the directory, within a budget and cancellably.
 */
import type { Analysis } from '../language/analysis';
import type { SecretRef, TextRange } from '../../../common/config';
import { firstText, type DirectoryEntry } from '../domain/entry';
import {
  liveInlayHints,
  liveSelections,
  mappingsFor,
  previewMappings,
  selectionLensTitle,
  type LiveCompletionData,
  type LiveCompletionNeed,
  type LiveHoverInput,
  type LiveInlayHint,
} from '../language/live/index';
import type { AvatarCheckResult, SampleEntry, SelectionKind, SelectionSample, SetPreviewEntryResult } from '../../../common/requests';
import { isAborted } from './binding';
import { checkAvatar, inspectImage } from './avatarCheck';
import type { LivePreviews } from './previews';

export interface LensData {
  readonly range: TextRange;
  readonly title: string;
  /** A client command and its arguments (the VS Code extension registers them). */
  readonly command?: { readonly id: string; readonly args: readonly unknown[] };
}

/** Waits for `p` at most `ms` (or until `signal`); undefined past that. The query goes on and fills the cache. */
async function within<T>(p: Promise<T>, ms: number, signal?: AbortSignal): Promise<{ value?: T; late: boolean }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
    onAbort = () => resolve('late');
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  p.catch(() => undefined);
  try {
    const r = await Promise.race([p.then((value) => ({ value })), late]);
    return r === 'late' ? { late: true } : { value: r.value, late: false };
  } catch (err) {
    if (!isAborted(err)) throw err;
    return { late: true };
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** CodeLenses: one per enabled selection (live count, click for a sample), and "Test avatar URL". */
export function lensesFor(live: LivePreviews, uri: string, version: number, analysis: Analysis): LensData[] {
  const doc = live.get(uri);
  if (!doc) return [];
  const b = doc.binding;
  const selections = liveSelections(analysis).filter((s) => s.enabled && s.baseDns.length > 0);
  const out: LensData[] = [];
  if (b.state === 'failed' || b.state === 'down') {
    const first = selections[0];
    const short = (b.reason ?? 'the directory is not available').split(/(?<=\.)\s/)[0]!;
    if (first)
      out.push({
        range: first.anchor,
        title: `$(warning) Live count off: ${short}`,
        command: { id: 'dirsync.bindDirectory', args: [uri] },
      });
    return out;
  }
  if (b.state !== 'bound') {
    for (const s of selections) out.push({ range: s.anchor, title: `$(sync~spin) connecting to count ${s.kind}…` });
    return out;
  }
  const last = live.lastDryRun(uri);
  for (const s of selections) {
    if (!s.runnable) {
      out.push({ range: s.anchor, title: `${s.kind}: the filter has errors — not counted` });
      continue;
    }
    const lens = selectionLensTitle(s.kind, doc.queries.peekCount(s), last?.counts[s.kind]);
    out.push({ range: s.anchor, title: lens.title, command: { id: 'dirsync.showSelectionSample', args: [uri, s.kind] } });
  }
  const a = analysis.config.avatar;
  if (a.enabled && a.source === 'resourceServer' && a.uriPattern && a.uriPattern.range.end > a.uriPattern.range.start) {
    out.push({ range: a.uriPattern.range, title: 'Test avatar URL', command: { id: 'dirsync.testAvatarUrl', args: [uri] } });
  }
  live.refreshIfStale(uri, version);
  return out;
}

/** Inlay hints: each mapping's value on the preview entry, the avatar's URL or photo. */
export function hintsFor(live: LivePreviews, uri: string, analysis: Analysis): LiveInlayHint[] {
  const user = live.previewEntry(uri, analysis);
  const contact = live.previewContact(uri, analysis);
  if (!user && !contact) return [];
  return liveInlayHints(
    analysis,
    {
      ...(user ? { user: user.entry, userLabel: user.picked ? 'the picked entry' : 'the sample user' } : {}),
      ...(contact ? { contact } : {}),
    },
    inspectImage,
  );
}

/** The current preview entry, reading it from the directory when it is not cached (within `waitMs`). */
async function awaitPreviewEntry(
  live: LivePreviews,
  uri: string,
  analysis: Analysis,
  waitMs: number,
  signal?: AbortSignal,
): Promise<{ entry: DirectoryEntry; picked: boolean } | undefined> {
  const cached = live.previewEntry(uri, analysis);
  const doc = live.get(uri);
  if (cached || !doc || doc.binding.state !== 'bound') return cached;
  const dir = analysis.config.directory;
  const users = liveSelections(analysis).find((s) => s.kind === 'users' && s.runnable);
  const q: Promise<unknown> | undefined = doc.binding.previewDn
    ? doc.queries.entry(dir, doc.binding.previewDn)
    : users
      ? doc.queries.sample(dir, users, 1)
      : undefined;
  if (!q) return undefined;
  await within(q, waitMs, signal);
  return live.previewEntry(uri, analysis);
}

/** What the live directory adds to a hover at `offset`. */
export async function hoverInputFor(
  live: LivePreviews,
  uri: string,
  analysis: Analysis,
  offset: number,
  opts: { waitMs: number; signal?: AbortSignal; resolveSecret: (ref: SecretRef) => Promise<string | undefined> },
): Promise<LiveHoverInput | undefined> {
  const doc = live.get(uri);
  if (!doc) return undefined;
  const facts = live.facts(uri, analysis);
  if (doc.binding.state !== 'bound') return facts ? { facts } : undefined;
  const user = await awaitPreviewEntry(live, uri, analysis, opts.waitMs, opts.signal);
  const contact = live.previewContact(uri, analysis);
  let avatarCheck: string | undefined;
  const pattern = analysis.config.avatar.uriPattern;
  if (user && pattern && offset >= pattern.range.start && offset <= pattern.range.end) {
    const r = await within(avatarFor(live, uri, analysis, user.entry, opts.resolveSecret), opts.waitMs, opts.signal);
    if (r.value) avatarCheck = `${r.value.url ? `\`${r.value.url}\` → ` : ''}${r.value.summary}`;
  }
  return {
    ...(facts ? { facts } : {}),
    ...(user ? { user: user.entry, userLabel: user.picked ? 'the picked entry' : 'the sample user' } : {}),
    ...(contact ? { contact } : {}),
    ...(avatarCheck ? { avatarCheck } : {}),
  };
}

/** The avatar check of an entry, cached with the binding's answers (30 s). */
function avatarFor(
  live: LivePreviews,
  uri: string,
  analysis: Analysis,
  entry: DirectoryEntry,
  resolveSecret: (ref: SecretRef) => Promise<string | undefined>,
): Promise<AvatarCheckResult> {
  const doc = live.get(uri)!;
  const a = analysis.config.avatar;
  const key = `avatar\0${entry.dn}\0${a.source}\0${a.uriPattern?.value ?? a.attribute?.value ?? ''}\0${JSON.stringify(a.credentials ?? null)}`;
  return doc.binding.cache.get(key, 30_000, (signal) => checkAvatar(analysis.config, entry, { secrets: resolveSecret, signal }));
}

/** "Test avatar URL": the check on the preview entry, now. */
export async function testAvatar(
  live: LivePreviews,
  uri: string,
  analysis: Analysis,
  resolveSecret: (ref: SecretRef) => Promise<string | undefined>,
  signal?: AbortSignal,
): Promise<AvatarCheckResult> {
  const doc = live.get(uri);
  if (doc?.binding.state !== 'bound')
    return { ok: false, summary: `Live previews are off: ${live.status(uri).reason ?? 'no directory is bound.'}` };
  const user = await awaitPreviewEntry(live, uri, analysis, 60_000, signal);
  if (!user)
    return {
      ok: false,
      summary: 'No preview entry: the users selection matches nobody (or is not enabled). Pick one with "Dirsync: Pick Preview Entry…".',
    };
  return checkAvatar(analysis.config, user.entry, { secrets: resolveSecret, ...(signal ? { signal } : {}) });
}

/** Live answers for completion needs, waiting at most `waitMs` for what is not cached. */
export async function completionDataFor(
  live: LivePreviews,
  uri: string,
  needs: readonly LiveCompletionNeed[],
  opts: { waitMs: number; signal?: AbortSignal },
): Promise<{ data: LiveCompletionData; complete: boolean }> {
  const doc = live.get(uri);
  const dir = doc?.binding.effectiveSettings;
  if (!doc || !dir || doc.binding.state !== 'bound') return { data: {}, complete: true };
  const q = doc.queries;
  let complete = true;
  const wait = async <T>(p: Promise<T>): Promise<T | undefined> => {
    const r = await within(p, opts.waitMs, opts.signal);
    if (r.late) complete = false;
    return r.value;
  };
  const data: {
    schema?: readonly string[];
    namingContexts?: readonly string[];
    children?: Map<string, readonly string[]>;
    groups?: readonly string[];
  } = {};
  await Promise.all(
    needs.map(async (need) => {
      if (need.kind === 'schema') {
        const s = await wait(q.schema(dir));
        if (s) data.schema = s;
      } else if (need.kind === 'dn') {
        const dse = await wait(q.rootDse(dir));
        data.namingContexts =
          dse?.namingContexts.filter((n) => !/^(CN=Configuration|CN=Schema|DC=DomainDnsZones|DC=ForestDnsZones)/i.test(n)) ?? [];
        const expand = [...need.expand];
        if (need.typed === '' && dse?.defaultNamingContext) expand.push(dse.defaultNamingContext);
        const children = new Map<string, readonly string[]>();
        await Promise.all(expand.map(async (dn) => children.set(dn, (await wait(q.children(dir, dn))) ?? [])));
        data.children = children;
      } else {
        const bases = dir.baseDns.length
          ? dir.baseDns.map((b) => b.value)
          : [(await wait(q.rootDse(dir)))?.defaultNamingContext ?? ''].filter(Boolean);
        if (bases.length) data.groups = (await wait(q.groups(dir, bases, need.prefix))) ?? [];
      }
    }),
  );
  return { data, complete };
}

function labelOf(e: DirectoryEntry): string {
  return firstText(e, 'displayName') || firstText(e, 'cn') || firstText(e, 'name') || e.dn.split(/(?<!\\),/)[0]!.replace(/^[^=]*=/, '');
}

/** A sample of a selection's entries with their mapped values (the CodeLens click). */
export async function selectionSample(
  live: LivePreviews,
  uri: string,
  analysis: Analysis,
  kind: SelectionKind,
  limit: number,
  signal?: AbortSignal,
): Promise<SelectionSample> {
  const doc = live.get(uri);
  if (doc?.binding.state !== 'bound')
    return { kind, entries: [], error: `Live previews are off: ${live.status(uri).reason ?? 'no directory is bound.'}` };
  const s = liveSelections(analysis).find((x) => x.kind === kind);
  if (!s?.runnable) return { kind, entries: [], error: `The ${kind} selection is not enabled, has no base DNs, or its filter has errors.` };
  try {
    const entries = await doc.queries.sample(analysis.config.directory, s, Math.max(1, Math.min(limit, 500)), signal);
    const mappings = mappingsFor(analysis.config, kind);
    const count = doc.queries.peekCount(s);
    return {
      kind,
      ...(count?.state === 'counted' ? { count: count.count } : {}),
      entries: entries.map(
        (e): SampleEntry => ({
          dn: e.dn,
          label: labelOf(e),
          values: previewMappings(mappings, e).flatMap((p) => (p.value !== undefined ? [{ cloud: p.cloud, value: p.value }] : [])),
        }),
      ),
    };
  } catch (err) {
    if (isAborted(err)) throw err;
    return { kind, entries: [], error: err instanceof Error ? err.message : String(err) };
  }
}

/** Sets (or, without a DN, clears) the picked preview entry. */
export async function setPreviewEntry(
  live: LivePreviews,
  uri: string,
  analysis: Analysis,
  dn: string | undefined,
  refreshHints: () => void,
  signal?: AbortSignal,
): Promise<SetPreviewEntryResult> {
  const doc = live.get(uri);
  if (doc?.binding.state !== 'bound')
    return { status: live.status(uri), error: `Live previews are off: ${live.status(uri).reason ?? 'no directory is bound.'}` };
  if (dn) {
    const entry = await doc.queries.entry(analysis.config.directory, dn, signal);
    if (!entry)
      return { status: live.status(uri), error: `No entry ${dn} in ${doc.binding.effectiveSettings?.url.value ?? 'the directory'}.` };
    doc.binding.previewDn = entry.dn;
  } else {
    doc.binding.previewDn = undefined;
    await awaitPreviewEntry(live, uri, analysis, 30_000, signal);
  }
  refreshHints();
  live.sendStatus(uri);
  return { status: live.status(uri) };
}
