/**
 * Executes a plan's operations against the cloud: safety checks first (nothing written when one
 * trips), then the operations in phases — user creates, user patches, group creates, group
 * patches, memberships, avatars, group deletes, user deletes — each phase with bounded
 * concurrency, every step journaled (journal.ts) so that a killed or cancelled apply resumes.
 *
 * A failing operation is reported by the object it concerns and the apply goes on; an operation
 * that depends on it (a membership of a user whose create failed) fails in turn, naming why.
 *
 * Over 400 lines: the apply's phases and the one-operation switch share the journal and limiter types.
 */
import { setMaxListeners } from 'node:events';
import type { SecretResolver } from '../../avatars/credentials';
import type { DirsyncConfig } from '../../../../common/config';
import { ScimConflictError, ScimNotFoundError, type ContactBody, type ContactsClient, type ScimClient } from '../../cloud/index';
import { ContactBatcher } from './contactBatch';
import { readContactLedger, writeContactLedger } from './contactLedger';
import type { SyncMode, EngineEvent } from '../contract';
import { ApplyCancelledError } from './errors';
import { checkFullAdmins, checkThreshold } from './checks';
import { describeRef, RefResolver } from './refs';
import { createKey, Journal, journalDir, planIdOf, pruneJournals, unfinishedJournals } from './journal';
import type { ApplyResult, ObjectRef, PlanOperation, SyncPlan, SyncProgress } from '../contract';
import { countWork, type WorkSummary } from '../../../../common/work';
import type { ReportItem, SyncReport } from '../../../../common/report';
import { reportItems, withReport } from '../../../../common/reportItems';
import { operationCount, operationCountOfKinds, operationsOfKinds, planOperations } from '../plan/operations';

export type AvatarOperation = Extract<PlanOperation, { kind: 'uploadAvatar' | 'removeAvatar' }>;

/** What the avatar hook gets besides the operation. */
export interface AvatarApplyContext {
  readonly client: ScimClient;
  /** The target user's cloud id, resolved through the journal / the cloud. */
  readonly cloudId: string;
  /** The checked config (avatar source/target settings) and the secret resolver, when known. */
  readonly config?: DirsyncConfig;
  readonly secrets?: SecretResolver;
  readonly configFile: string;
  readonly stateDir: string;
  readonly sessionId: string;
  readonly signal?: AbortSignal;
  readonly emit: (event: Omit<EngineEvent, 'time' | 'sessionId'>) => void;
}

/**
 * Executes one avatar operation (server/src/sync/avatars/apply.ts, `applyAvatarOperation`). Throws
 * to fail the operation (the message names the object); resolves when done.
 */
export type AvatarApplyHook = (op: AvatarOperation, ctx: AvatarApplyContext) => Promise<void>;

export interface ExecuteOptions {
  readonly client: ScimClient;
  readonly stateDir: string;
  /** Absolute config path: journals are matched to their config by it. */
  readonly configFile: string;
  readonly mode: SyncMode;
  readonly sessionId: string;
  /** Operations in flight at once (the client's limiter also bounds requests). */
  readonly concurrency: number;
  /** Avatar operations in flight at once (they run beside the other phases); default `concurrency`. */
  readonly besideConcurrency?: number;
  readonly avatarHook?: AvatarApplyHook;
  readonly config?: DirsyncConfig;
  readonly secrets?: SecretResolver;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SyncProgress) => void;
  readonly onEvent?: (e: EngineEvent) => void;
}

/**
 * Phases in execution order; deletes come last so nothing is removed before the rest succeeded. A
 * phase marked `beside` starts with the first phase and runs beside the phases before it (each of
 * its operations waits only for the create of its own user, when the plan creates that user); the
 * phase after it waits for it to finish.
 */
