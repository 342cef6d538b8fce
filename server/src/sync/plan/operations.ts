/**
 * A plan's operations, kept in memory or outside it. A first full sync of 100,000 users plans about
 * 225,000 operations (every create's body, every manager link, every picture): `dirsync sync`
 * writes them to a file as they are planned (sync/engine/opSpool.ts) instead of holding them until
 * the apply ends, and the apply reads each phase back as it runs it.
 *
 * The planner collects drafts per phase through an `OperationSink` and numbers them at the end, in
 * apply order (`op-000001`…). A payload whose operations are kept outside carries their
 * `OperationSource`: `planOperations`, `operationCount`, `operationsOfKinds` and `operationLines`
 * read it without holding every operation; its `operations` property still works (it reads them all
 * into memory the first time it is used), so a caller that needs the array gets it and only pays
 * for it then. Either way the operations, their order, their ids and their JSON text are the same.
 */
import type { OperationKind, PlanOperation, PlanPayload } from '../contract';
import type { OperationDraft } from './types';
import { withLazyList } from '../../../../common/reportItems';

/**
 * Phases in apply order: users exist before groups reference them and before avatars are written
 * to them; org contacts are created and updated after them; deletes come last (groups, contacts,
 * then users) so a failed run never deletes first.
 */
export const PHASES = [
  'create',
  'patch',
  'createGroup',
  'patchGroup',
  'members',
  'avatar',
  'contact',
  'deleteGroup',
  'deleteContact',
  'delete',
] as const;
export type Phase = (typeof PHASES)[number];

/** `op-000001`: the id of the operation at `index` (from 0) in apply order. */
export function opIdAt(index: number): string {
  return `op-${String(index + 1).padStart(6, '0')}`;
}

/** Takes the planner's drafts per phase; `finish` numbers them in apply order. */
export interface OperationSink {
  add(phase: Phase, draft: OperationDraft): void;
  phaseCount(phase: Phase): number;
  /** The plan's payload with the operations in apply order, numbered; called once, after the last `add`. */
  payload(fields: Omit<PlanPayload, 'operations'>): PlanPayload;
}

/** The default sink: the drafts in memory, numbered in place (no second copy of 100k operations). */
export class OperationList implements OperationSink {
  private readonly ops = new Map<Phase, OperationDraft[]>(PHASES.map((p) => [p, []]));

  add(phase: Phase, draft: OperationDraft): void {
    this.ops.get(phase)!.push(draft);
  }

  phaseCount(phase: Phase): number {
    return this.ops.get(phase)!.length;
  }

  payload(fields: Omit<PlanPayload, 'operations'>): PlanPayload {
    return { ...fields, operations: this.numbered() };
  }

  private numbered(): PlanOperation[] {
    const out: PlanOperation[] = [];
    for (const phase of PHASES) {
      // The id is added to the draft itself, last (as `{ ...d, opId }` would place it): the same
      // JSON text, without a copy of every operation while the drafts are still alive.
      for (const d of this.ops.get(phase)!) {
        (d as { opId?: string }).opId = opIdAt(out.length);
        out.push(d as PlanOperation);
      }
      this.ops.set(phase, []);
    }
    return out;
  }
}

/** Operations kept outside the payload object, read back in apply order. */
export interface OperationSource extends Iterable<PlanOperation> {
  readonly count: number;
  /** How many operations of these kinds there are, without reading them. */
  countOfKinds(kinds: readonly OperationKind[]): number;
  /** The operations of these kinds, in apply order (a phase at a time, without reading the others). */
  ofKinds(kinds: readonly OperationKind[]): Iterable<PlanOperation>;
  /** Every operation's JSON text (`JSON.stringify(op)`), in apply order, without parsing it. */
  lines(): Iterable<string>;
  /** Removes what keeps them (a file); the payload's operations are unreadable afterwards. */
  close(): void;
}

const SOURCE = Symbol('dirsync.planOperationSource');

type WithSource = PlanPayload & { readonly [SOURCE]?: OperationSource };

/** A payload whose `operations` are read from `source` the first time they are used. */
export function lazyPayload(fields: Omit<PlanPayload, 'operations'>, source: OperationSource): PlanPayload {
  return withLazyList(fields, 'operations', source, SOURCE) as PlanPayload;
}

/** Where the payload's operations are kept when not in the payload object; undefined when they are in it. */
export function operationSourceOf(payload: PlanPayload): OperationSource | undefined {
  return (payload as WithSource)[SOURCE];
}

/** The payload's operations one at a time, in apply order. */
export function planOperations(payload: PlanPayload): Iterable<PlanOperation> {
  return operationSourceOf(payload) ?? payload.operations;
}

/** How many operations the payload has, without reading them. */
export function operationCount(payload: PlanPayload): number {
  return operationSourceOf(payload)?.count ?? payload.operations.length;
}

/** The payload's operations of these kinds, in apply order. */
export function operationsOfKinds(payload: PlanPayload, kinds: readonly OperationKind[]): Iterable<PlanOperation> {
  const source = operationSourceOf(payload);
  if (source) return source.ofKinds(kinds);
  return payload.operations.filter((op) => kinds.includes(op.kind));
}

/** How many of the payload's operations have these kinds, without reading them. */
export function operationCountOfKinds(payload: PlanPayload, kinds: readonly OperationKind[]): number {
  const source = operationSourceOf(payload);
  if (source) return source.countOfKinds(kinds);
  let n = 0;
  for (const op of payload.operations) if (kinds.includes(op.kind)) n++;
  return n;
}

/** Every operation's JSON text, as `JSON.stringify(op)` gives it (the plan id hashes it). */
export function* operationLines(payload: PlanPayload): Iterable<string> {
  const source = operationSourceOf(payload);
  if (source) yield* source.lines();
  else for (const op of payload.operations) yield JSON.stringify(op);
}

/** Releases operations kept outside the payload (their file); nothing for operations in memory. */
export function closeOperations(payload: PlanPayload): void {
  operationSourceOf(payload)?.close();
}
