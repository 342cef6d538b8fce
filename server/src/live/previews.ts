/**
 * The live previews of every open document: which documents are bound to which directory, the
 * refresh that reads what the previews need from it, and the status the client shows.
 *
 * Off the edit path by construction: what an edit triggers (static diagnostics, CodeLens, inlay
 * hints) reads only the cache (`facts`, `peek*`). After the static diagnostics of an edit are out,
 * a refresh is scheduled (debounced per document, `liveDelayMs`); it asks the directory what is
 * missing or stale, cancellably (a newer edit aborts it), and when the answers are in, re-publishes
 * the diagnostics with the DS6xx ones merged and asks the client to refresh lenses and hints.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Analysis } from '../language/analysis';
import type { DirectoryConfig, ObjectKind, SecretRef } from '../../../common/config';
import type { DirectoryEntry } from '../domain/entry';
import { baseDnValues, liveSelections, type LiveFacts, type SelectionCount } from '../language/live/index';
import { canonicalDnKey as dnKey } from '../domain/dn';
import type { LiveStatus, SelectionKind } from '../../../common/requests';
import { DirectoryBinding, isAborted, type BindOverrides, type DirectoryOpener } from './binding';
import type { DryRunCounts, LastDryRunCounts } from './lastDryRun';
import { LiveQueries, TTL } from './queries';

export interface LiveDocumentAccess {
  /** The current version of an open document and its analysis, or undefined when it is closed. */
  current(uri: string): { version: number; analysis: Analysis } | undefined;
}

export interface LivePreviewsOptions {
  readonly documents: LiveDocumentAccess;
  /** Reads a secret reference for a document (through the client: SecretStorage, environment). */
  readonly resolveSecret: (uri: string, ref: SecretRef, purpose: string) => Promise<string | undefined>;
  readonly sendStatus: (status: LiveStatus) => void;
  /** Re-publishes a document's diagnostics (static + cached live). */
  readonly publish: (uri: string) => void;
  readonly refreshLenses: () => void;
  readonly refreshHints: () => void;
  readonly log: (message: string) => void;
  readonly lastDryRun?: LastDryRunCounts;
  readonly open?: DirectoryOpener;
  /** Debounce of the refresh after an edit. */
  readonly liveDelayMs: number;
  /** Pause between automatic reconnection attempts to a directory that is down. */
  readonly retryMs?: number;
}

export interface LiveDocument {
  readonly binding: DirectoryBinding;
  readonly queries: LiveQueries;
  timer?: ReturnType<typeof setTimeout>;
  controller?: AbortController;
  lastRefresh?: { version: number; at: number };
  dryRun?: { value: DryRunCounts | undefined; at: number };
}

/** The file path behind a `file:` URI, for paths relative to the config. */
export function configPathOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

const UNBOUND_REASON = 'no directory is bound. Run "Dirsync: Bind Directory…" to see live counts, values and checks.';

export class LivePreviews {
  private readonly docs = new Map<string, LiveDocument>();
  /** Documents the user unbound: no automatic binding (LDIF) for them this session. */
  private readonly optedOut = new Set<string>();
  private readonly sent = new Map<string, string>();

  constructor(private readonly opts: LivePreviewsOptions) {}

  /** The live side of a document, if it is bound. */
  get(uri: string): LiveDocument | undefined {
    return this.docs.get(uri);
  }

  /** True when the document's directory answers (state `bound`). */
  isBound(uri: string): boolean {
    return this.docs.get(uri)?.binding.state === 'bound';
  }

  // ── binding ────────────────────────────────────────────────────────────────────────────────

  private create(uri: string, overrides: BindOverrides, auto: boolean): LiveDocument {
    const path = configPathOf(uri);
    const binding = new DirectoryBinding({
      uri,
      ...(path ? { configDir: dirname(path) } : {}),
      overrides,
      auto,
      resolveSecret: (ref) => this.opts.resolveSecret(uri, ref, 'directory.password'),
      ...(this.opts.open ? { open: this.opts.open } : {}),
      ...(this.opts.retryMs !== undefined ? { retryMs: this.opts.retryMs } : {}),
      onChange: () => this.bindingChanged(uri),
    });
    const doc: LiveDocument = { binding, queries: new LiveQueries(binding) };
    this.docs.set(uri, doc);
    return doc;
  }

  private bindingChanged(uri: string): void {
    this.sendStatus(uri);
    const doc = this.docs.get(uri);
    if (doc && doc.binding.state !== 'connecting') {
      this.opts.publish(uri);
      this.opts.refreshLenses();
      this.opts.refreshHints();
    }
  }

  /**
   * Binds a document (again): connects with the config's settings plus `overrides`, then
   * refreshes. A failure is reported in the returned status, not thrown.
   */
  async bind(uri: string, overrides: BindOverrides): Promise<LiveStatus> {
    const current = this.opts.documents.current(uri);
    if (!current) return { uri, state: 'unbound', reason: 'the document is not open.' };
    this.optedOut.delete(uri);
    const old = this.docs.get(uri);
    if (old) {
      this.cancel(old);
      this.docs.delete(uri);
      await old.binding.close();
    }
    const doc = this.create(uri, overrides, false);
    try {
      await doc.binding.source(current.analysis.config.directory, { force: true });
    } catch (err) {
      if (!isAborted(err)) this.opts.log(`dirsync: bind ${uri}: ${err instanceof Error ? err.message : String(err)}`);
      return this.status(uri);
    }
    this.schedule(uri, 0);
    return this.status(uri);
  }

