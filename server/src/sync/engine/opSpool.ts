/**
 * A sync's planned operations written out as they are planned, so a first full sync of 100,000
 * users does not hold every create's body, every manager link and every picture operation from the
 * end of its dry run to the end of its apply.
 *
 * One spool file per phase beside the reports (`.ops-<pid>-<n>-<phase>.jsonl`, one draft's JSON a
 * line, written a megabyte at a time). Reading back numbers the drafts in apply order, as the
 * in-memory list does (plan/operations.ts): the line of an operation is its draft's JSON with
 * `"opId"` added last, the text `JSON.stringify` gives the numbered operation, so the plan id, the
 * journal and a saved plan are the same byte for byte. The apply reads one phase at a time and
 * holds only the operations in flight; `close` removes the files (a killed run's files are removed
 * by the next dry run in that folder).
 */
import type { OperationKind, PlanOperation, PlanPayload } from '../contract';
import { lazyPayload, opIdAt, PHASES, type OperationSink, type OperationSource, type Phase } from '../plan/operations';
import type { OperationDraft } from '../plan/types';
import { join } from 'node:path';
import { reportsFolder, SpoolFile, spoolName } from './spoolFile';

interface PhaseFile {
  readonly spool: SpoolFile;
  count: number;
  /** How many of each kind (a phase's drafts are of one or two kinds). */
  readonly kinds: Map<OperationKind, number>;
}

/** The draft's JSON text with its id added last: `JSON.stringify({ ...draft, opId })`. */
function numbered(line: string, index: number): string {
  return `${line.slice(0, -1)},"opId":"${opIdAt(index)}"}`;
}

export class OperationSpool implements OperationSink, OperationSource {
  private readonly files = new Map<Phase, PhaseFile>();
  private total = 0;
  private closed = false;

  /** A spool in the reports folder `dir` (created if missing). */
  static async open(dir: string): Promise<OperationSpool> {
    await reportsFolder(dir);
    return new OperationSpool(dir);
  }

  private constructor(private readonly dir: string) {}

  add(phase: Phase, draft: OperationDraft): void {
    if (this.closed) throw new Error('operations added after the spool was closed');
    let f = this.files.get(phase);
    if (!f) {
      f = { spool: new SpoolFile(join(this.dir, spoolName('ops', 'jsonl', `-${phase}`))), count: 0, kinds: new Map() };
      this.files.set(phase, f);
    }
    f.spool.append(`${JSON.stringify(draft)}\n`);
    f.count++;
    f.kinds.set(draft.kind, (f.kinds.get(draft.kind) ?? 0) + 1);
    this.total++;
  }

  phaseCount(phase: Phase): number {
    return this.files.get(phase)?.count ?? 0;
  }

  payload(fields: Omit<PlanPayload, 'operations'>): PlanPayload {
    return lazyPayload(fields, this);
  }

  get count(): number {
    return this.total;
  }

  countOfKinds(kinds: readonly OperationKind[]): number {
    let n = 0;
    for (const f of this.files.values()) for (const k of kinds) n += f.kinds.get(k) ?? 0;
    return n;
  }

  /** Each phase's numbered lines with the index of its first operation, in apply order. */
  private *phases(kinds?: readonly OperationKind[]): Generator<{ lines: Iterable<string>; first: number }> {
    if (this.closed) throw new Error('the planned operations were removed (the spool was closed)');
    let first = 0;
    for (const phase of PHASES) {
      const f = this.files.get(phase);
      if (!f) continue;
      if (!kinds || kinds.some((k) => f.kinds.has(k))) yield { lines: f.spool.lines(), first };
      first += f.count;
    }
  }

  *lines(): Iterable<string> {
    for (const { lines, first } of this.phases()) {
      let i = first;
      for (const line of lines) yield numbered(line, i++);
    }
  }

  *ofKinds(kinds: readonly OperationKind[]): Iterable<PlanOperation> {
    for (const { lines, first } of this.phases(kinds)) {
      let i = first;
      for (const line of lines) {
        const op = JSON.parse(numbered(line, i++)) as PlanOperation;
        if (kinds.includes(op.kind)) yield op;
      }
    }
  }

  *[Symbol.iterator](): Iterator<PlanOperation> {
    for (const line of this.lines()) yield JSON.parse(line) as PlanOperation;
  }

  close(): void {
    this.closed = true;
    for (const f of this.files.values()) f.spool.close();
  }
}