const PHASES: ReadonlyArray<{ name: string; kinds: ReadonlyArray<PlanOperation['kind']>; beside?: true }> = [
  { name: 'creating users', kinds: ['createUser'] },
  { name: 'updating users', kinds: ['patchUser'] },
  { name: 'creating groups', kinds: ['createGroup'] },
  { name: 'updating groups', kinds: ['patchGroup'] },
  { name: 'updating memberships', kinds: ['groupMembers'] },
  { name: 'avatars', kinds: ['uploadAvatar', 'removeAvatar'], beside: true },
  { name: 'creating and updating contacts', kinds: ['createContact', 'updateContact'] },
  { name: 'deleting groups', kinds: ['deleteGroup'] },
  { name: 'deleting contacts', kinds: ['deleteContact'] },
  { name: 'deleting users', kinds: ['deleteUser'] },
];

const EVENT_NAME: Record<PlanOperation['kind'], string> = {
  createUser: 'user.create',
  patchUser: 'user.update',
  deleteUser: 'user.delete',
  createGroup: 'group.create',
  patchGroup: 'group.update',
  groupMembers: 'group.members',
  deleteGroup: 'group.delete',
  uploadAvatar: 'avatar.upload',
  removeAvatar: 'avatar.remove',
  createContact: 'contact.create',
  updateContact: 'contact.update',
  deleteContact: 'contact.delete',
};

class OperationError extends Error {}

function isAbort(err: unknown, signal?: AbortSignal): boolean {
  return !!signal?.aborted || (err instanceof Error && err.name === 'AbortError');
}

function who(label: string): { dn?: string; userName?: string } {
  return /^[A-Za-z][\w-]*=/.test(label) ? { dn: label } : { userName: label };
}

/**
 * One phase's operations, read in plan order as the workers take them: only those not yet taken or
 * not yet journaled are held (operations kept in a file are read a phase at a time, not all at once).
 */
class PhaseReader {
  private readonly source: Iterator<PlanOperation>;
  private held: PlanOperation[] = [];
  /** The index of `held[0]`. */
  private base = 0;

  constructor(
    readonly length: number,
    ops: Iterable<PlanOperation>,
  ) {
    this.source = ops[Symbol.iterator]();
  }

  /** The operation at `index` (not released yet). */
  at(index: number): PlanOperation {
    if (index < this.base) throw new Error(`operation ${index + 1} of the phase was read already`);
    while (this.base + this.held.length <= index) {
      const r = this.source.next();
      if (r.done) throw new Error(`the phase has ${this.base + this.held.length} operations, not ${this.length}`);
      this.held.push(r.value);
    }
    return this.held[index - this.base]!;
  }

  /** The operations before `index` are not read again. */
  release(index: number): void {
    const n = Math.min(index - this.base, this.held.length);
    if (n <= 0) return;
    this.held.splice(0, n);
    this.base += n;
  }

  close(): void {
    this.held = [];
    this.source.return?.();
  }
}

function phaseReader(payload: SyncPlan['payload'], kinds: readonly PlanOperation['kind'][]): PhaseReader {
  const n = operationCountOfKinds(payload, kinds);
  return new PhaseReader(n, n ? operationsOfKinds(payload, kinds) : []);
}

