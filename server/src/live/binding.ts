/**
 * One document's live directory binding: the open `DirectorySource`, where it stands (`LiveState`)
 * and why, and the query cache that belongs to it. The binding follows the document: when the
 * directory settings in the text change, the next question reconnects with the new ones.
 *
 * Failures are handled the way an admin would want:
 * - A connection that drops (AD closes idle LDAP connections after MaxConnIdleTime, 15 minutes by
 *   default) is re-established once, transparently, and the question asked again.
 * - A directory that does not answer is `down`; it is tried again on a later edit, at most every
 *   `retryMs`, never in a loop.
 * - A refused bind (wrong password, locked or disabled account, untrusted certificate) is never
 *   retried on its own: repeated binds with a wrong password lock AD accounts. It is retried when
 *   the directory settings change or the user runs "Dirsync: Bind Directory…" again.
 */
import { DirectoryError, openDirectory, type DirectorySource, type OpenDirectoryOptions } from '../directory/index';
import { parseDirectoryUrl } from '../language/config/formats';
import type { DirectoryConfig, SecretRef } from '../../../common/config';
import type { LiveState } from '../../../common/requests';
import { QueryCache } from './queryCache';

/** What "Dirsync: Bind Directory…" adds to a config that does not say it. */
export interface BindOverrides {
  readonly url?: string;
  readonly bindDn?: string;
  /** SecretStorage key of the password when the config has none (or its reference is unset). */
  readonly passwordKey?: string;
}

export type SecretLookup = (ref: SecretRef) => Promise<string | undefined>;
export type DirectoryOpener = (config: DirectoryConfig, opts: OpenDirectoryOptions) => Promise<DirectorySource>;

export interface BindingOptions {
  readonly uri: string;
  /** Folder of the config file (relative LDIF and CA paths); undefined for unsaved documents. */
  readonly configDir?: string;
  readonly overrides: BindOverrides;
  readonly resolveSecret: SecretLookup;
  readonly open?: DirectoryOpener;
  readonly now?: () => number;
  /** Minimum pause between automatic reconnection attempts to a directory that is down. Default 30 s. */
  readonly retryMs?: number;
  /** Called on every state change. */
  readonly onChange: () => void;
  /** Bound automatically (an LDIF export needs no credentials), not by the user. */
  readonly auto?: boolean;
}

/** Errors that say the settings or credentials are wrong: retrying the same settings cannot help. */
const NO_AUTO_RETRY = new Set([
  'invalidCredentials',
  'accountRestricted',
  'config',
  'tlsUntrusted',
  'tlsHostMismatch',
  'strongAuthRequired',
  'fileNotFound',
  'ldifSyntax',
]);
/** Errors that mean the connection is gone. */
const CONNECTION_GONE = new Set(['connectionLost', 'unreachable', 'timeout']);
/** Failures that are answers about the question, not about the connection: cached like values. */
const ANSWERS = new Set(['noSuchBase', 'invalidFilter', 'insufficientAccess', 'sizeLimitExceeded', 'timeLimitExceeded', 'referral']);

export const isAnswer = (err: unknown) => err instanceof DirectoryError && ANSWERS.has(err.code);
export const isAborted = (err: unknown) =>
  (err instanceof DirectoryError && err.code === 'aborted') || (err as { name?: string })?.name === 'AbortError';

/** The settings that, when changed, need a new connection (ranges left out). */
function settingsKey(d: DirectoryConfig): string {
  return JSON.stringify({
    type: d.type,
    url: d.url.value,
    bindDn: d.bindDn?.value,
    password: d.password?.value.text,
    tls: { caFile: d.tls.caFile?.value, startTls: d.tls.startTls, verify: d.tls.verify, serverName: d.tls.serverName },
    baseDns: d.baseDns.map((b) => b.value),
    pageSize: d.pageSize,
    sizeLimit: d.sizeLimit,
    timeLimitSeconds: d.timeLimitSeconds,
    connectTimeoutSeconds: d.connectTimeoutSeconds,
  });
}

export class DirectoryBinding {
  state: LiveState = 'connecting';
  reason?: string;
  code?: string;
  readonly cache = new QueryCache({ cacheError: isAnswer });
  /** Picked preview entry (DN), if any. */
  previewDn?: string;
  private current?: { source: DirectorySource; key: string };
  private connecting?: { promise: Promise<DirectorySource>; key: string };
  private failedKey?: string;
  private lastAttempt = -Infinity;
  private settings?: DirectoryConfig;
  private closed = false;

  constructor(private readonly opts: BindingOptions) {}

  get uri(): string {
    return this.opts.uri;
  }
  get auto(): boolean {
    return !!this.opts.auto;
  }
  get overrides(): BindOverrides {
    return this.opts.overrides;
  }
  /** The directory settings last used (for the status: URL, bind DN, kind). */
  get effectiveSettings(): DirectoryConfig | undefined {
    return this.settings;
  }

  /** The document's directory settings with the bind command's answers filled in. */
  effective(config: DirectoryConfig): DirectoryConfig {
    const o = this.opts.overrides;
    let d = config;
    if (o.url && !config.url.value.trim()) {
      const source = parseDirectoryUrl(o.url);
      if (!('error' in source)) d = { ...d, url: { value: o.url, range: config.url.range }, source };
    }
    if (o.bindDn && !config.bindDn) d = { ...d, bindDn: { value: o.bindDn, range: config.url.range } };
    if (o.passwordKey && !config.password) {
      d = {
        ...d,
        password: { value: { kind: 'secret', key: o.passwordKey, text: '${secret:' + o.passwordKey + '}' }, range: config.url.range },
      };
    }
    return d;
  }

