/**
 * code-server as a real, offline VS Code for the extension tests (see /work/shared/notes/real-vscode.md
 * and README § Tests). `scripts/setup-code-server.sh` installs it with Node 24 into a machine-wide cache
 * and writes `installed.json`; this fixture starts it on an ephemeral 127.0.0.1 port with every
 * writable path (HOME, XDG_*, TMPDIR, user data, extensions) in a scratch directory, and stops it by
 * the PID of the code-server Node process it spawned, at the end of the run at the latest.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { atEndOfRun } from './rootHooks';

const execFileAsync = promisify(execFile);

/** The cache directory `scripts/setup-code-server.sh` installs into (same default, same variable). */
export const codeServerDir = process.env.DIRSYNC_CODE_SERVER_DIR ?? '/var/tmp/dirsync-code-server';

/** What the setup script wrote after a verified install. */
export interface CodeServerInstall {
  /** Node 24 binary from the `node` npm package. */
  node: string;
  nodeVersion: string;
  /** `code-server/out/node/entry.js`, run directly with {@link node} so we own the server's PID. */
  entry: string;
  codeServerVersion: string;
  versionLine: string;
}

/**
 * Reads the install manifest, or explains why there is none. Suites call this in `before()` and skip
 * with the reason when code-server is not installed (a developer who has not run the setup script);
 * `.ci/run` runs the script first, and it fails loudly, so CI cannot silently skip.
 */
export function findCodeServer(): CodeServerInstall | { missing: string } {
  const manifest = join(codeServerDir, 'installed.json');
  if (!existsSync(manifest)) {
    return { missing: `code-server is not installed in ${codeServerDir}: run scripts/setup-code-server.sh` };
  }
  const install = JSON.parse(readFileSync(manifest, 'utf8')) as CodeServerInstall;
  for (const file of [install.node, install.entry]) {
    if (!existsSync(file)) return { missing: `${file} is gone: run scripts/setup-code-server.sh again` };
  }
  return install;
}

/** Options for {@link startCodeServer}. */
export interface StartOptions {
  /** Folder to open when the workbench URL has no `?folder=`. */
  folder?: string;
  /**
   * Starts with `--vscode-option enable-smoke-test-driver`, which lets a page run extension tests
   * through the `payload` URL parameter and report back via `codeAutomationExit`.
   */
  smokeTestDriver?: boolean;
  /** Extra environment for the server and so for its extension host (e.g. a result file path). */
  env?: Record<string, string>;
  /** Label for the scratch directory, to tell runs apart in /tmp. */
  label?: string;
  /** User settings merged over {@link quietSettings}. */
  settings?: Record<string, unknown>;
}

/**
 * User settings for a workbench under test: nothing may open in front of the editor or steal focus
 * (welcome page, chat, git's "repository in a parent folder" question, tips), and nothing may try
 * the network (updates, experiments, recommendations).
 */
export const quietSettings: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'editor.minimap.enabled': false,
};

/** A running code-server with its own scratch profile. */
export interface CodeServer {
  install: CodeServerInstall;
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  /** PID of the code-server Node process (what {@link stop} signals). */
  pid: number;
  /** Scratch root holding home/, tmp/, user-data/, extensions/. */
  scratch: string;
  userDataDir: string;
  extensionsDir: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  /** `code-server --install-extension <vsix>` with this server's user-data and extensions dirs. */
  installExtension(vsix: string): Promise<string>;
  /** URL of the workbench with `folder` open (and optional extra query parameters). */
  workbenchUrl(folder: string, query?: Record<string, string>): string;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and removes the scratch directory. */
  stop(): Promise<void>;
}

/**
 * Starts code-server on an ephemeral port (`--bind-addr 127.0.0.1:0`; the port is read from its
 * "HTTP server listening on" line) and resolves once `/healthz` answers. The server is registered
 * with `atEndOfRun`, so a failing test or hook still stops it.
 */