/** Runs the plan. Throws ApplyRefusedError (nothing written) or ApplyCancelledError (resumable). */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: the apply's phases in order (journal, threshold, creates, memberships, avatars, deletes) around one shared journal and limiter.
export async function executePlan(plan: SyncPlan, o: ExecuteOptions): Promise<ApplyResult> {
  const payload = plan.payload;
  const count = operationCount(payload);
  const planId = planIdOf(plan.payload);
  // Earlier applies of this config that did not finish: the same plan resumes; a new plan (a
  // fresh dry run) only needs their unconfirmed creates, which may exist in the cloud already.
  const earlier = await unfinishedJournals(o.stateDir, o.configFile);
  const same = earlier.filter((j) => j.planId === planId).at(-1);
  const sessionId = same?.sessionId ?? o.sessionId;
  const onEvent = o.onEvent;
  const emit = (e: Omit<EngineEvent, 'time' | 'sessionId'>): void =>
    onEvent?.({ time: new Date().toISOString(), sessionId, ...e } as EngineEvent);
  const performOptions = { ...o, sessionId };

  // Every operation in flight (and its retries) listens to the signal.
  if (o.signal) setMaxListeners(Math.max(64, o.concurrency * 4), o.signal);
  checkThreshold(plan);
  await checkFullAdmins(plan, o.client, o.signal);

  // Which org contacts are this config's (contactLedger.ts): kept up to date as contacts are written.
  const ledger = touchesContacts(plan) ? await readContactLedger(o.stateDir, o.configFile) : undefined;
  // Contact creates and deletes ready at once share bulk requests (contactBatch.ts).
  const batch = ledger && o.client.contacts ? new ContactBatcher(o.client.contacts, o.signal) : undefined;
  const contactState = ledger ? { ledger, ...(batch ? { batch } : {}) } : undefined;
  const saveLedger = async (): Promise<void> => {
    if (!ledger) return;
    noteMatchedContacts(plan, ledger);
    await writeContactLedger(o.stateDir, o.configFile, ledger);
  };
  if (count === 0) {
    await saveLedger();
    emit({ level: 'info', event: 'apply.end', message: 'nothing to do', applied: 0, resumed: 0, failed: 0, skipped: 0 });
    return {
      sessionId,
      applied: 0,
      resumed: 0,
      failed: 0,
      skipped: 0,
      failures: [],
      report: withReport(plan.report, { mode: o.mode }),
      work: countWork([], new Set()),
    };
  }
  const refs = new RefResolver(o.client);
  const maybeCreated = new Set<string>();
  for (const j of earlier) {
    refs.rememberAll(j.createdByKey);
    for (const u of j.unconfirmed.values()) if (u.key) maybeCreated.add(u.key);
  }
  const done = same?.done ?? new Map<string, string | undefined>();

  const journal = await Journal.open(journalDir(o.stateDir), sessionId);
  let applied = 0;
  let resumed = 0;
  let finished = 0;
  const failures: Array<{ opId: string; label: string; message: string }> = [];
  let skipped = 0;
  /** Operations done (applied or resumed): what the apply says it did is counted from them. */
  const completed = new Set<string>();
  let journalError: unknown;
  try {
    await journal.append({
      t: 'plan',
      time: new Date().toISOString(),
      sessionId,
      planId,
      config: o.configFile,
      mode: o.mode,
      basis: plan.payload.basis,
      ops: count,
    });
    emit({
      level: 'info',
      event: 'apply.start',
      message: `${same ? 'resuming' : 'applying'} ${count} operation${count === 1 ? '' : 's'}`,
      operations: count,
      planId,
    });

    const runOne = async (op: PlanOperation, started: Promise<void>): Promise<void> => {
      if (done.has(op.opId)) {
        const id = done.get(op.opId);
        if (id) refs.remember(createKey(op), id);
        // A killed run may not have saved its contact ledger: the journal says what it did.
        if (ledger && op.kind === 'createContact' && id) ledger.set(id, op.externalId);
        if (ledger && op.kind === 'deleteContact') ledger.delete(op.target.cloudId);
        resumed++;
        completed.add(op.opId);
        return;
      }
      const key = createKey(op);
      await started; // its `start` record is durable before the request goes out
      try {
        const result = await perform(
          op,
          performOptions,
          refs,
          maybeCreated.has(key ?? '') || !!same?.unconfirmed.has(op.opId),
          emit,
          contactState,
        );
        if (result === 'skipped') {
          skipped++;
          await journal.append({ t: 'fail', time: new Date().toISOString(), op: op.opId, message: 'skipped' });
          return;
        }
        if (result.cloudId) refs.remember(key, result.cloudId);
        // No fsync of its own: a `done` lost in a crash leaves the op unconfirmed, and the next run
        // looks the object up instead of creating it again. It goes out with the next `start`, the
        // sync at the end of the phase, or the `end`.
        try {
          journal.appendLater({
            t: 'done',
            time: new Date().toISOString(),
            op: op.opId,
            ...(result.cloudId ? { cloudId: result.cloudId } : {}),
            ...(key ? { key } : {}),
          });
        } catch (e) {
          journalError ??= e;
        }
        applied++;
        completed.add(op.opId);
        // An avatar hook logs Directory Connector's own event lines for its operations: once is enough.
        if (onEvent && !(o.avatarHook && (op.kind === 'uploadAvatar' || op.kind === 'removeAvatar')))
          emit({
            level: 'info',
            event: EVENT_NAME[op.kind],
            message: result.message,
            ...who(op.label),
            ...(result.cloudId ? { cloudId: result.cloudId } : {}),
          });
      } catch (err) {
        if (isAbort(err, o.signal)) throw err;
        const message = err instanceof Error ? err.message : String(err);
        failures.push({ opId: op.opId, label: op.label, message });
        await journal.append({ t: 'fail', time: new Date().toISOString(), op: op.opId, message });
        emit({ level: 'error', event: `${EVENT_NAME[op.kind]}.failed`, message, ...who(op.label) });
      }
    };

    // The users this plan creates, by lookup key: an operation of a `beside` phase that targets one
    // waits for that create to settle (done, failed or resumed), not for the whole phase.
    // Only the creates such an operation waits for get a promise.
    const besideKinds = PHASES.filter((p) => p.beside).flatMap((p) => p.kinds);
    const awaited = new Set<string>();
    for (const op of operationsOfKinds(payload, besideKinds)) for (const k of usersOf(op)) awaited.add(k);
    const creates = new Map<string, { settled: Promise<void>; settle: () => void }>();
    for (const op of awaited.size ? operationsOfKinds(payload, ['createUser']) : []) {
      const key = op.kind === 'createUser' ? createKey(op) : undefined;
      if (!key || !awaited.has(key) || done.has(op.opId)) continue;
      let settle!: () => void;
      const settled = new Promise<void>((resolve) => (settle = resolve));
      creates.set(key, { settled, settle });
    }
    const settleCreate = (op: PlanOperation): void => {
      const key = op.kind === 'createUser' ? createKey(op) : undefined;
      if (key) creates.get(key)?.settle();
    };
    const createOf = (op: PlanOperation): Promise<unknown> | undefined => {
      const waits: Array<Promise<void>> = [];
      for (const k of usersOf(op)) {
        const c = creates.get(k);
        if (c) waits.push(c.settled);
      }
      return waits.length === 0 ? undefined : waits.length === 1 ? waits[0] : Promise.all(waits);
    };

    /** Runs one phase's operations, `concurrency` at a time, in plan order. */
    const runPhase = async (name: string, batch: PhaseReader, concurrency: number, waitForCreate: boolean): Promise<void> => {
      try {
        await runPhaseOps(name, batch, concurrency, waitForCreate);
      } finally {
        batch.close();
      }
    };
    const runPhaseOps = async (name: string, batch: PhaseReader, concurrency: number, waitForCreate: boolean): Promise<void> => {
      let next = 0;
      // `start` records go out a window ahead: the worker that takes the first operation past the
      // journaled ones appends the starts of the next `window` operations in one durable batch
      // (one write + fsync), and each of them waits for that batch before its request is sent. A
      // crash leaves at most a window of started-but-unsent operations, which the next run merely
      // looks up before creating.
      const window = Math.max(1, concurrency);
      let journaledTo = 0;
      let windowDurable: Promise<void> = Promise.resolve();
      const startedUpTo = (index: number): Promise<void> => {
        if (index >= journaledTo) {
          const time = new Date().toISOString();
          const end = Math.min(batch.length, index + window);
          for (let i = index; i < end; i++) {
            const op = batch.at(i);
            if (done.has(op.opId)) continue;
            const key = createKey(op);
            journal.appendLater({ t: 'start', time, op: op.opId, kind: op.kind, ...(key ? { key } : {}) });
          }
          journaledTo = end;
          windowDurable = journal.sync();
          windowDurable.catch(() => undefined); // awaited by each operation of the window
        }
        return windowDurable;
      };
      const worker = async (): Promise<void> => {
        while (next < batch.length) {
          if (o.signal?.aborted || stopping) return;
          const index = next++;
          const op = batch.at(index);
          // Operations before both the next one to take and the first not yet journaled are not read again.
          batch.release(Math.min(next, journaledTo));
          if (waitForCreate) {
            await createOf(op);
            if (o.signal?.aborted || stopping) return;
          }
          try {
            await runOne(op, startedUpTo(index));
          } finally {
            settleCreate(op);
          }
          finished++;
          o.onProgress?.({ phase: 'apply', message: name, done: finished, total: count });
        }
      };
      const workers = Array.from({ length: Math.max(1, Math.min(concurrency, batch.length)) }, worker);
      const settled = await Promise.allSettled(workers);
      const aborted = settled.find((s) => s.status === 'rejected');
      if (aborted || o.signal?.aborted) {
        throw aborted && aborted.status === 'rejected' && !isAbort(aborted.reason, o.signal)
          ? aborted.reason
          : new DOMException('cancelled', 'AbortError');
      }
      if (stopping) throw besideError ?? new DOMException('cancelled', 'AbortError');
    };

    /** Set when a phase failed: the phases beside it stop taking operations (and stop waiting for creates). */
    let stopping = false;
    /** Why a phase running beside the others stopped (a journal failure or the cancellation). */
    let besideError: unknown;
    const stop = (): void => {
      stopping = true;
      for (const c of creates.values()) c.settle();
    };
    const lanes = new Map<string, Promise<void>>();
    try {
      // The phases marked `beside` start now, with the first phase.
      for (const b of PHASES.filter((p) => p.beside)) {
        const batch = phaseReader(payload, b.kinds);
        if (batch.length === 0) continue;
        const avatars = b.kinds.includes('uploadAvatar');
        const lane = runPhase(b.name, batch, Math.max(1, (avatars ? o.besideConcurrency : undefined) ?? o.concurrency), true);
        lane.catch((err: unknown) => {
          besideError ??= err;
          stop();
        });
        lanes.set(b.name, lane);
      }
      for (const phase of PHASES) {
        if (phase.beside) {
          // The phases after it wait for it, and for its `done` records.
          await lanes.get(phase.name);
          await journal.sync();
          continue;
        }
        const batch = phaseReader(payload, phase.kinds);
        if (batch.length === 0) continue;
        await runPhase(phase.name, batch, o.concurrency, false);
        // A later phase may depend on this one's outcome (a delete after a membership change): its
        // `done` records are durable before it starts, so a resume never re-runs a finished step.
        await journal.sync();
      }
    } catch (err) {
      // The first failure is the one reported: a lane's own, or this one (which stops the lanes).
      const first = besideError ?? err;
      stop();
      await Promise.allSettled(lanes.values());
      throw first;
    }
    if (journalError) throw journalError;
    const result: ApplyResult = {
      sessionId,
      applied,
      resumed,
      failed: failures.length,
      skipped,
      failures,
      report: withReport(plan.report, { mode: o.mode }),
      work: workDone(plan, completed),
    };
    await journal.append({ t: 'end', time: new Date().toISOString(), status: failures.length ? 'failed' : 'complete' });
    // A complete apply makes the earlier, unfinished journals of this config history.
    if (failures.length === 0) {
      for (const j of earlier) if (j.sessionId !== sessionId) await markSuperseded(o.stateDir, j.sessionId);
      await pruneJournals(o.stateDir, o.configFile);
    }
    emit({
      level: failures.length ? 'warning' : 'info',
      event: 'apply.end',
      message: `applied ${applied}, resumed ${resumed}, failed ${failures.length}, skipped ${skipped}`,
      applied,
      resumed,
      failed: failures.length,
      skipped,
    });
    return result;
  } catch (err) {
    if (isAbort(err, o.signal)) {
      await journal.append({ t: 'end', time: new Date().toISOString(), status: 'cancelled' }).catch(() => undefined);
      emit({ level: 'warning', event: 'apply.cancelled', message: `cancelled after ${applied} operations; re-run to resume` });
      throw new ApplyCancelledError({
        sessionId,
        applied,
        resumed,
        failed: failures.length,
        skipped,
        failures,
        report: withReport(plan.report, { mode: o.mode }),
      });
    }
    throw err;
  } finally {
    await journal.close();
    // A ledger that cannot be written must not hide the apply's own outcome: said, not thrown.
    await saveLedger().catch((err: unknown) =>
      emit({
        level: 'warning',
        event: 'contacts.ledger',
        message: `the list of contacts this config synchronized could not be saved (${err instanceof Error ? err.message : String(err)}); the next sync matches them by email again`,
      }),
    );
  }
}

