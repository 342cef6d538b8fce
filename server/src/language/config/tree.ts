/** Parsing `.dirsync` text into a jsonc-parser tree, and small helpers to read that tree. */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Diagnostic } from '../diagnostics';
import { parseCleanTree } from './fastTree';
import { jsonTooDeep, MAX_NESTING } from '../nesting';
import { decodeJsonString, type DecodedString } from './jsonString';
import type { TextRange } from '../../../../common/config';

export type { Node } from 'jsonc-parser';

export interface ParsedTree {
  readonly text: string;
  /** Undefined only for an empty document (or one that is only comments). */
  readonly root: Node | undefined;
  readonly syntaxDiagnostics: Diagnostic[];
  /** The clean parser read it (no syntax errors): the tree can take edits in place (treeEdit.ts). */
  readonly clean?: boolean;
}

const MESSAGES: Partial<Record<string, string>> = {
  InvalidSymbol: 'Unexpected character',
  InvalidNumberFormat: 'Invalid number',
  PropertyNameExpected: 'Expected a property name in double quotes',
  ValueExpected: 'Expected a value',
  ColonExpected: 'Expected `:`',
  CommaExpected: 'Expected `,`',
  CloseBraceExpected: 'Expected `}`',
  CloseBracketExpected: 'Expected `]`',
  EndOfFileExpected: 'Expected the end of the file after the top-level object',
  InvalidCommentToken: 'Invalid comment',
  UnexpectedEndOfComment: 'Unterminated block comment',
  UnexpectedEndOfString: 'Unterminated string',
  UnexpectedEndOfNumber: 'Unexpected end of number',
  InvalidUnicode: 'Invalid `\\u` escape: four hex digits expected',
  InvalidEscapeCharacter: 'Invalid escape: JSON allows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX (write a backslash as \\\\)',
  InvalidCharacter: 'Control characters must be escaped in strings',
};

/** Parses JSONC (comments and trailing commas allowed, as in VS Code's settings files). */
export function parseConfigTree(text: string): ParsedTree {
  // A recursive parser must never see nesting deep enough to overflow the stack.
  const deep = jsonTooDeep(text);
  if (deep !== undefined) {
    const message = `Nesting deeper than ${MAX_NESTING} levels starts here: the document is not checked further`;
    return {
      text,
      root: undefined,
      syntaxDiagnostics: [{ range: { start: deep, end: deep + 1 }, severity: 'error', code: 'DS110', message }],
    };
  }
  // Clean documents (the usual case) take the fast path; its tree is jsonc-parser's (fastTree.ts).
  const clean = parseCleanTree(text);
  if (clean) return { text, root: clean, syntaxDiagnostics: [], clean: true };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const syntaxDiagnostics: Diagnostic[] = errors.map((e) => {
    const name = printParseErrorCode(e.error);
    const start = Math.min(e.offset, text.length);
    return {
      range: { start, end: Math.min(text.length, start + Math.max(0, e.length)) },
      severity: 'error',
      code: 'DS100',
      message: MESSAGES[name] ?? name,
    };
  });
  return { text, root, syntaxDiagnostics };
}

export function rangeOf(node: Node): TextRange {
  return { start: node.offset, end: node.offset + node.length };
}

/** The value node of property `key` of an object node (the last one, as JSON.parse would take). */
export function prop(node: Node | undefined, key: string): Node | undefined {
  if (node?.type !== 'object' || !node.children) return undefined;
  let found: Node | undefined;
  for (const p of node.children) {
    if (p.children?.[0]?.value === key && p.children[1]) found = p.children[1];
  }
  return found;
}

/** The property node (key + value) of a value node, when it is a property's value. */
export function propertyOf(value: Node): Node | undefined {
  return value.parent?.type === 'property' ? value.parent : undefined;
}

/** The key node of the property holding this value. */
export function keyOf(value: Node): Node | undefined {
  const p = propertyOf(value);
  return p?.children?.[0];
}

/** Property (key, key node, value node) triples of an object node, in document order. */
export function entries(node: Node | undefined): Array<{ key: string; keyNode: Node; value: Node | undefined; property: Node }> {
  if (node?.type !== 'object' || !node.children) return [];
  const out: Array<{ key: string; keyNode: Node; value: Node | undefined; property: Node }> = [];
  for (const p of node.children) {
    const keyNode = p.children?.[0];
    if (!keyNode || typeof keyNode.value !== 'string') continue;
    out.push({ key: keyNode.value, keyNode, value: p.children?.[1], property: p });
  }
  return out;
}

/** A value node read as a string/number/boolean, or undefined when it is of another type. */
export function str(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? (node.value as string) : undefined;
}
export function num(node: Node | undefined): number | undefined {
  return node?.type === 'number' ? (node.value as number) : undefined;
}
export function bool(node: Node | undefined): boolean | undefined {
  return node?.type === 'boolean' ? (node.value as boolean) : undefined;
}

/** Decodes a string node through its escapes (for offset maps), reading the document text. */
export function decoded(text: string, node: Node): DecodedString {
  return decodeJsonString(text, node.offset, node.length);
}

/** The path of keys/indices from the root to a node. */
export function pathOf(node: Node): Array<string | number> {
  const path: Array<string | number> = [];
  let cur: Node | undefined = node;
  while (cur?.parent) {
    const parent: Node = cur.parent;
    if (parent.type === 'property') {
      const key = parent.children?.[0];
      if (key && key !== cur) path.unshift(key.value as string);
      cur = parent.parent;
      continue;
    }
    if (parent.type === 'array') path.unshift(parent.children?.indexOf(cur) ?? 0);
    cur = parent;
  }
  return path;
}
