/**
 * What the editor's run commands do on the server, independent of LSP: plan, refuse over the
 * deletion threshold, keep the reviewed plan behind a token, apply exactly that plan, explain an
 * object, find the last report. The sync engine (sync/engine/index.ts) is passed in; `handlers/run.ts`
 * adapts this to `dirsync/*` requests, `$/progress` and cancellation.
 */
import { dirname, join } from 'node:path';
import type { SecretResolver } from '../avatars/credentials';
import {
  RUN_RESULT_VERSION,
  runReportSummary,
  type ApplyOutcome,
  type ExplainResult,
  type LastReportResult,
  type PlanCounts,
  type PlanResult,
  type RunMode,
  type RunReportSummary,
} from '../../../common/requests';
import type { SyncReport } from '../../../common/report';
import { saveReport } from '../sync/engine/dryRun';
import type { ApplyPlanFn, DryRunFn, EngineEvent, EngineOptions, ExplainFn, PurgeAvatarsFn } from '../sync/contract';
import type { ApplyResult, SyncPlan, SyncProgress } from '../sync/contract';
import { newestSavedReport, SessionReports } from './lastReport';
import { PlanTokens, textSha256, type PlanPurpose } from './planTokens';

/** The engine entry points the run commands use (sync/engine/index.ts). */
export interface RunEngine {
  readonly dryRun: DryRunFn;
  readonly applyPlan: ApplyPlanFn;
  readonly purgeAvatars: PurgeAvatarsFn;
  readonly explainObject: ExplainFn;
  /**
   * Hears the cloud token's warnings that outlive a run (a rotated refresh token not kept for the
   * next start, a kept one not removed) until the returned function is called.
   */
  readonly onAuthWarning?: (listener: (warning: { readonly event: string; readonly message: string }) => void) => () => void;
}

/** A config to run: its file, and its text when the editor holds a different (unsaved) one. */
export interface RunConfig {
  readonly configFile: string;
  readonly configText: string;
}

export interface RunServiceDeps {
  readonly engine: RunEngine;
  /** The config of a document URI, or why there is none (not a file, unreadable). */
  config(uri: string): Promise<RunConfig | { readonly error: string }>;
  /** Secrets of a document's runs (the client's SecretStorage, sealed over the wire). */
  secrets(uri: string): SecretResolver;
  readonly tokens?: PlanTokens;
}

/** Per-run callbacks and the cancellation signal. */
export interface RunHooks {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SyncProgress) => void;
  readonly onEvent?: (e: EngineEvent) => void;
}

