/**
 * One pass over a document: parse (jsonc-parser), structure (DS1xx), model (DirsyncConfig),
 * embedded languages (DS2xx–4xx) and semantic checks (DS5xx). Every editor feature and the CLI
 * start from an `Analysis`; it never throws.
 */
import { buildConfig } from './config/model';
import { CONFIG_SPEC } from './config/spec';
import { validateStructure, type TreeEdits } from './config/structure';
import { parseConfigTree, type Node, type ParsedTree } from './config/tree';
import { applyChange, verifyEdits, type TextChange, type Touched } from './config/treeEdit';
import type { DirsyncConfig } from '../../../common/config';
import type { Diagnostic } from './diagnostics';
import { checkEmbedded, type EmbeddedValue } from './embedded';
import { LineIndex } from './positions';
import { runSemanticChecks } from './semantic/index';
import type { ChunkedText } from './text';

/** A document's text: whole, or in pieces (the language server's documents) read whole only when needed. */
export type DocumentText = string | ChunkedText;

function whole(text: DocumentText): string {
  return typeof text === 'string' ? text : text.text();
}

export interface Analysis {
  /** The whole text; for a document kept in pieces, built on first use. */
  readonly text: string;
  /** The text as the analysis read it: whole, or in pieces (read slices of it to avoid building it whole). */
  readonly source: DocumentText;
  readonly root: Node | undefined;
  readonly lines: LineIndex;
  /** Sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
  /** The model with defaults filled; usable even when there are errors. */
  readonly config: DirsyncConfig;
  readonly embedded: readonly EmbeddedValue[];
  /** Failures inside the service (a grammar that threw, a failed check): for logs, never shown as diagnostics. */
  readonly internalErrors: readonly string[];
}

export type { TextChange } from './config/treeEdit';

/**
 * Trees from a clean parse that belong to exactly one analysis and may take the next edits in
 * place (`reanalyze`). A tree leaves the set when it is edited: the older analysis it came from is
 * then out of date, as its document is.
 */
const editableTrees = new WeakSet<Node>();
/** How many times each editable tree was walked (structure.ts keeps list results by walk). */
const walks = new WeakMap<Node, number>();
/** Clean parse trees and the text each one is exactly the parse of (while an edit is applied, none). */
const cleanTexts = new WeakMap<Node, DocumentText>();

/** Whether `root` is the clean parse of `text` (every token of the text is in the tree), e.g. for completion. */
export function isCleanTreeOf(root: Node, text: DocumentText): boolean {
  const clean = cleanTexts.get(root);
  return clean === text || (clean !== undefined && typeof clean !== 'string' && clean.builtText === text);
}

/** Analyzes a document's text. */
export function analyze(text: string): Analysis {
  let tree: ParsedTree | undefined;
  let parseError: unknown;
  try {
    tree = parseConfigTree(text);
  } catch (err) {
    parseError = err;
  }
  const analysis = analyzeTree(text, tree, parseError);
  if (tree?.clean && tree.root) cleanTexts.set(tree.root, text);
  if (tree?.clean && analysis.root?.type === 'object' && !analysis.internalErrors.length) {
    editableTrees.add(analysis.root);
    walks.set(analysis.root, 0);
  }
  return analysis;
}

/**
 * A parse tree edited in place whose checks have not run yet (`editTree`): the current text's
 * clean parse, which is all completion reads. `checkTree` makes its analysis.
 */
export interface EditedTree {
  readonly root: Node;
  /** The text the tree is now the parse of. */
  readonly source: DocumentText;
  /** The whole text, built on first use. */
  readonly text: string;
  /** The strings whose value changed since the tree's last checks. */
  readonly changed: ReadonlySet<Node>;
}

/** The edit of each tree that is waiting for its checks (only the latest one of a tree is). */
const uncheckedEdits = new WeakMap<Node, EditedTree>();

/**
 * `from`'s parse tree after `changes` (in order, each in the offsets of the text before it), when
 * every change stays inside a string or the whitespace between tokens: the tree takes them in
 * place (config/treeEdit.ts), without a parse and without any check, and `from` is out of date
 * afterwards (its tree is the new text's). `from` is an analysis, or an edited tree whose checks
 * have not run (a later keystroke before the validation): the changes since the tree's last checks
 * add up. Undefined when the text needs a new parse (`from`'s tree is then of no use either).
 */
export function editTree(from: Analysis | EditedTree, text: DocumentText, changes: readonly TextChange[]): EditedTree | undefined {
  const root = from.root;
  if (!root || changes.length === 0) return undefined;
  const prior = 'changed' in from ? from : undefined;
  if (prior ? uncheckedEdits.get(root) !== prior : !editableTrees.has(root)) return undefined;
  editableTrees.delete(root);
  uncheckedEdits.delete(root);
  cleanTexts.delete(root);
  const touched: Touched[] = [];
  for (const change of changes) {
    const t = applyChange(root, change);
    if (!t) return undefined;
    touched.push(t);
  }
  if (root.offset + root.length > text.length || !verifyEdits(text, touched)) return undefined;
  const changed = new Set<Node>(prior?.changed);
  for (const t of touched) if (t.kind === 'string') changed.add(t.node);
  cleanTexts.set(root, text);
  const edited: EditedTree = {
    root,
    source: text,
    get text() {
      return whole(text);
    },
    changed,
  };
  uncheckedEdits.set(root, edited);
  return edited;
}