/** True when the plan writes or matches Webex org contacts. */
function touchesContacts(plan: SyncPlan): boolean {
  return (
    operationCountOfKinds(plan.payload, ['createContact', 'updateContact', 'deleteContact']) > 0 ||
    someItem(plan.report, (it) => it.objectType === 'contact' && !!it.cloudId)
  );
}

/** Contacts the plan matched (unchanged or updated) are this config's from now on. */
function noteMatchedContacts(plan: SyncPlan, ledger: Map<string, string>): void {
  for (const it of reportItems(plan.report)) {
    if (it.objectType !== 'contact' || !it.cloudId || !it.objectGuid || !it.id.startsWith('contact:')) continue;
    if (it.action === 'none' || it.action === 'update') ledger.set(it.cloudId, it.objectGuid);
  }
}

function contactsOf(c: ScimClient): ContactsClient {
  if (!c.contacts) throw new OperationError('this cloud has no contacts API (a generic SCIM target): contacts are not written');
  return c.contacts;
}

/** The lookup keys of the users an operation needs: its target (a user's) and the users its PATCH values name. */
function usersOf(op: PlanOperation): string[] {
  const keys: string[] = [];
  if (op.kind === 'patchUser' || op.kind === 'uploadAvatar' || op.kind === 'removeAvatar')
    keys.push(...RefResolver.keysOf('user', op.target));
  if (op.kind === 'patchUser' || op.kind === 'patchGroup')
    for (const p of op.ops) if (isRefValue(p.value)) keys.push(...RefResolver.keysOf('user', p.value.$objectRef));
  return keys;
}

