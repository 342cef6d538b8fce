/** Document symbols (the outline) and folding ranges. */
import { createScanner } from 'jsonc-parser';
import { isCleanTreeOf, type Analysis } from './analysis';
import { findCloudAttribute } from '../domain/cloudAttributes';
import { firstEndingAfter } from './config/children';
import { entries, rangeOf, type Node } from './config/tree';
import type { DocumentSymbol, FoldingRange, SymbolKind } from './diagnostics';
import type { TextSource } from './text';

/** The outline: every property, nested, with a short detail for values. */
export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const root = analysis.root;
  if (root?.type !== 'object') return [];
  return symbolsOf(root, 0);
}

function symbolsOf(node: Node, depth: number): DocumentSymbol[] {
  if (node.type === 'object') {
    return entries(node).map(({ key, keyNode, value, property }) => {
      const mapping =
        depth === 1 &&
        (property.parent?.parent?.children?.[0]?.value === 'attributes' ||
          property.parent?.parent?.children?.[0]?.value === 'contactAttributes');
      const kind: SymbolKind = mapping ? 'mapping' : depth === 0 && value?.type === 'object' ? 'section' : kindOf(value);
      const detail =
        mapping && value?.type === 'string'
          ? `← ${value.value as string}${findCloudAttribute(key) ? '' : ' (unknown cloud attribute)'}`
          : detailOf(value);
      return {
        name: key,
        ...(detail ? { detail } : {}),
        kind,
        range: rangeOf(property),
        selectionRange: rangeOf(keyNode),
        children: value && depth < 8 ? symbolsOf(value, depth + 1) : [],
      };
    });
  }
  if (node.type === 'array') {
    return (node.children ?? [])
      .filter((c) => c.type === 'object' || c.type === 'array')
      .map((c, i) => ({
        name: String(i),
        kind: kindOf(c),
        range: rangeOf(c),
        selectionRange: rangeOf(c),
        children: symbolsOf(c, depth + 1),
      }));
  }
  return [];
}

function kindOf(node: Node | undefined): SymbolKind {
  switch (node?.type) {
    case 'object':
      return 'object';
    case 'array':
      return 'array';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    default:
      return 'null';
  }
}

function detailOf(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'array') return `${node.children?.length ?? 0} item${node.children?.length === 1 ? '' : 's'}`;
  if (node.type === 'object') return undefined;
  const text = String(node.value);
  return text.length > 60 ? text.slice(0, 57) + '…' : text;
}

/** Folding ranges: multi-line objects and arrays, block comments and runs of line comments. */
/** jsonc-parser's SyntaxKind is an ambient const enum, which isolatedModules cannot read: its values. */
const SyntaxKind = {
  OpenBraceToken: 1,
  CloseBraceToken: 2,
  OpenBracketToken: 3,
  CloseBracketToken: 4,
  LineCommentTrivia: 12,
  BlockCommentTrivia: 13,
  LineBreakTrivia: 14,
  Trivia: 15,
  EOF: 17,
} as const;

/**
 * `lineAt`: the 0-based line of an offset of the analysis's text, when the caller has the lines
 * already (the server's document keeps them up to date per edit); by default the analysis's own.
 */
export function foldingRanges(analysis: Analysis, lineAt?: (offset: number) => number): FoldingRange[] {
  const root = analysis.root;
  return root && isCleanTreeOf(root, analysis.source) ? foldingFromTree(analysis, root, lineAt) : foldingByScan(analysis);
}

/**
 * Folding ranges of a clean parse tree, the same as `foldingByScan`'s without scanning the text:
 * the brackets are the tree's objects and arrays, and the comments are found by jumping from one
 * `/` to the next (one inside a string is skipped with its string). Outside strings, a clean
 * document has nothing but tokens of the tree, separators, whitespace and comments.
 */