/**
 * The analysis of an edited tree: the checks, which on such a tree re-check only what changed
 * (the same result as `analyze` of its text). Only the latest edit of a tree can be checked, once.
 */
export function checkTree(edited: EditedTree): Analysis {
  const { root, source: text } = edited;
  if (uncheckedEdits.get(root) !== edited) return analyze(whole(text));
  uncheckedEdits.delete(root);
  const walk = (walks.get(root) ?? -1) + 1;
  walks.set(root, walk);
  const tree: ParsedTree = {
    get text() {
      return whole(text);
    },
    root,
    syntaxDiagnostics: [],
    clean: true,
  };
  const analysis = analyzeTree(text, tree, undefined, { walk, changed: edited.changed });
  if (!analysis.internalErrors.length) editableTrees.add(root);
  return analysis;
}

/**
 * The analysis of `text`, the text of `previous` after `changes` (in order, each in the offsets of
 * the text before it). When every change stays inside a string or the whitespace between tokens,
 * `previous`'s parse tree takes them in place (`editTree`) instead of a new parse of the whole
 * text, and `previous` is out of date afterwards (its tree is the new text's). The result is the
 * same as `analyze(text)`'s.
 */
export function reanalyze(previous: Analysis, text: DocumentText, changes: readonly TextChange[]): Analysis {
  const edited = editTree(previous, text, changes);
  return edited ? checkTree(edited) : analyze(whole(text));
}

/**
 * `edits`: for a tree edited in place, what changed since its last walk (see `validateStructure`).
 * A text in pieces is read whole only by what needs it (quick fixes, line numbers of duplicates);
 * the checks of a clean edited tree read slices of it.
 */
function analyzeTree(source: DocumentText, tree: ParsedTree | undefined, parseError?: unknown, edits?: TreeEdits): Analysis {
  let built: string | undefined;
  const text = () => (built ??= whole(source));
  const internalErrors: string[] = [];
  const diagnostics: Diagnostic[] = [];
  let root: Node | undefined;
  let embedded: EmbeddedValue[] = [];
  let config: DirsyncConfig;
  try {
    if (!tree) throw parseError;
    root = tree.root;
    diagnostics.push(...tree.syntaxDiagnostics);
    config = buildConfig(root, edits);
    if (!root && !tree.syntaxDiagnostics.some((d) => d.code === 'DS110')) {
      // Nothing parsed: an empty file, or text that is not JSON at all. For the latter one
      // diagnostic at the first offending character says it, instead of one per word.
      const first = tree.syntaxDiagnostics[0];
      if (first) diagnostics.length = 0;
      diagnostics.push({
        range: first ? first.range : { start: 0, end: 0 },
        severity: 'error',
        code: 'DS109',
        message: first
          ? `Not JSON with comments (JSONC) at ${JSON.stringify(source.slice(first.range.start, first.range.start + 20).split(/\s/)[0] ?? '')}: a .dirsync file is a JSON object with \`directory\`, \`cloud\` and \`policy\``
          : 'Empty file: a .dirsync file is a JSON object with `directory`, `cloud` and `policy`',
      });
    } else if (root) {
      const structure = validateStructure(text, root, CONFIG_SPEC, edits);
      diagnostics.push(...structure.diagnostics);
      if (root.type === 'object') {
        embedded = checkEmbedded(source, structure.strings, diagnostics, internalErrors);
        runSemanticChecks({
          get text() {
            return text();
          },
          root,
          config,
          embedded,
          out: diagnostics,
          internalErrors,
        });
      }
    }
  } catch (err) {
    // A bug in the service must not take the editor down: report what we have.
    internalErrors.push(`analysis failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    config ??= buildConfig(undefined);
  }
  // What the service could not analyse is never passed silently: an error at the start of the
  // document (a check that failed only for one embedded string is reported at that string).
  if (internalErrors.length && !diagnostics.some((d) => d.code === 'DS110')) {
    diagnostics.push({
      range: { start: 0, end: 0 },
      severity: 'error',
      code: 'DS110',
      message: `The document could not be analysed completely (${firstLine(internalErrors[0]!)}); it is not checked further`,
    });
  }
  const clamped = diagnostics.map((d) => clampDiagnostic(d, source.length));
  clamped.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.code.localeCompare(b.code));
  let lines: LineIndex | undefined;
  return {
    // Built on first use: validating an edit of a text in pieces never needs it whole, nor its lines.
    get text() {
      return text();
    },
    source,
    root,
    get lines() {
      return (lines ??= new LineIndex(text()));
    },
    diagnostics: clamped,
    config: config!,
    embedded,
    internalErrors,
  };
}

function firstLine(error: string): string {
  const line = error.split('\n', 1)[0]!;
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

function clampDiagnostic(d: Diagnostic, length: number): Diagnostic {
  const start = Math.max(0, Math.min(d.range.start, length));
  const end = Math.max(start, Math.min(d.range.end, length));
  return start === d.range.start && end === d.range.end ? d : { ...d, range: { start, end } };
}
