/** Document symbols (the outline) and folding ranges. */
import { createScanner } from 'jsonc-parser';
import type { Analysis } from './analysis';
import { findCloudAttribute } from '../domain/cloudAttributes';
import { entries, rangeOf, type Node } from './config/tree';
import type { DocumentSymbol, FoldingRange, SymbolKind } from './diagnostics';

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

export function foldingRanges(analysis: Analysis): FoldingRange[] {
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
