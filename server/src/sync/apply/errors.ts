/**
 * Why an apply did not run or did not finish. Both are thrown before (refused) or instead of
 * (cancelled) an ApplyResult; the CLI turns them into exit code 1 with the message.
 */
import type { ApplyResult } from '../contract';

/** Nothing was written: the plan trips a safety rule (deletion threshold, all full admins, a changed basis). */
export class ApplyRefusedError extends Error {
  override readonly name = 'ApplyRefusedError';
  constructor(
    message: string,
    /**
     * `threshold`, `admins`, `basis` (config, directory or cloud changed), `config`, `invalid`,
     * `operations` (a saved plan's operations differ from a fresh plan's), `applied` (a saved plan
     * already applied).
     */
    readonly reason: 'threshold' | 'admins' | 'basis' | 'config' | 'invalid' | 'operations' | 'applied',
    /** The objects concerned, by DN or userName. */
    readonly objects: readonly string[] = [],
  ) {
    super(message);
  }
}

/** The signal aborted the apply: what was done is journaled; re-running resumes. */
export class ApplyCancelledError extends Error {
  override readonly name = 'ApplyCancelledError';
  constructor(readonly partial: ApplyResult) {
    super(
      `apply cancelled after ${partial.applied} operation${partial.applied === 1 ? '' : 's'}; re-run to resume (session ${partial.sessionId})`,
    );
  }
}
