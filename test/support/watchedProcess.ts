/** A child process whose output lines a test waits on: `until(test)` resolves at the first line after which `test()` holds. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface WatchedProcess {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves once `test()` is true (checked now and after every line); rejects if the process exits first. */
  until(test: () => boolean): Promise<void>;
  /** Called after every line (stdout or stderr), before the waiters are checked. */
  onLine(fn: (line: string, stream: 'stdout' | 'stderr') => void): void;
  /** Resolves with the exit code (or signal name). */
  readonly exit: Promise<number | string | null>;
}

export function spawnWatched(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): WatchedProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const listeners: Array<(line: string, stream: 'stdout' | 'stderr') => void> = [];
  let waiters: Array<{ test: () => boolean; resolve: () => void; reject: (e: Error) => void }> = [];
  let exited = false;
  const check = (): void => {
    waiters = waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  };
  for (const [stream, lines] of [
    ['stdout', stdout],
    ['stderr', stderr],
  ] as const) {
    createInterface({ input: child[stream]! }).on('line', (line) => {
      lines.push(line);
      for (const l of listeners) l(line, stream);
      check();
    });
  }
  const exit = new Promise<number | string | null>((resolve) =>
    child.on('close', (code, signal) => {
      exited = true;
      for (const w of waiters.splice(0)) w.reject(new Error(`the process ended (${code ?? signal}) first:\n${stderr.join('\n')}`));
      resolve(code ?? signal);
    }),
  );
  return {
    child,
    stdout,
    stderr,
    exit,
    onLine: (fn) => listeners.push(fn),
    until(test) {
      if (test()) return Promise.resolve();
      if (exited) return Promise.reject(new Error(`the process has ended:\n${stderr.join('\n')}`));
      return new Promise((resolve, reject) => waiters.push({ test, resolve, reject }));
    },
  };
}
