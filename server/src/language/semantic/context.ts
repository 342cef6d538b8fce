/** What every semantic (DS5xx) check gets: the tree, the model, the parsed embedded values, an output. */
import { findNodeAtLocation } from 'jsonc-parser';
import { severityOf } from '../codes';
import type { Diagnostic, QuickFix } from '../diagnostics';
import type { EmbeddedValue } from '../embedded';
import { rangeOf, type Node } from '../config/tree';
import type { DirsyncConfig, TextRange } from '../../../../common/config';

export interface SemanticContext {
  readonly text: string;
  readonly root: Node;
  readonly config: DirsyncConfig;
  readonly embedded: readonly EmbeddedValue[];
  readonly out: Diagnostic[];
  readonly internalErrors: string[];
}

export function report(
  ctx: SemanticContext,
  code: string,
  range: TextRange,
  message: string,
  fixes?: QuickFix[],
  extra?: Partial<Diagnostic>,
): void {
  // The range as it is now: a list item's range follows its node when the tree is edited later (config/model.ts).
  const at = { start: range.start, end: range.end };
  ctx.out.push({ code, severity: severityOf(code), range: at, message, ...(fixes?.length ? { fixes } : {}), ...extra });
}

/** The value node at a path, or undefined. */
export function nodeAt(ctx: SemanticContext, path: Array<string | number>): Node | undefined {
  return findNodeAtLocation(ctx.root, path);
}

/**
 * The best range to blame for something about `path`: the key of the deepest existing property
 * on the path (so "missing X" points at the section that should hold it), else the file's first
 * character.
 */
export function blame(ctx: SemanticContext, path: Array<string | number>): TextRange {
  for (let n = path.length; n > 0; n--) {
    const node = findNodeAtLocation(ctx.root, path.slice(0, n));
    if (node) {
      const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      return rangeOf(key ?? node);
    }
  }
  return { start: ctx.root.offset, end: ctx.root.offset + 1 };
}

/** The key node range of the property at `path` (or the value's range when it is an array item). */
export function keyRange(ctx: SemanticContext, path: Array<string | number>): TextRange | undefined {
  const node = findNodeAtLocation(ctx.root, path);
  if (!node) return undefined;
  const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
  return rangeOf(key ?? node);
}

/** Runs a grammar helper (evaluate, references, …) that may throw; records the failure. */
export function guarded<T>(ctx: { internalErrors: string[] }, what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    ctx.internalErrors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