/** The work of the items whose operations all completed. */
function workDone(plan: SyncPlan, completed: ReadonlySet<string>): WorkSummary {
  const pending = new Set<string>();
  const touched = new Set<string>();
  for (const op of planOperations(plan.payload)) {
    touched.add(op.itemId);
    if (!completed.has(op.opId)) pending.add(op.itemId);
  }
  const done = new Set([...touched].filter((id) => !pending.has(id)));
  return countWork(reportItems(plan.report), done);
}

async function markSuperseded(stateDir: string, sessionId: string): Promise<void> {
  const j = await Journal.open(journalDir(stateDir), sessionId);
  try {
    await j.append({ t: 'end', time: new Date().toISOString(), status: 'superseded' });
  } finally {
    await j.close();
  }
}

/**
 * A PATCH value that names a user by ObjectRef (`{ "$objectRef": { externalId } }`) — a manager
 * created earlier in the same apply — is replaced by that user's cloud id before sending.
 */
export function isRefValue(v: unknown): v is { $objectRef: ObjectRef } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { $objectRef?: unknown }).$objectRef === 'object' &&
    (v as { $objectRef?: unknown }).$objectRef !== null
  );
}

/** A plain object value with a sub-attribute that is an ObjectRef. */
function isComplexWithRef(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).some(isRefValue);
}