  /** Unbinds: closes the connection, drops the live diagnostics, lenses and hints. */
  async unbind(uri: string): Promise<LiveStatus> {
    this.optedOut.add(uri);
    const doc = this.docs.get(uri);
    if (doc) {
      this.cancel(doc);
      this.docs.delete(uri);
      await doc.binding.close();
    }
    this.sendStatus(uri);
    this.opts.publish(uri);
    this.opts.refreshLenses();
    this.opts.refreshHints();
    return this.status(uri);
  }

  /** The document was closed: its binding goes (the client re-binds it when it is opened again). */
  async closed(uri: string): Promise<void> {
    const doc = this.docs.get(uri);
    this.docs.delete(uri);
    this.sent.delete(uri);
    this.optedOut.delete(uri);
    if (doc) {
      this.cancel(doc);
      await doc.binding.close();
    }
  }

  /** Closes every binding (server shutdown). */
  async dispose(): Promise<void> {
    await Promise.all([...this.docs.keys()].map((u) => this.closed(u)));
  }

  private cancel(doc: LiveDocument): void {
    if (doc.timer) clearTimeout(doc.timer);
    doc.timer = undefined;
    doc.controller?.abort();
    doc.controller = undefined;
  }

  // ── status ─────────────────────────────────────────────────────────────────────────────────

  status(uri: string): LiveStatus {
    const doc = this.docs.get(uri);
    if (!doc) return { uri, state: 'unbound', reason: UNBOUND_REASON };
    const b = doc.binding;
    const d = b.effectiveSettings;
    const base = {
      uri,
      state: b.state,
      ...(d ? { url: d.url.value, kind: d.source.kind, ...(d.bindDn && d.source.kind === 'ldap' ? { bindDn: d.bindDn.value } : {}) } : {}),
      ...(b.reason && b.state !== 'bound' ? { reason: b.reason } : {}),
      ...(b.code && b.state !== 'bound' ? { code: b.code } : {}),
    };
    if (b.state !== 'bound') return base;
    const current = this.opts.documents.current(uri);
    const counts: Partial<Record<SelectionKind, number>> = {};
    const failed: Partial<Record<SelectionKind, string>> = {};
    let all = true;
    for (const s of current ? liveSelections(current.analysis).filter((x) => x.runnable) : []) {
      const c = doc.queries.peekCount(s);
      if (c?.state === 'counted') counts[s.kind] = c.count;
      // A failed search is an answer too: the status says so instead of "counting…".
      else if (c?.state === 'failed') failed[s.kind] = c.message;
      else all = false;
    }
    const entries = Object.values(counts).reduce((a, n) => a + n, 0);
    const answered = Object.keys(counts).length + Object.keys(failed).length;
    const preview = current ? this.previewEntry(uri, current.analysis) : undefined;
    return {
      ...base,
      counts,
      ...(all && answered ? { entries } : {}),
      ...(Object.keys(failed).length ? { failed } : {}),
      ...(preview ? { previewEntry: preview.entry.dn, previewEntryPicked: preview.picked } : {}),
    };
  }

  /** Sends the document's status when it changed since the last one sent. */
  sendStatus(uri: string): void {
    const s = this.status(uri);
    const text = JSON.stringify(s);
    if (this.sent.get(uri) === text) return;
    this.sent.set(uri, text);
    this.opts.sendStatus(s);
  }

  // ── the edit path: cache only ──────────────────────────────────────────────────────────────

