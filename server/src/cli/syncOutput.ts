/**
 * What `dirsync apply`, `sync` and `serve` share: the event log (`--log <file>`, JSON lines), the
 * progress line on a terminal, the result as text or JSON, and the exit code
 * (terraform's -detailed-exitcode: 0 nothing to do, 2 changes applied, 1 error or refused).
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EngineEvent, EngineOptions } from '../sync/contract';
import { ApplyCancelledError, ApplyRefusedError } from '../sync/apply/errors';
import type { ApplyResult, SyncProgress } from '../sync/contract';
import type { CliIo } from './command';
import { emptyWork, reportWork, workPhrases, type WorkSummary } from '../../../common/work';

export const EXIT_NO_CHANGES = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;

export interface SyncCliSession {
  readonly engine: Pick<EngineOptions, 'onEvent' | 'onProgress' | 'signal'>;
  /** Clears the progress line and closes the log. */
  close(): void;
}

/** Wires `--log` and the progress line; the progress line only when stderr is a terminal. */
export function openSyncSession(io: CliIo, logFile: string | undefined, progress = true): SyncCliSession {
  const fd = logFile ? openSync(resolve(io.cwd, logFile), 'a') : undefined;
  let lastDraw = 0;
  let drawn = false;
  const tty = progress && !!io.stderr.isTTY;
  const onEvent = (e: EngineEvent): void => {
    if (fd !== undefined) writeSync(fd, JSON.stringify(e) + '\n');
  };
  const onProgress = (p: SyncProgress): void => {
    if (!tty) return;
    const now = Date.now();
    if (now - lastDraw < 100 && p.done !== p.total) return;
    lastDraw = now;
    const count = p.total ? ` ${p.done ?? 0}/${p.total}` : '';
    io.stderr.write(`\r\x1b[2K${p.phase}: ${p.message}${count}`);
    drawn = true;
  };
  return {
    // No log file: no event objects built at all (every SCIM request would make one).
    engine: { ...(fd !== undefined ? { onEvent } : {}), onProgress, signal: io.signal },
    close() {
      if (drawn) io.stderr.write('\r\x1b[2K');
      if (fd !== undefined) {
        fsyncSync(fd);
        closeSync(fd);
      }
    },
  };
}

/** What the apply did; an engine that does not count it (none today) gets nothing claimed. */
function doneWork(r: ApplyResult): WorkSummary {
  return r.work ?? emptyWork();
}

/** `: created 41 users …; uploaded 13 pictures` (what the apply did), or empty when nothing completed. */
export function doneText(r: ApplyResult): string {
  const phrases = workPhrases(doneWork(r), 'done');
  return phrases.length ? `: ${phrases.join('; ')}` : '';
}

/** True when the apply had nothing to do. */
export function nothingToDo(r: ApplyResult): boolean {
  return r.applied + r.resumed + r.failed + r.skipped === 0;
}

export function exitCodeOf(r: ApplyResult): number {
  if (r.failed > 0) return EXIT_ERROR;
  return nothingToDo(r) ? EXIT_NO_CHANGES : EXIT_CHANGES;
}

/** The `--json` shape: the counts, failures and the report summary (never the whole report's items). */
export function resultJson(r: ApplyResult, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'dirsync-apply',
    version: 1,
    sessionId: r.sessionId,
    mode: r.report.mode,
    ...extra,
    applied: r.applied,
    resumed: r.resumed,
    failed: r.failed,
    skipped: r.skipped,
    failures: r.failures,
    summary: r.report.summary,
    /** What was done, per kind (the operations that completed); `planned`: what the plan said. */
    work: doneWork(r),
    planned: reportWork(r.report),
    threshold: r.report.threshold,
  };
}

export function printResult(io: CliIo, r: ApplyResult, json: boolean, extra: Record<string, unknown> = {}): number {
  if (json) {
    io.stdout.write(JSON.stringify(resultJson(r, extra), null, 2) + '\n');
  } else if (nothingToDo(r)) {
    io.stdout.write(`No changes. The cloud matches the directory (session ${r.sessionId}).\n`);
  } else {
    const phrases = workPhrases(doneWork(r), 'done');
    const did = phrases.length ? phrases.join('; ') : 'nothing completed';
    io.stdout.write(
      `Applied: ${did} (${r.applied} operation${r.applied === 1 ? '' : 's'}` +
        (r.resumed ? `, ${r.resumed} more done by an interrupted earlier run` : '') +
        `; session ${r.sessionId}).\n`,
    );
    if (r.skipped) io.stdout.write(`${r.skipped} operation${r.skipped === 1 ? '' : 's'} skipped (see the event log).\n`);
    for (const f of r.failures) io.stdout.write(`FAILED ${f.label}: ${f.message}\n`);
  }
  return exitCodeOf(r);
}

/** Refusals, cancellations and other errors: message on stderr (and JSON on stdout with --json), exit 1. */
export function printError(io: CliIo, command: string, err: unknown, json: boolean): number {
  const message = err instanceof Error ? err.message : String(err);
  if (json) {
    const body: Record<string, unknown> = { format: 'dirsync-apply', version: 1, error: message };
    if (err instanceof ApplyRefusedError) Object.assign(body, { refused: err.reason, objects: err.objects });
    if (err instanceof ApplyCancelledError)
      Object.assign(body, { cancelled: true, sessionId: err.partial.sessionId, applied: err.partial.applied });
    io.stdout.write(JSON.stringify(body, null, 2) + '\n');
  }
  io.stderr.write(`dirsync ${command}: ${message}\n`);
  return EXIT_ERROR;
}
