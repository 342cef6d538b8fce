/**
 * A test LSP client for the built server (`node dist/server.js --stdio`) over real JSON-RPC, as
 * VS Code's client would drive it: it answers the server's `dirsync/resolveSecret` requests (sealed,
 * like the extension), acknowledges `workspace/codeLens/refresh` and `workspace/inlayHint/refresh`,
 * and turns every notification and server request into events a test can wait on. Every byte
 * crossing the pipes is kept so a test can assert a secret never crossed in clear text.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import {
  LiveStatusNotification,
  ResolveSecretRequest,
  RUN_RESULT_VERSION,
  type LiveStatus,
  type ResolveSecretParams,
} from '../../common/requests';
import { sealSecret } from '../../common/secretBox';

export const ROOT = join(__dirname, '../..');
const SERVER = join(ROOT, 'dist/server.js');

type Waiter<T> = { pred: (x: T) => boolean; resolve: (x: T) => void };

/** A stream of events: `next(pred)` resolves with the first matching event not yet taken. */
export class EventQueue<T> {
  readonly all: T[] = [];
  private pending: T[] = [];
  private waiters: Array<Waiter<T>> = [];
  push(x: T): void {
    this.all.push(x);
    const w = this.waiters.find((w) => w.pred(x));
    if (w) {
      this.waiters = this.waiters.filter((y) => y !== w);
      w.resolve(x);
    } else this.pending.push(x);
  }
  next(pred: (x: T) => boolean = () => true): Promise<T> {
    const i = this.pending.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.pending.splice(i, 1)[0]!);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }
  /** Forgets events not taken yet. */
  drain(): void {
    this.pending = [];
  }
}

export interface LspClientOptions {
  /** Answers a secret reference (undefined: not set). */
  readonly secret?: (p: ResolveSecretParams) => string | undefined;
  /** Added to the test defaults (no delays, the run result version this server sends). */
  readonly initializationOptions?: Record<string, unknown>;
  /** Sent as they are instead of the test defaults, e.g. exactly what an old extension sent. */
  readonly rawInitializationOptions?: Record<string, unknown>;
  readonly env?: NodeJS.ProcessEnv;
}

export class LspClient {
  readonly diagnostics = new EventQueue<PublishDiagnosticsParams>();
  readonly statuses = new EventQueue<LiveStatus>();
  readonly lensRefreshes = new EventQueue<number>();
  readonly hintRefreshes = new EventQueue<number>();
  readonly secretRequests: ResolveSecretParams[] = [];
  readonly logs: string[] = [];
  /** `window/showMessage` notifications (type 2: warning). */
  readonly shown = new EventQueue<{ type: number; message: string }>();
  /** Every byte the server wrote and read. */
  wire = '';
  stderr = '';
  private constructor(
    readonly child: ChildProcess,
    readonly conn: ProtocolConnection,
  ) {}

  static async start(opts: LspClientOptions = {}): Promise<LspClient> {
    if (!existsSync(SERVER)) throw new Error('dist/server.js is missing: run `npm run build`');
    const child = spawn(process.execPath, [SERVER, '--stdio'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: opts.env ?? { PATH: process.env['PATH'] ?? '' },
    });
    const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const c = new LspClient(child, conn);
    child.stdout!.on('data', (d) => (c.wire += String(d)));
    const write = child.stdin!.write.bind(child.stdin!);
    child.stdin!.write = ((chunk: unknown, ...rest: unknown[]) => {
      c.wire += String(chunk);
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof child.stdin.write;
    child.stderr!.on('data', (d) => (c.stderr += String(d)));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => c.diagnostics.push(p));
    conn.onNotification(LiveStatusNotification.method, (p: LiveStatus) => c.statuses.push(p));
    conn.onNotification('window/logMessage', (p: { message: string }) => void c.logs.push(p.message));
    conn.onNotification('window/showMessage', (p: { type: number; message: string }) => c.shown.push(p));
    let lens = 0;
    let hint = 0;
    conn.onRequest('workspace/codeLens/refresh', () => {
      c.lensRefreshes.push(++lens);
      return null;
    });
    conn.onRequest('workspace/inlayHint/refresh', () => {
      c.hintRefreshes.push(++hint);
      return null;
    });
    conn.onRequest(ResolveSecretRequest.method, (p: ResolveSecretParams) => {
      c.secretRequests.push(p);
      const value = opts.secret?.(p);
      return value === undefined ? null : sealSecret(value, p.publicKey, p.ref.text);
    });
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown'] } },
        workspace: { codeLens: { refreshSupport: true }, inlayHint: { refreshSupport: true } },
      },
      initializationOptions: opts.rawInitializationOptions ?? {
        validationDelayMs: 0,
        liveDelayMs: 0,
        liveCompletionWaitMs: 120_000,
        runResultVersions: [RUN_RESULT_VERSION],
        ...opts.initializationOptions,
      },
    });
    await conn.sendNotification('initialized', {});
    return c;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dirsync', version, text } });
  }
  change(uri: string, text: string, version: number): Promise<void> {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }
  close(uri: string): Promise<void> {
    return this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    this.conn.dispose();
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill();
      await exited;
    }
  }
}

/** Line/character of the first occurrence of `needle` (plus `delta` characters) in `text`. */
export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, i + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}