  /** What the directory has said about the document, for DS6xx diagnostics and hovers. */
  facts(uri: string, analysis: Analysis): LiveFacts | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    const b = doc.binding;
    const d = b.effective(analysis.config.directory);
    const base = { location: d.url.value, kind: d.source.kind };
    if (b.state === 'failed' || b.state === 'down')
      return { ...base, unavailable: { message: b.reason ?? 'the directory is not available', ...(b.code ? { code: b.code } : {}) } };
    if (b.state !== 'bound') return base;
    const schema = doc.queries.peekSchema();
    const baseDns = new Map<string, boolean>();
    for (const v of baseDnValues(analysis)) {
      const e = doc.queries.peekExists(v.dn);
      if (e !== undefined) baseDns.set(dnKey(v.dn), e);
    }
    const counts: Partial<Record<ObjectKind, SelectionCount>> = {};
    for (const s of liveSelections(analysis)) {
      if (!s.runnable) continue;
      const c = doc.queries.peekCount(s);
      if (c) counts[s.kind] = c;
    }
    return { ...base, ...(schema ? { schema: new Set(schema.map((n) => n.toLowerCase())) } : {}), baseDns, counts };
  }

  /** The entry `attributes` are previewed on, if it has been read. */
  previewEntry(uri: string, analysis: Analysis): { entry: DirectoryEntry; picked: boolean } | undefined {
    const doc = this.docs.get(uri);
    if (doc?.binding.state !== 'bound') return undefined;
    if (doc.binding.previewDn) {
      const e = doc.queries.peekEntry(doc.binding.previewDn);
      return e ? { entry: e, picked: true } : undefined;
    }
    const users = liveSelections(analysis).find((s) => s.kind === 'users');
    const first = users?.runnable ? doc.queries.peekSample(users, 1)?.[0] : undefined;
    return first ? { entry: first, picked: false } : undefined;
  }

  /** The first contact, for `contactAttributes` previews. */
  previewContact(uri: string, analysis: Analysis): DirectoryEntry | undefined {
    const doc = this.docs.get(uri);
    const contacts = liveSelections(analysis).find((s) => s.kind === 'contacts');
    return doc?.binding.state === 'bound' && contacts?.runnable ? doc.queries.peekSample(contacts, 1)?.[0] : undefined;
  }

  /** The last dry run's counts, as far as read. */
  lastDryRun(uri: string): DryRunCounts | undefined {
    return this.docs.get(uri)?.dryRun?.value;
  }

  // ── refresh ────────────────────────────────────────────────────────────────────────────────

  /**
   * After the static diagnostics of an edit are out: binds an LDIF export automatically (no
   * credentials, no network), sends the status once, and schedules a refresh.
   */
  afterStaticPublish(uri: string, analysis: Analysis): void {
    let doc = this.docs.get(uri);
    const dir = analysis.config.directory;
    if (!doc && !this.optedOut.has(uri) && dir.source.kind === 'ldif' && (configPathOf(uri) || /^ldif:\//.test(dir.url.value))) {
      doc = this.create(uri, {}, true);
    }
    if (!doc) {
      this.sendStatus(uri);
      return;
    }
    this.schedule(uri, this.opts.liveDelayMs);
  }

  /** Schedules a refresh when some cached answer the document needs is missing or stale. */
  refreshIfStale(uri: string, version: number): void {
    const doc = this.docs.get(uri);
    if (doc?.binding.state !== 'bound' || doc.timer || doc.controller) return;
    const last = doc.lastRefresh;
    if (last && last.version === version && Date.now() - last.at < TTL.count) return;
    this.schedule(uri, this.opts.liveDelayMs);
  }

  private schedule(uri: string, delay: number): void {
    const doc = this.docs.get(uri);
    if (!doc) return;
    this.cancel(doc);
    doc.timer = setTimeout(() => {
      doc.timer = undefined;
      void this.refresh(uri, doc).catch((err: unknown) =>
        this.opts.log(`dirsync: live refresh of ${uri} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
      );
    }, delay);
  }

  private async refresh(uri: string, doc: LiveDocument): Promise<void> {
    const current = this.opts.documents.current(uri);
    if (!current || this.docs.get(uri) !== doc) return;
    const controller = new AbortController();
    doc.controller = controller;
    const signal = controller.signal;
    const { analysis, version } = current;
    const dir: DirectoryConfig = analysis.config.directory;
    try {
      try {
        await doc.binding.source(dir);
      } catch {
        return; // the binding reported it (status, DS601)
      }
      if (signal.aborted) return;
      const selections = liveSelections(analysis).filter((s) => s.runnable);
      const users = selections.find((s) => s.kind === 'users');
      const contacts = selections.find((s) => s.kind === 'contacts');
      const tasks: Array<Promise<unknown>> = [
        doc.queries.schema(dir, signal),
        ...[...new Set(baseDnValues(analysis).map((b) => b.dn))].map((dn) => doc.queries.exists(dir, dn, signal)),
        ...selections.map((s) => doc.queries.count(dir, s, signal)),
        doc.binding.previewDn
          ? doc.queries.entry(dir, doc.binding.previewDn, signal)
          : users
            ? doc.queries.sample(dir, users, 1, signal)
            : Promise.resolve(),
        contacts && analysis.config.contactAttributes.some((m) => !m.isDefault)
          ? doc.queries.sample(dir, contacts, 1, signal)
          : Promise.resolve(),
        this.readDryRun(uri, doc),
      ];
      const results = await Promise.allSettled(tasks);
      if (signal.aborted) return;
      for (const r of results) {
        if (r.status === 'rejected' && !isAborted(r.reason))
          this.opts.log(`dirsync: live: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
      }
      doc.lastRefresh = { version, at: Date.now() };
      this.opts.publish(uri);
      this.opts.refreshLenses();
      this.opts.refreshHints();
      this.sendStatus(uri);
    } finally {
      if (doc.controller === controller) doc.controller = undefined;
    }
  }

  private async readDryRun(uri: string, doc: LiveDocument): Promise<void> {
    const path = configPathOf(uri);
    if (!this.opts.lastDryRun || !path) return;
    if (doc.dryRun && Date.now() - doc.dryRun.at < TTL.count) return;
    doc.dryRun = { value: await this.opts.lastDryRun.countsFor(path), at: Date.now() };
  }
}
