/**
 * The apply entry points (names fixed by api.ts): `applyPlan` (a plan made moments ago),
 * `runSync` (dry run + apply, full or incremental) and `applySavedPlan` (`dirsync apply
 * plan.json`, checked against a fresh plan: refused when anything differs).
 */
import { randomUUID } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { openDirectory } from '../../directory/index';
import type { ApplyPlanFn, ApplySavedPlanFn, EngineOptions, RunSyncFn, SyncMode } from '../contract';
import { executePlan, type AvatarApplyHook } from '../apply/execute';
import { ApplyRefusedError } from '../apply/errors';
import { createAvatarHook } from '../avatars/applyHook';
import { dryRun } from './dryRun';
import { cloudClientFor, loadApplyConfig, type EngineConfig } from './context';
import { decideMode, readSyncState, settingsHash, writeSyncState } from './syncState';
import type { ApplyResult, PlanOperation, SavedPlan, SyncPlan } from '../contract';
import type { SyncReport } from '../../../../common/report';
import { withReport } from '../../../../common/reportItems';
import { journalsOfPlan, planIdOf } from '../apply/journal';
import { compareOperations, deletionsOf, summaryOfRun } from '../apply/planCheck';
import { computeThreshold } from '../plan/threshold';
import { closeOperations, operationCountOfKinds, planOperations } from '../plan/operations';
import type { SyncOutcome } from '../report/notification';
import { notifySync, type NotifyOptions } from './notify';

/** Options the apply entry points take besides EngineOptions. */
export interface ApplyExtras {
  /** Executes uploadAvatar/removeAvatar operations; default: the avatar half (sync/avatars/applyHook.ts → sync/avatars/apply.ts). */
  readonly avatarHook?: AvatarApplyHook;
}