export function foldingFromTree(analysis: Analysis, root: Node, lineAt?: (offset: number) => number): FoldingRange[] {
  // Read through the analysis's source: a document kept in pieces is not built whole for this.
  const text: TextSource = analysis.source;
  // Brackets in document order: [offset, open?].
  const brackets: Array<[number, boolean]> = [];
  const walk = (n: Node): void => {
    if (n.type === 'property') {
      const v = n.children?.[1];
      if (v && (v.type === 'object' || v.type === 'array')) walk(v);
      return;
    }
    if (n.type !== 'object' && n.type !== 'array') return;
    brackets.push([n.offset, true]);
    for (const c of n.children ?? []) if (c.type !== 'string' && c.type !== 'number' && c.type !== 'boolean' && c.type !== 'null') walk(c);
    brackets.push([n.offset + n.length - 1, false]);
  };
  walk(root);
  // Comments in document order: [start, end, line comment?].
  const comments: Array<[number, number, boolean]> = [];
  for (let at = text.indexOf('/'); at >= 0; ) {
    const s = stringAt(root, at);
    if (s) {
      at = text.indexOf('/', s.offset + s.length);
      continue;
    }
    let stop: number;
    const line = text.charCodeAt(at + 1) === 0x2f; /* // */
    if (line) {
      stop = at + 2;
      while (stop < text.length && text.charCodeAt(stop) !== 0x0a && text.charCodeAt(stop) !== 0x0d) stop++;
    } else {
      const close = text.indexOf('*/', at + 2);
      stop = close < 0 ? text.length : close + 2;
    }
    comments.push([at, stop, line]);
    at = text.indexOf('/', stop);
  }
  const out: FoldingRange[] = [];
  const stack: number[] = [];
  let commentRun: { start: number; end: number } | undefined;
  let runEnd = -1;
  const flushRun = () => {
    if (commentRun && commentRun.end > commentRun.start)
      out.push({ startLine: commentRun.start, endLine: commentRun.end, kind: 'comment' });
    commentRun = undefined;
  };
  const lineOf = lineAt ?? ((offset: number) => analysis.lines.positionAt(offset).line);
  let b = 0;
  let c = 0;
  while (b < brackets.length || c < comments.length) {
    const bracket = brackets[b];
    const comment = comments[c];
    if (bracket && (!comment || bracket[0] < comment[0])) {
      b++;
      flushRun();
      const line = lineOf(bracket[0]);
      if (bracket[1]) stack.push(line);
      else {
        const start = stack.pop();
        if (start !== undefined && line - 1 > start) out.push({ startLine: start, endLine: line - 1 });
      }
      continue;
    }
    c++;
    const [start, stop, isLine] = comment!;
    const line = lineOf(start);
    if (!isLine) {
      flushRun();
      const endLine = lineOf(stop);
      if (endLine > line) out.push({ startLine: line, endLine, kind: 'comment' });
      continue;
    }
    // A token between two line comments ends a run (the scanner flushes on every other token).
    if (commentRun && !onlyWhitespace(text, runEnd, start)) flushRun();
    if (commentRun && commentRun.end === line - 1) commentRun.end = line;
    else {
      flushRun();
      commentRun = { start: line, end: line };
    }
    runEnd = stop;
  }
  flushRun();
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

function onlyWhitespace(text: TextSource, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 0x20 && ch !== 0x09 && ch !== 0x0a && ch !== 0x0d) return false;
  }
  return true;
}

/** The string node (key or value) holding `offset`, if any. */
function stringAt(root: Node, offset: number): Node | undefined {
  let n: Node | undefined = root;
  while (n) {
    if (offset < n.offset || offset >= n.offset + n.length) return undefined;
    if (n.type === 'string') return n;
    const children: Node[] | undefined = n.children;
    if (!children?.length) return undefined;
    n = children[firstEndingAfter(children, offset)];
  }
  return undefined;
}

/** Folding ranges from jsonc-parser's scanner: for any document. */
export function foldingByScan(analysis: Analysis): FoldingRange[] {
  const { text, lines } = analysis;
  const out: FoldingRange[] = [];
  const stack: number[] = [];
  const scanner = createScanner(text, false);
  let commentRun: { start: number; end: number } | undefined;
  const flushRun = () => {
    if (commentRun && commentRun.end > commentRun.start)
      out.push({ startLine: commentRun.start, endLine: commentRun.end, kind: 'comment' });
    commentRun = undefined;
  };
  // Only brackets and comments need their line: strings, numbers and punctuation (most tokens) don't.
  const lineOf = () => lines.positionAt(scanner.getTokenOffset()).line;
  for (let kind: number = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    switch (kind) {
      case SyntaxKind.OpenBraceToken:
      case SyntaxKind.OpenBracketToken:
        flushRun();
        stack.push(lineOf());
        break;
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken: {
        flushRun();
        const line = lineOf();
        const start = stack.pop();
        // Fold to the line before the closing brace so it stays visible (as VS Code's JSON does).
        if (start !== undefined && line - 1 > start) out.push({ startLine: start, endLine: line - 1 });
        break;
      }
      case SyntaxKind.BlockCommentTrivia: {
        flushRun();
        const line = lineOf();
        const end = lines.positionAt(scanner.getTokenOffset() + scanner.getTokenLength()).line;
        if (end > line) out.push({ startLine: line, endLine: end, kind: 'comment' });
        break;
      }
      case SyntaxKind.LineCommentTrivia: {
        const line = lineOf();
        if (commentRun && commentRun.end === line - 1) commentRun.end = line;
        else {
          flushRun();
          commentRun = { start: line, end: line };
        }
        break;
      }
      case SyntaxKind.LineBreakTrivia:
      case SyntaxKind.Trivia:
        break;
      default:
        flushRun();
    }
  }
  flushRun();
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
