/**
 * A saved plan is a claim, checked at apply time: its operations are compared with those of a
 * fresh plan made from the same config, directory and cloud. Pure functions: the engine
 * (engine/sync.ts, `applySavedPlan`) reads both sides and the journal, this decides.
 */
import type { SyncReport } from '../../../../common/report';
import type { PlanOperation } from '../contract';
import { reportItems } from '../../../../common/reportItems';

/** Keys sorted at every level: two operations with the same content give the same text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** What an operation does, without its position in the plan (`opId`). */
export function operationKey(op: PlanOperation): string {
  const { opId: _opId, ...content } = op;
  return canonical(content);
}

const SHOWN = 80;

/** A value for a message: JSON, cut short. */
function show(v: unknown): string {
  const text = v === undefined ? 'nothing' : (JSON.stringify(v) ?? String(v));
  return text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text;
}

/** The first place two JSON values differ: `ops[0].value: "A" where a fresh plan has "B"`. */
export function firstDifference(saved: unknown, fresh: unknown, path = ''): string | undefined {
  if (canonical(saved) === canonical(fresh)) return undefined;
  const bothObjects = saved && fresh && typeof saved === 'object' && typeof fresh === 'object';
  if (bothObjects && Array.isArray(saved) === Array.isArray(fresh)) {
    if (Array.isArray(saved) && Array.isArray(fresh)) {
      for (let i = 0; i < Math.max(saved.length, fresh.length); i++) {
        const d = firstDifference(saved[i], fresh[i], `${path}[${i}]`);
        if (d) return d;
      }
    } else {
      const a = saved as Record<string, unknown>;
      const b = fresh as Record<string, unknown>;
      for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        if (k === 'opId') continue;
        const d = firstDifference(a[k], b[k], path ? `${path}.${k}` : k);
        if (d) return d;
      }
    }
  }
  return `${path || 'the operation'}: ${show(saved)} where a fresh plan has ${show(fresh)}`;
}

function describe(op: PlanOperation): string {
  const label = typeof op.label === 'string' ? op.label : '?';
  return `${String(op.opId)} (${String(op.kind)} ${label.length > SHOWN ? `${label.slice(0, SHOWN)}…` : label})`;
}

/**
 * Compares a saved plan's operations with a fresh plan's. Every saved operation must be in the
 * fresh plan with the same content (kind, targets, values, label), or be one the journal shows
 * this plan already started (`journaled`: an interrupted apply of the same plan). Unless
 * `resuming`, the fresh plan must have no operation the saved one lacks. Returns the first
 * difference in one sentence, or undefined when the saved plan holds.
 */
export function compareOperations(
  saved: readonly PlanOperation[],
  fresh: readonly PlanOperation[],
  journaled: ReadonlySet<string>,
  resuming: boolean,
): string | undefined {
  const unmatched = new Map<string, PlanOperation[]>();
  for (const op of fresh) {
    const key = operationKey(op);
    unmatched.set(key, [...(unmatched.get(key) ?? []), op]);
  }
  const seen = new Set<string>();
  for (const op of saved) {
    if (seen.has(op.opId)) return `the plan file has operation ${describe(op)} twice`;
    seen.add(op.opId);
    const key = operationKey(op);
    const same = unmatched.get(key);
    if (same?.length) {
      same.shift();
      continue;
    }
    if (journaled.has(op.opId)) continue;
    // The closest fresh operation: the same object and kind, else the same position.
    const left = [...unmatched.values()].flat();
    const near =
      left.find((f) => f.kind === op.kind && f.itemId === op.itemId) ?? left.find((f) => f.kind === op.kind && f.opId === op.opId);
    if (!near) return `the plan file's operation ${describe(op)} is not in a fresh plan of the same config, directory and cloud`;
    return `the plan file's operation ${describe(op)} differs from a fresh plan's: ${firstDifference(op, near)}`;
  }
  if (!resuming) {
    const extra = [...unmatched.values()].flat()[0];
    if (extra) return `a fresh plan has operation ${describe(extra)} that the plan file lacks`;
  }
  return undefined;
}

/** The deletions among the operations an apply will run (the base of the recomputed threshold). */
export function deletionsOf(ops: readonly PlanOperation[]): number {
  return ops.filter((o) => o.kind === 'deleteUser' || o.kind === 'deleteGroup' || o.kind === 'deleteContact').length;
}

/**
 * The summary of what an apply did: the report's count per category, leaving out the objects all
 * of whose operations failed (an object whose create failed was not added).
 */
export function summaryOfRun(
  report: SyncReport,
  ops: Iterable<PlanOperation>,
  failures: ReadonlyArray<{ readonly opId: string }>,
): SyncReport['summary'] {
  if (failures.length === 0) return report.summary;
  const failed = new Set(failures.map((f) => f.opId));
  const byItem = new Map<string, boolean>();
  for (const op of ops) byItem.set(op.itemId, (byItem.get(op.itemId) ?? false) || !failed.has(op.opId));
  const summary = { ...report.summary };
  for (const item of reportItems(report)) if (byItem.get(item.id) === false) summary[item.category]--;
  return summary;
}
