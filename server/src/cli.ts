/** The headless entry: `dirsync <command>`. See cli/main.ts for dispatch and cli/commands/ for the commands. */
import { setFlagsFromString } from 'node:v8';
import { runCli } from './cli/main';

// A run's live data is small (report items, waiting users, the cloud's users and a sync's operations
// are in files beside the reports) but it allocates fast: V8 would let the heap grow to about 4× the
// live data between collections. 35 % keeps a 100k-user dry run at about 310 MB and a first full
// sync at about 300–310 MB; `--optimize-for-size` kept the sync at about 245 MB but took 16 % longer
// (docs/benchmarks.md).
if (process.argv[2] === 'plan' || process.argv[2] === 'sync' || process.argv[2] === 'apply')
  setFlagsFromString('--heap-growing-percent=35');

const controller = new AbortController();
let interrupted = 0;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    // First signal: stop cleanly (journals flushed, state resumable). Second: leave at once.
    if (++interrupted > 1) process.exit(130);
    controller.abort(new Error(`interrupted by ${sig}`));
  });
}

// A reader that stopped reading (`dirsync plan --json | head -c 10`) closes the pipe: later writes
// fail with EPIPE. That is the reader's choice, not an error of the command: the output is dropped
// quietly and the command ends as it would have (its exit code unchanged; an apply still finishes
// and journals). Without a listener, the error event would crash the process with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
}

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`dirsync: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