export async function startCodeServer(install: CodeServerInstall, options: StartOptions = {}): Promise<CodeServer> {
  const scratch = mkdtempSync(join(tmpdir(), `dirsync-code-server-${options.label ?? 'run'}-`));
  const dirs = {
    home: join(scratch, 'home'),
    tmp: join(scratch, 'tmp'),
    userData: join(scratch, 'user-data'),
    extensions: join(scratch, 'extensions'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User/settings.json'), JSON.stringify({ ...quietSettings, ...options.settings }, null, 2));
  const env = scratchEnv(install, dirs.home, dirs.tmp, options.env);
  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  const args = [
    install.entry,
    '--bind-addr',
    '127.0.0.1:0',
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    // No "what's new" / welcome page in front of the editor under test.
    '--ignore-last-opened',
    ...common,
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.folder ? [options.folder] : []),
  ];
  const child = spawn(install.node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (b: Buffer) => {
    output += b.toString();
  });
  child.stderr!.on('data', (b: Buffer) => {
    output += b.toString();
  });

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= stopProcess(child).finally(() => rmSync(scratch, { recursive: true, force: true })));
  atEndOfRun(stop);
  // Last resort when the test process exits without running root hooks (mocha --exit after a crash):
  // a synchronous SIGTERM by PID; code-server's own child processes follow their parent.
  const onExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('exit', onExit);
  child.once('exit', () => process.off('exit', onExit));

  let port: number;
  try {
    port = await listeningPort(child, () => output);
    await healthy(`http://127.0.0.1:${port}/healthz`, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    install,
    url,
    port,
    pid: child.pid!,
    scratch,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    output: () => output,
    async installExtension(vsix: string): Promise<string> {
      const { stdout, stderr } = await execFileAsync(install.node, [install.entry, ...common, '--install-extension', vsix], {
        env,
        timeout: 120_000,
      });
      const text = `${stdout}${stderr}`;
      if (!/successfully installed/i.test(text)) throw new Error(`installing ${vsix} into code-server failed:\n${text}`);
      return text;
    },
    workbenchUrl(folder: string, query: Record<string, string> = {}): string {
      const params = new URLSearchParams({ folder, ...query });
      return `${url}/?${params.toString()}`;
    },
    stop,
  };
}

/** HOME, XDG_* and TMPDIR point into the scratch dir: code-server writes config, state and sockets there. */
function scratchEnv(install: CodeServerInstall, home: string, tmp: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Keep the machine basics, drop anything that could steer code-server (VSCODE_*, npm_*, a parent's
  // ELECTRON_RUN_AS_NODE) or the extension host (NODE_OPTIONS from tsx).
  for (const key of ['PATH', 'LANG', 'LC_ALL', 'TZ']) if (process.env[key]) env[key] = process.env[key];
  return {
    ...env,
    PATH: `${join(install.node, '..')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local/share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local/state'),
    XDG_RUNTIME_DIR: join(tmp, 'run'),
    TMPDIR: tmp,
    ...extra,
  };
}

/** Resolves with the port from code-server's "HTTP server listening on http://127.0.0.1:N/" line. */
function listeningPort(child: ChildProcess, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(output());
      if (m) {
        cleanup();
        resolve(Number(m[1]));
      }
    };
    const exited = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`code-server exited (${code ?? signal}) before listening:\n${output()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`code-server did not listen within 60 s:\n${output()}`));
    }, 60_000);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      child.off('exit', exited);
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', exited);
    check();
  });
}

/**
 * `/healthz` normally answers on the first request once the listening line is out; a few retries
 * cover a server that prints before its routes are wired. Bounded: 20 tries.
 */
async function healthy(url: string, output: () => string): Promise<void> {
  let last: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
      last = new Error(`HTTP ${res.status}`);
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server ${url} did not become healthy (${String(last)}):\n${output()}`);
}

/**
 * SIGTERM to the code-server PID, SIGKILL after 10 s; then waits for the processes it had started
 * (its server child, extension hosts, language servers: its descendants, by PID, collected just
 * before the signal) to exit too, so none writes into the scratch dir after it is removed.
 */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const tree = descendants(child.pid!);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
  // code-server's children notice their parent is gone and exit on their own; bounded wait.
  const deadline = Date.now() + 10_000;
  let alive = tree.filter(isAlive);
  while (alive.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    alive = alive.filter(isAlive);
  }
  for (const proc of alive) {
    try {
      process.kill(proc.pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
}

/** PIDs of every process below `pid` (Linux /proc), children before grandchildren. */
function descendants(pid: number): Array<{ pid: number; start: string }> {
  const parentOf = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (!stat) continue;
    const list = parentOf.get(stat.ppid) ?? [];
    list.push(Number(entry));
    parentOf.set(stat.ppid, list);
  }
  const out: Array<{ pid: number; start: string }> = [];
  const queue = [...(parentOf.get(pid) ?? [])];
  while (queue.length) {
    const p = queue.shift()!;
    const stat = procStat(p);
    if (stat) out.push({ pid: p, start: stat.start });
    queue.push(...(parentOf.get(p) ?? []));
  }
  return out;
}

/** Still running (and still the same process: PIDs are reused, start times are not). Zombies count as gone. */
function isAlive(proc: { pid: number; start: string }): boolean {
  const stat = procStat(proc.pid);
  return !!stat && stat.start === proc.start && stat.state !== 'Z';
}

/** Parent PID, state and start time from /proc/<pid>/stat (fields after the parenthesised name). */
function procStat(pid: number): { ppid: number; state: string; start: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]), start: fields[19]! };
  } catch {
    return undefined;
  }
}