type Performed = { cloudId?: string; message: string } | 'skipped';

async function resolveOrFail(
  refs: RefResolver,
  kind: 'user' | 'group',
  ref: Parameters<RefResolver['resolve']>[1],
  signal?: AbortSignal,
): Promise<string> {
  const id = await refs.resolve(kind, ref, signal);
  if (!id) throw new OperationError(`${describeRef(kind, ref)} does not exist in the cloud (its create failed or it was removed)`);
  return id;
}

/** One operation against the cloud. `checkFirst`: an earlier attempt may have created the object. */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one switch over the operation kinds, each a short SCIM call with its lost-POST recovery.
async function perform(
  op: PlanOperation,
  o: ExecuteOptions,
  refs: RefResolver,
  checkFirst: boolean,
  emit: AvatarApplyContext['emit'],
  contactState?: { readonly ledger: Map<string, string>; readonly batch?: ContactBatcher },
): Promise<Performed> {
  const ledger = contactState?.ledger;
  const signal = o.signal;
  const so = signal ? { signal } : {};
  const c = o.client;
  switch (op.kind) {
    case 'createUser':
    case 'createGroup': {
      const kind = op.kind === 'createUser' ? 'user' : 'group';
      const nameAttr = kind === 'user' ? 'userName' : 'displayName';
      const ref = {
        ...(typeof op.body['externalId'] === 'string' ? { externalId: op.body['externalId'] } : {}),
        ...(typeof op.body[nameAttr] === 'string' ? { userName: op.body[nameAttr] as string } : {}),
      };
      if (checkFirst) {
        const id = await refs.lookup(kind, ref, signal);
        if (id) return { cloudId: id, message: `${kind} ${op.label} found (created by an interrupted earlier run)` };
      }
      try {
        const resource = kind === 'user' ? c.users : c.groups;
        const created = await resource.create({ ...op.body } as never, { ...so, object: `${kind} "${op.label}"` });
        return { ...(created.id ? { cloudId: created.id } : {}), message: `created ${kind} ${op.label}` };
      } catch (err) {
        // A 409 on the object's own externalId: an earlier attempt got through; adopt it.
        if (err instanceof ScimConflictError && ref.externalId) {
          const id = await refs.lookup(kind, { externalId: ref.externalId }, signal);
          if (id) return { cloudId: id, message: `${kind} ${op.label} already created` };
        }
        throw err;
      }
    }
    case 'patchUser':
    case 'patchGroup': {
      const kind = op.kind === 'patchUser' ? 'user' : 'group';
      const id = await resolveOrFail(refs, kind, op.target, signal);
      const resolveValue = async (v: unknown): Promise<unknown> =>
        isRefValue(v) ? await resolveOrFail(refs, 'user', v.$objectRef, signal) : v;
      const patchOps = await Promise.all(
        op.ops.map(async (p) => {
          if (isRefValue(p.value)) return { ...p, value: await resolveValue(p.value) };
          // A complex attribute added whole on a generic target (`manager: { value: { $objectRef } }`).
          if (!isComplexWithRef(p.value)) return p;
          const entries = await Promise.all(Object.entries(p.value).map(async ([k, v]) => [k, await resolveValue(v)] as const));
          return { ...p, value: Object.fromEntries(entries) };
        }),
      );
      await (kind === 'user' ? c.users : c.groups).patch(id, patchOps as never, { ...so, object: `${kind} "${op.label}"` });
      return { message: `updated ${kind} ${op.label}` };
    }
    case 'groupMembers': {
      const id = await resolveOrFail(refs, 'group', op.target, signal);
      const missing: string[] = [];
      const resolveAll = async (list: readonly (typeof op.target)[]): Promise<string[]> => {
        const ids: string[] = [];
        for (const m of list) {
          const mid = await refs.resolve('user', m, signal);
          if (mid) ids.push(mid);
          else missing.push(describeRef('user', m));
        }
        return ids;
      };
      const add = await resolveAll(op.add);
      const remove = await resolveAll(op.remove);
      const object = { ...so, object: `group "${op.label}"` };
      if (add.length) await c.groups.addMembers(id, add, object);
      if (remove.length) await c.groups.removeMembers(id, remove, object);
      if (missing.length)
        throw new OperationError(
          `${missing.length} member${missing.length === 1 ? '' : 's'} not in the cloud: ${missing.slice(0, 10).join(', ')}`,
        );
      return { message: `group ${op.label}: +${add.length} −${remove.length} members` };
    }
    case 'deleteUser':
    case 'deleteGroup': {
      const kind = op.kind === 'deleteUser' ? 'user' : 'group';
      const id = await refs.resolve(kind, op.target, signal);
      if (!id) return { message: `${kind} ${op.label} was already gone` };
      try {
        await (kind === 'user' ? c.users : c.groups).delete(id, { ...so, object: `${kind} "${op.label}"` });
      } catch (err) {
        if (!(err instanceof ScimNotFoundError)) throw err;
      }
      return { message: `deleted ${kind} ${op.label}` };
    }
    case 'createContact': {
      const contacts = contactsOf(c);
      const body = op.body as unknown as ContactBody;
      const email = body.emails?.[0]?.value;
      const adopt = (id: string, message: string): Performed => {
        ledger?.set(id, op.externalId);
        return { cloudId: id, message };
      };
      let lookFirst = checkFirst;
      if (!checkFirst && contactState?.batch) {
        const r = await contactState.batch.create(body);
        if (r.created) return adopt(r.created.contactId, `created contact ${op.label}`);
        // Not created by the bulk request: on its own, after a look-up when its outcome is unknown.
        lookFirst = !!r.unknown;
      }
      if (lookFirst && email) {
        const found = await contacts.findByEmail(email, body.source, signal);
        if (found) return adopt(found.contactId, `contact ${op.label} found (created by an interrupted earlier run)`);
      }
      try {
        const created = await contacts.create(body, { ...so, object: `contact ${JSON.stringify(email ?? '')} (${op.label})` });
        return adopt(created.contactId, `created contact ${op.label}`);
      } catch (err) {
        // A 409 on its email: an earlier attempt got through; adopt it.
        if (err instanceof ScimConflictError && email) {
          const found = await contacts.findByEmail(email, body.source, signal);
          if (found) return adopt(found.contactId, `contact ${op.label} already created`);
        }
        throw err;
      }
    }
    case 'updateContact': {
      const body = op.body as unknown as ContactBody;
      try {
        await contactsOf(c).update(op.target.cloudId, body, { ...so, object: `contact id ${op.target.cloudId} (${op.label})` });
      } catch (err) {
        if (err instanceof ScimNotFoundError)
          throw new OperationError(
            `contact ${op.label} (id ${op.target.cloudId}) is no longer among the org contacts; the next sync creates it`,
          );
        throw err;
      }
      ledger?.set(op.target.cloudId, op.target.externalId);
      return { cloudId: op.target.cloudId, message: `updated contact ${op.label}` };
    }
    case 'deleteContact': {
      const gone = (await contactState?.batch?.delete(op.target.cloudId)) ?? false;
      try {
        if (!gone) await contactsOf(c).delete(op.target.cloudId, { ...so, object: `contact ${op.label} (id ${op.target.cloudId})` });
      } catch (err) {
        if (!(err instanceof ScimNotFoundError)) throw err;
      }
      ledger?.delete(op.target.cloudId);
      return { message: `deleted contact ${op.label}` };
    }
    case 'uploadAvatar':
    case 'removeAvatar': {
      if (!o.avatarHook) {
        emit({
          level: 'warning',
          event: 'avatar.skipped',
          message: `avatar operation for ${op.label} skipped: no avatar apply hook is installed`,
          ...who(op.label),
        });
        return 'skipped';
      }
      const cloudId = await resolveOrFail(refs, 'user', op.target, signal);
      await o.avatarHook(op, {
        client: c,
        cloudId,
        ...(o.config ? { config: o.config } : {}),
        ...(o.secrets ? { secrets: o.secrets } : {}),
        configFile: o.configFile,
        stateDir: o.stateDir,
        sessionId: o.sessionId,
        ...so,
        emit,
      });
      return { message: `${op.kind === 'uploadAvatar' ? 'uploaded avatar of' : 'removed avatar of'} ${op.label}` };
    }
  }
}

function someItem(report: SyncReport, test: (item: ReportItem) => boolean): boolean {
  for (const item of reportItems(report)) if (test(item)) return true;
  return false;
}