async function execute(plan: SyncPlan, ec: EngineConfig, options: EngineOptions & ApplyExtras, mode: SyncMode): Promise<ApplyResult> {
  const sessionId = options.sessionId ?? plan.report.sessionId ?? randomUUID();
  const cloud = await cloudClientFor(ec, sessionId, options.onEvent);
  const client = cloud.client;
  // Avatar operations go through the avatar half unless the caller brings its own hook.
  const needsAvatars =
    !options.avatarHook && ec.config.avatar.enabled && operationCountOfKinds(plan.payload, ['uploadAvatar', 'removeAvatar']) > 0;
  const avatars = needsAvatars
    ? createAvatarHook({
        config: ec.config,
        configFile: ec.configFile,
        stateDir: ec.stateDir,
        secrets: ec.secrets,
        client,
        sessionId,
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      })
    : undefined;
  const avatarHook = options.avatarHook ?? avatars?.hook;
  try {
    const result = await executePlan(plan, {
      client,
      stateDir: ec.stateDir,
      configFile: ec.configFile,
      config: ec.config,
      secrets: ec.secrets,
      mode,
      sessionId,
      // Eight times the request limit: operations waiting for their journal fsync do not leave
      // request slots idle (the client's limiter still bounds requests in flight).
      concurrency: ec.config.cloud.concurrency * 8,
      // Avatar uploads run beside the other phases: each re-reads its entry, publishes and PATCHes;
      // twice the avatar limit keeps the reads ahead of the publishing slots.
      besideConcurrency: ec.config.avatar.concurrency * 2,
      ...(avatarHook ? { avatarHook } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    return {
      ...result,
      report: withReport(result.report, { summary: summaryOfRun(result.report, planOperations(plan.payload), result.failures) }),
    };
  } finally {
    await avatars?.close().catch(() => undefined);
    await cloud.close();
  }
}

/** Records a successful sync in the state file (times, settings hash, the USN mark read before it). */
async function recordSync(ec: EngineConfig, mode: SyncMode, mark?: { dc: string; usn: string }): Promise<void> {
  const old = await readSyncState(ec.stateDir, ec.configFile);
  const sameSettings = old?.settingsHash === settingsHash(ec.config);
  const now = new Date().toISOString();
  await writeSyncState(ec.stateDir, ec.configFile, {
    version: 1,
    config: ec.configFile,
    settingsHash: settingsHash(ec.config),
    highWaterMarks: { ...(sameSettings ? old?.highWaterMarks : {}), ...(mark ? { [mark.dc]: mark.usn } : {}) },
    ...(sameSettings && old?.lastFullSync ? { lastFullSync: old.lastFullSync } : {}),
    ...(sameSettings && old?.lastIncrementalSync ? { lastIncrementalSync: old.lastIncrementalSync } : {}),
    ...(mode === 'full' ? { lastFullSync: now } : { lastIncrementalSync: now }),
  });
}

export const applyPlan: ApplyPlanFn &
  ((plan: SyncPlan, options: EngineOptions & ApplyExtras & { readonly mode: SyncMode }) => Promise<ApplyResult>) = async (
  plan,
  options,
) => {
  const ec = await loadApplyConfig(options);
  const run = { ...options, sessionId: options.sessionId ?? plan.report.sessionId };
  try {
    const result = await execute(plan, ec, run, options.mode);
    if (result.failed === 0) await recordSync(ec, options.mode);
    await notifySync(notifyOptions(ec, run), { kind: 'done', result });
    return result;
  } catch (err) {
    if (!options.signal?.aborted) await notifySync(notifyOptions(ec, run), failure(err, plan));
    throw err;
  }
};

/** The domain controller's name and highestCommittedUSN, or undefined for a source without one (LDIF). */
async function readMark(ec: EngineConfig, signal?: AbortSignal): Promise<{ dc: string; usn: string } | undefined> {
  if (ec.config.directory.source.kind !== 'ldap') return undefined;
  const source = await openDirectory(ec.config.directory, {
    configDir: dirname(ec.configFile),
    resolveSecret: ec.secrets,
    ...(signal ? { signal } : {}),
  });
  try {
    const dse = await source.rootDse(signal);
    return dse.highestCommittedUSN ? { dc: dse.dnsHostName ?? source.location, usn: dse.highestCommittedUSN } : undefined;
  } finally {
    await source.close();
  }
}

export const runSync: RunSyncFn & ((options: EngineOptions & ApplyExtras & { readonly mode: SyncMode }) => Promise<ApplyResult>) = async (
  given,
) => {
  // One session from the first event on: the mode decision, the dry run and the apply share it.
  const sessionId = given.sessionId ?? randomUUID();
  const options = { ...given, sessionId };
  const ec = await loadApplyConfig(options);
  let plan: SyncPlan | undefined;
  try {
    const state = await readSyncState(ec.stateDir, ec.configFile);
    // The mark is read BEFORE the directory: a change made during the read is picked up next time.
    const mark = await readMark(ec, options.signal);
    const decision = decideMode(options.mode, ec.config, state, mark?.dc);
    if (decision.reason) {
      options.onEvent?.({
        time: new Date().toISOString(),
        sessionId,
        level: 'info',
        event: 'sync.mode',
        message: decision.reason,
        mode: decision.mode,
      });
    }
    plan = await dryRun({
      ...options,
      configFile: ec.configFile,
      stateDir: ec.stateDir,
      mode: decision.mode,
      ...(decision.sinceUsn ? { sinceUsn: decision.sinceUsn } : {}),
      ...(mark ? { toUsn: mark.usn } : {}),
      // The operations go to a file as they are planned and the apply reads them a phase at a time.
      spoolOperations: true,
    });
    const result = await execute(plan, ec, options, decision.mode);
    if (result.failed === 0) await recordSync(ec, decision.mode, mark);
    await notifySync(notifyOptions(ec, options), { kind: 'done', result });
    return result;
  } catch (err) {
    // The event log says why the sync stopped, also when it stopped before the dry run began (the
    // directory's USN mark is read first): the same text stderr shows.
    options.onEvent?.({
      time: new Date().toISOString(),
      sessionId,
      level: 'error',
      event: 'sync.failed',
      message: err instanceof Error ? err.message : String(err),
      ...(options.signal?.aborted ? { cancelled: true } : {}),
    });
    if (!options.signal?.aborted) await notifySync(notifyOptions(ec, options), failure(err, plan));
    throw err;
  } finally {
    if (plan) closeOperations(plan.payload);
  }
};

/** What the notification needs from a run. */
function notifyOptions(ec: EngineConfig, options: EngineOptions & { readonly sessionId: string }): NotifyOptions {
  return {
    config: ec.config,
    configFile: ec.configFile,
    stateDir: ec.stateDir,
    secrets: ec.secrets,
    sessionId: options.sessionId,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  };
}

function failure(err: unknown, plan: SyncPlan | undefined): SyncOutcome {
  return {
    kind: 'failed',
    error: err instanceof Error ? err.message : String(err),
    ...(err instanceof ApplyRefusedError ? { refused: true } : {}),
    ...(plan ? { report: plan.report } : {}),
  };
}

const KINDS: ReadonlySet<string> = new Set([
  'createUser',
  'patchUser',
  'deleteUser',
  'createGroup',
  'patchGroup',
  'groupMembers',
  'deleteGroup',
  'uploadAvatar',
  'removeAvatar',
  'createContact',
  'updateContact',
  'deleteContact',
]);

function isSavedPlan(v: unknown): v is SavedPlan {
  const p = v as Partial<SavedPlan> | null;
  return (
    !!p &&
    typeof p === 'object' &&
    p.format === 'dirsync-report' &&
    !!p.config &&
    typeof p.config.file === 'string' &&
    !!p.plan &&
    !!p.plan.basis &&
    Array.isArray(p.plan.operations) &&
    p.plan.operations.every(
      (o: unknown) =>
        !!o && typeof o === 'object' && typeof (o as PlanOperation).opId === 'string' && KINDS.has(String((o as PlanOperation).kind)),
    )
  );
}

/**
 * The report an apply of a checked saved plan returns: the fresh plan's items and messages, the
 * threshold recomputed from the operations to run — nothing read from the file's report part.
 */
function checkedReport(fresh: SyncPlan, ec: EngineConfig, toRun: readonly PlanOperation[]): SyncReport {
  const threshold = computeThreshold({
    policy: ec.config.policy.deleteThreshold,
    deletions: deletionsOf(toRun),
    owned: fresh.report.threshold.owned,
    // The full-admin guard reads the cloud before the first write (apply/checks.ts).
    fullAdmins: 0,
    fullAdminsDeleted: 0,
  });
  return withReport(fresh.report, { threshold });
}

/**
 * `dirsync apply plan.json`. The file is a claim, checked like `terraform apply plan`: the config
 * must be the one it was made from (SHA-256), a fresh dry run must see the same directory and cloud
 * (fingerprints; the cloud may differ only by this plan's own journaled writes when an interrupted
 * apply of it resumes), and every saved operation must be in the fresh plan with the same targets
 * and values (or already journaled by that apply). Else refused, nothing written, naming the first
 * difference. A plan already applied is refused.
 */
export const applySavedPlan: ApplySavedPlanFn &
  ((
    planFile: string,
    options: Omit<EngineOptions, 'configFile'> & ApplyExtras & { readonly configFile?: string },
  ) => Promise<ApplyResult>) = async (planFile, options) => {
  const file = resolve(planFile);
  let saved: unknown;
  try {
    saved = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ApplyRefusedError(`${planFile}: not a readable plan file (${(err as Error).message})`, 'invalid');
  }
  if (!isSavedPlan(saved))
    throw new ApplyRefusedError(`${planFile}: not a saved plan (make one with \`dirsync plan <config> -o ${planFile}\`)`, 'invalid');
  const configFile = options.configFile ?? (isAbsolute(saved.config.file) ? saved.config.file : resolve(dirname(file), saved.config.file));
  try {
    await access(configFile);
  } catch {
    throw new ApplyRefusedError(
      `${planFile}: the config it was made from (${saved.config.file}) is not at ${configFile}; name it with --config <file>`,
      'invalid',
    );
  }
  const ec = await loadApplyConfig({ ...options, configFile });
  if (ec.sha256 !== saved.plan.basis.configSha256) {
    throw new ApplyRefusedError(
      `refused, nothing written: ${configFile} changed since the plan was made (config sha256 differs); make a new plan`,
      'basis',
    );
  }
  const payload = saved.plan;
  const journals = await journalsOfPlan(ec.stateDir, ec.configFile, planIdOf(payload));
  const complete = journals.find((j) => j.end === 'complete');
  if (complete) {
    throw new ApplyRefusedError(
      `refused, nothing written: this plan was already applied (${complete.startedAt}, session ${complete.sessionId}); make a new plan`,
      'applied',
    );
  }
  // An interrupted apply of this very plan: its journaled operations may have reached the cloud.
  const interrupted = journals.filter((j) => j.end !== 'superseded').at(-1);
  const journaled = new Set([...(interrupted?.done.keys() ?? []), ...(interrupted?.unconfirmed.keys() ?? [])]);
  const fresh = await dryRun({ ...options, configFile: ec.configFile, stateDir: ec.stateDir, mode: 'full' });
  if (fresh.payload.basis.directoryFingerprint !== payload.basis.directoryFingerprint) {
    throw new ApplyRefusedError(
      `refused, nothing written: the directory changed since the plan was made (${fresh.report.directory.url}); make a new plan`,
      'basis',
    );
  }
  if (!interrupted && fresh.payload.basis.cloudFingerprint !== payload.basis.cloudFingerprint) {
    throw new ApplyRefusedError(
      `refused, nothing written: the cloud changed since the plan was made (${fresh.report.cloud.url}); make a new plan`,
      'basis',
    );
  }
  const difference = compareOperations(payload.operations, fresh.payload.operations, journaled, !!interrupted);
  if (difference) throw new ApplyRefusedError(`refused, nothing written: ${difference}; make a new plan`, 'operations');
  const done = interrupted?.done;
  const toRun = payload.operations.filter((o) => !done?.has(o.opId));
  // The saved operations run (their ids are the journal's), checked against the fresh plan above.
  const plan: SyncPlan = { report: checkedReport(fresh, ec, toRun), payload };
  // A fresh session per apply; an interrupted apply of the same plan is found by its plan id and resumed.
  const run = { ...options, configFile, sessionId: options.sessionId ?? randomUUID() };
  try {
    const result = await execute(plan, ec, run, 'full');
    if (result.failed === 0) await recordSync(ec, 'full');
    await notifySync(notifyOptions(ec, run), { kind: 'done', result });
    return result;
  } catch (err) {
    if (!options.signal?.aborted) await notifySync(notifyOptions(ec, run), failure(err, plan));
    throw err;
  }
};