/** The counts a confirmation shows. */
export function planCounts(plan: SyncPlan): PlanCounts {
  const s = plan.report.summary;
  const ops = plan.payload.operations;
  return {
    added: s.added,
    modified: s.modified,
    deleted: s.deleted,
    deactivated: s.deactivated,
    avatars: ops.filter((o) => o.kind === 'uploadAvatar' || o.kind === 'removeAvatar').length,
    operations: ops.length,
    invalid: s.invalid,
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class RunService {
  readonly tokens: PlanTokens;
  private readonly reports = new SessionReports();
  /** Documents with an apply under way: a second one for the same config waits for the user, not the journal. */
  private readonly applying = new Set<string>();

  constructor(private readonly deps: RunServiceDeps) {
    this.tokens = deps.tokens ?? new PlanTokens();
  }

  private async options(uri: string, hooks: RunHooks): Promise<{ options: EngineOptions; sha: string } | { error: string }> {
    const config = await this.deps.config(uri);
    if ('error' in config) return config;
    return {
      sha: textSha256(config.configText),
      options: {
        configFile: config.configFile,
        configText: config.configText,
        secrets: this.deps.secrets(uri),
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
        ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
      },
    };
  }

  /** A dry run whose plan can be applied by the token it returns (no threshold check: reviewing is always allowed). */
  async dryRun(uri: string, mode: RunMode, hooks: RunHooks): Promise<PlanResult> {
    const plan = await this.plan(uri, mode, 'sync', hooks);
    if ('outcome' in plan) return { resultVersion: RUN_RESULT_VERSION, ...plan };
    return {
      resultVersion: RUN_RESULT_VERSION,
      outcome: 'planned',
      sessionId: plan.plan.report.sessionId,
      planToken: plan.token,
      ...saved(plan),
      counts: planCounts(plan.plan),
    };
  }

  /** `dirsync/sync`: plan (refused over the threshold), or apply a reviewed plan by its token. */
  async sync(
    uri: string,
    mode: RunMode,
    planToken: string | undefined,
    applyWithoutReview: boolean,
    hooks: RunHooks,
  ): Promise<ApplyOutcome> {
    if (planToken) return this.applyToken(uri, planToken, 'sync', hooks);
    const made = await this.plan(uri, mode, 'sync', hooks);
    if ('outcome' in made) return { resultVersion: RUN_RESULT_VERSION, ...made };
    const { plan, token } = made;
    if (plan.report.threshold.exceeded) {
      this.tokens.consume(token);
      return {
        resultVersion: RUN_RESULT_VERSION,
        outcome: 'refused',
        sessionId: plan.report.sessionId,
        ...saved(made),
        counts: planCounts(plan),
        message: refusal(plan.report),
      };
    }
    if (!applyWithoutReview)
      return {
        resultVersion: RUN_RESULT_VERSION,
        outcome: 'planned',
        sessionId: plan.report.sessionId,
        planToken: token,
        ...saved(made),
        counts: planCounts(plan),
      };
    return this.applyToken(uri, token, 'sync', hooks);
  }

  /** `dirsync/purgeAvatars`: the purge plan, or apply the reviewed one by its token. */
  async purgeAvatars(uri: string, planToken: string | undefined, hooks: RunHooks): Promise<ApplyOutcome> {
    if (planToken) return this.applyToken(uri, planToken, 'purgeAvatars', hooks);
    const made = await this.plan(uri, 'full', 'purgeAvatars', hooks);
    if ('outcome' in made) return { resultVersion: RUN_RESULT_VERSION, ...made };
    return {
      resultVersion: RUN_RESULT_VERSION,
      outcome: 'planned',
      sessionId: made.plan.report.sessionId,
      planToken: made.token,
      ...saved(made),
      counts: planCounts(made.plan),
    };
  }

  async explain(uri: string, target: string, hooks: RunHooks): Promise<ExplainResult> {
    const prepared = await this.options(uri, hooks);
    if ('error' in prepared) return { message: prepared.error };
    try {
      return { explanation: await this.deps.engine.explainObject({ ...prepared.options, target }) };
    } catch (err) {
      return { message: hooks.signal?.aborted ? 'Cancelled.' : messageOf(err) };
    }
  }

  /** The newer of this session's last report and the newest saved one. */
  async lastReport(uri: string): Promise<LastReportResult | null> {
    const inSession = this.reports.get(uri);
    const config = await this.deps.config(uri);
    const onDisk =
      'error' in config ? undefined : await newestSavedReport(config.configFile, [join(dirname(config.configFile), '.dirsync', 'reports')]);
    if (onDisk && (!inSession || onDisk.report.generatedAt > inSession.summary.generatedAt))
      return { resultVersion: RUN_RESULT_VERSION, file: onDisk.file, summary: runReportSummary(onDisk.report) };
    return inSession ? { resultVersion: RUN_RESULT_VERSION, ...inSession } : null;
  }

  /** The run's report on disk: the dry run's file, else saved now (a purge plan, an apply's report). */
  private async saveOnce(uri: string, configFile: string, report: SyncReport, file?: string): Promise<string> {
    const path = file ?? (await saveReport(join(dirname(configFile), '.dirsync'), report));
    this.reports.remember(uri, path, report);
    return path;
  }

  private async plan(
    uri: string,
    mode: RunMode,
    purpose: PlanPurpose,
    hooks: RunHooks,
  ): Promise<{ plan: SyncPlan; token: string; file: string } | { outcome: 'cancelled' | 'failed'; message: string }> {
    const prepared = await this.options(uri, hooks);
    if ('error' in prepared) return { outcome: 'failed', message: prepared.error };
    let plan: SyncPlan;
    try {
      plan =
        purpose === 'sync'
          ? await this.deps.engine.dryRun({ ...prepared.options, mode })
          : (await this.deps.engine.purgeAvatars({ ...prepared.options, apply: false })).plan;
    } catch (err) {
      if (hooks.signal?.aborted) return { outcome: 'cancelled', message: 'Cancelled; nothing was written.' };
      return { outcome: 'failed', message: messageOf(err) };
    }
    let file: string;
    try {
      file = await this.saveOnce(uri, prepared.options.configFile, plan.report, plan.reportFile);
    } catch (err) {
      return { outcome: 'failed', message: `The report could not be saved: ${messageOf(err)}` };
    }
    const token = this.tokens.issue({ uri, purpose, mode, plan: { ...plan, reportFile: file }, configSha256: prepared.sha });
    return { plan, token, file };
  }

  private async applyToken(uri: string, token: string, purpose: PlanPurpose, hooks: RunHooks): Promise<ApplyOutcome> {
    return { resultVersion: RUN_RESULT_VERSION, ...(await this.applyTokenOnce(uri, token, purpose, hooks)) };
  }

  private async applyTokenOnce(
    uri: string,
    token: string,
    purpose: PlanPurpose,
    hooks: RunHooks,
  ): Promise<Omit<ApplyOutcome, 'resultVersion'>> {
    const prepared = await this.options(uri, hooks);
    if ('error' in prepared) return { outcome: 'failed', message: prepared.error };
    const checked = this.tokens.check(token, uri, purpose, prepared.sha);
    if ('stale' in checked) return { outcome: 'stale', message: checked.stale };
    const { plan, mode } = checked.pending;
    const counts = planCounts(plan);
    const sessionId = plan.report.sessionId;
    if (plan.report.threshold.exceeded) {
      this.tokens.consume(token);
      const reportFile = await this.saveOnce(uri, prepared.options.configFile, plan.report, plan.reportFile);
      return { outcome: 'refused', sessionId, reportFile, summary: runReportSummary(plan.report), counts, message: refusal(plan.report) };
    }
    if (this.applying.has(uri)) {
      return {
        outcome: 'failed',
        sessionId,
        planToken: token,
        counts,
        message: 'A sync of this config is already running in this window; wait for it or cancel it first.',
      };
    }
    this.applying.add(uri);
    let result: ApplyResult;
    try {
      // The plan's session id: the apply's journal and events belong to the reviewed plan, and a
      // resumed apply (same token after a cancel) continues the same journal.
      result = await this.deps.engine.applyPlan(plan, { ...prepared.options, mode, sessionId });
    } catch (err) {
      if (hooks.signal?.aborted) {
        return {
          outcome: 'cancelled',
          sessionId,
          planToken: token,
          counts,
          message: `Cancelled; session ${sessionId} can be resumed with the same plan.`,
        };
      }
      return { outcome: 'failed', sessionId, planToken: token, counts, message: messageOf(err) };
    } finally {
      this.applying.delete(uri);
    }
    if (hooks.signal?.aborted && result.applied + result.resumed + result.failed < plan.payload.operations.length) {
      // The engine stopped between operations and returned what it did: the rest can be resumed.
      return {
        outcome: 'cancelled',
        sessionId,
        planToken: token,
        counts,
        applied: result.applied,
        resumed: result.resumed,
        message: `Cancelled after ${result.applied} operations; session ${sessionId} can be resumed with the same plan.`,
      };
    }
    this.tokens.consume(token);
    const report: SyncReport = purpose === 'purgeAvatars' ? { ...result.report, mode: 'purgeAvatars' } : result.report;
    let reportFile: string | undefined;
    try {
      reportFile = await this.saveOnce(uri, prepared.options.configFile, report);
    } catch {
      // The apply is done: a report that cannot be saved is no reason to say it failed.
    }
    return {
      outcome: 'applied',
      sessionId: result.sessionId,
      ...(reportFile ? { reportFile, summary: runReportSummary(report) } : {}),
      counts,
      applied: result.applied,
      resumed: result.resumed,
      failed: result.failed,
      skipped: result.skipped,
      failures: result.failures,
      ...(result.work ? { work: result.work } : {}),
    };
  }
}

/** The saved report of a plan, for a result. */
function saved(made: { readonly plan: SyncPlan; readonly file: string }): { reportFile: string; summary: RunReportSummary } {
  return { reportFile: made.file, summary: runReportSummary(made.plan.report) };
}

function refusal(report: SyncReport): string {
  const t = report.threshold;
  return (
    t.refusal ?? `Refused: ${t.deletions} of ${t.owned} owned objects would be deleted, over the deletion threshold; nothing was written.`
  );
}
