/**
 * A language server in its own process, driven over stdio JSON-RPC the way an editor drives it,
 * for lsp.bench.ts: it keeps the server's publishDiagnostics as events to wait on and reads the
 * process's CPU time (user + system) from /proc, which is the only way to see another process's CPU.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU time (user + system, ms) a process has used so far, at the kernel's tick resolution. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces: utime and stime
  // are fields 14 and 15 of the whole line (proc(5)), so 12 and 13 of what follows ") ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * How long (ms) a thread has waited on a run queue for a CPU so far: the second field of
 * /proc/<pid>/task/<tid>/schedstat, in nanoseconds (the kernel keeps it per thread when scheduler
 * statistics are built in). NaN where the file is missing.
 */
export function runQueueWaitMs(pid: number, tid: number = pid): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

export interface WireServerOptions {
  readonly name: string;
  readonly args: readonly string[];
  readonly initializationOptions?: Record<string, unknown>;
  readonly cwd: string;
}

export class WireServer {
  private waiters: Array<(p: PublishDiagnosticsParams) => void> = [];
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  stderr = '';
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly conn: ProtocolConnection,
  ) {}

  static async start(opts: WireServerOptions): Promise<WireServer> {
    const child = spawn(process.execPath, [...opts.args], { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const s = new WireServer(opts.name, child, conn);
    child.stderr!.on('data', (d) => (s.stderr += String(d)));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      s.published.push(p);
      const waiters = s.waiters;
      s.waiters = [];
      for (const w of waiters) w(p);
    });
    conn.onNotification('window/logMessage', () => undefined);
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('workspace/codeLens/refresh', () => null);
    conn.onRequest('workspace/inlayHint/refresh', () => null);
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        textDocument: {
          synchronization: { didSave: false },
          completion: { completionItem: { snippetSupport: true } },
          hover: { contentFormat: ['markdown'] },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
        workspace: { configuration: false },
      },
      initializationOptions: opts.initializationOptions ?? {},
    });
    await conn.sendNotification('initialized', {});
    return s;
  }

  get pid(): number {
    return this.child.pid!;
  }

  cpuMs(): number {
    return processCpuMs(this.pid);
  }

  /** How long the server's main thread (the one that reads and answers messages) has waited for a CPU so far, ms. */
  runQueueWaitMs(): number {
    return runQueueWaitMs(this.pid);
  }

  /** The next publishDiagnostics for `uri` (that arrives after this call). */
  nextDiagnostics(uri: string): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve) => {
      const wait = (p: PublishDiagnosticsParams) => (p.uri === uri ? resolve(p) : this.waiters.push(wait));
      this.waiters.push(wait);
    });
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.conn.sendNotification(method, params);
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
    // A server started with --cpu-prof writes its profile as it exits: give it time to exit by itself.
    const exited = this.child.exitCode === null ? new Promise((r) => this.child.once('exit', r)) : Promise.resolve();
    const timer = setTimeout(() => this.child.kill(), 10_000);
    await exited;
    clearTimeout(timer);
    this.conn.dispose();
  }
}