  /**
   * The open source for these settings, connecting when needed. `force` retries a failed or down
   * directory at once (the user asked).
   */
  async source(config: DirectoryConfig, opts: { force?: boolean } = {}): Promise<DirectorySource> {
    if (this.closed) throw new DirectoryError('aborted', 'The directory was unbound.', config.url.value);
    const d = this.effective(config);
    const key = settingsKey(d);
    if (this.current?.key === key && this.state === 'bound') return this.current.source;
    if (this.connecting?.key === key) return this.connecting.promise;
    if (!opts.force && this.failedKey === key && (this.state === 'failed' || this.state === 'down')) {
      const blocked = this.code && NO_AUTO_RETRY.has(this.code);
      if (blocked || this.now() - this.lastAttempt < (this.opts.retryMs ?? 30_000)) {
        throw new DirectoryError(
          (this.code as DirectoryError['code']) ?? 'server',
          this.reason ?? 'The directory is not available.',
          d.url.value,
        );
      }
    }
    const promise = this.connect(d, key);
    this.connecting = { promise, key };
    try {
      return await promise;
    } finally {
      if (this.connecting?.promise === promise) this.connecting = undefined;
    }
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private async connect(d: DirectoryConfig, key: string): Promise<DirectorySource> {
    const wasBound = this.current?.key === key || (this.failedKey === key && this.state === 'down');
    await this.dropSource();
    this.settings = d;
    this.set('connecting');
    this.lastAttempt = this.now();
    try {
      if (d.source.kind === 'ldap' && d.bindDn && !d.password) {
        throw new DirectoryError(
          'config',
          `No password for ${d.bindDn.value}: the config has no \`directory.password\`. Run "Dirsync: Bind Directory…" to enter it (it is kept in VS Code's SecretStorage).`,
          d.url.value,
        );
      }
      if (d.source.kind === 'ldif' && !this.opts.configDir && !/^ldif:\//.test(d.url.value)) {
        throw new DirectoryError('config', `${d.url.value} is relative to the config file: save the file first.`, d.url.value);
      }
      const source = await (this.opts.open ?? openDirectory)(d, {
        configDir: this.opts.configDir ?? '/',
        resolveSecret: (ref) => this.lookup(ref),
      });
      if (this.closed) {
        await source.close().catch(() => undefined);
        throw new DirectoryError('aborted', 'The directory was unbound.', d.url.value);
      }
      this.current = { source, key };
      this.failedKey = undefined;
      this.set('bound');
      return source;
    } catch (err) {
      if (!this.closed) {
        this.failedKey = key;
        const e =
          err instanceof DirectoryError
            ? err
            : new DirectoryError(
                'server',
                `Opening ${d.url.value} failed: ${err instanceof Error ? err.message : String(err)}`,
                d.url.value,
                { cause: err },
              );
        this.set(wasBound && CONNECTION_GONE.has(e.code) ? 'down' : 'failed', e.message, e.code);
        throw e;
      }
      throw err;
    }
  }

  private async lookup(ref: SecretRef): Promise<string | undefined> {
    const value = await this.opts.resolveSecret(ref);
    if (value !== undefined) return value;
    const key = this.opts.overrides.passwordKey;
    if (!key || (ref.kind === 'secret' && ref.key === key)) return undefined;
    return this.opts.resolveSecret({ kind: 'secret', key, text: '${secret:' + key + '}' });
  }

  /**
   * Runs one directory operation. A connection found gone is re-established once and the
   * operation run again; if that fails too the binding is `down` and the error thrown.
   */
  async run<T>(config: DirectoryConfig, op: (source: DirectorySource) => Promise<T>): Promise<T> {
    const source = await this.source(config);
    try {
      return await op(source);
    } catch (err) {
      if (!(err instanceof DirectoryError) || !CONNECTION_GONE.has(err.code) || this.current?.source !== source) throw err;
      // The connection went away under us: once more on a fresh one.
      const key = this.current.key;
      await this.dropSource();
      this.failedKey = key;
      this.set('down', err.message, err.code);
      const again = await this.source(config, { force: true });
      try {
        return await op(again);
      } catch (err2) {
        if (err2 instanceof DirectoryError && CONNECTION_GONE.has(err2.code) && this.current?.source === again) {
          await this.dropSource();
          this.failedKey = key;
          this.set('down', err2.message, err2.code);
        }
        throw err2;
      }
    }
  }

  private set(state: LiveState, reason?: string, code?: string): void {
    const changed = state !== this.state || reason !== this.reason;
    this.state = state;
    this.reason = reason;
    this.code = code;
    if (state !== 'bound') this.cache.clear();
    if (changed) this.opts.onChange();
  }

  private async dropSource(): Promise<void> {
    const old = this.current;
    this.current = undefined;
    this.cache.clear();
    if (old) await old.source.close().catch(() => undefined);
  }

  /** Closes the source; the binding is unusable afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await this.dropSource();
  }
}
