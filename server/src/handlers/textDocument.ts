/**
 * The server's open documents: vscode-languageserver-textdocument's `TextDocument`, same
 * positions and line offsets (its update algorithm, ported), but the text is kept in pieces
 * (`ChunkedText`), so applying a keystroke copies one piece of a few KB instead of the whole text,
 * and the analysis of a clean edit reads only the slices it checks. `getText()` builds the whole
 * text once per version, when something needs it.
 */
import { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { Position, Range, TextDocument } from 'vscode-languageserver-textdocument';
import { ChunkedText } from '../language/text';

const LF = 10;
const CR = 13;

export class ChunkedDocument implements TextDocument {
  private content: ChunkedText;
  /** Offsets of each line's first character; undefined until asked for after a full replacement. */
  private lineOffsets: number[] | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private currentVersion: number,
    content: string,
  ) {
    this.content = ChunkedText.of(content);
  }

  get version(): number {
    return this.currentVersion;
  }

  get lineCount(): number {
    return this.getLineOffsets().length;
  }

  /** This version's text, immutable: later edits make a new one. */
  get text(): ChunkedText {
    return this.content;
  }

  getText(range?: Range): string {
    if (range) return this.content.slice(this.offsetAt(range.start), this.offsetAt(range.end));
    return this.content.text();
  }

  /** `getText().slice(start, end)` without building the whole text. */
  slice(start: number, end: number): string {
    return this.content.slice(start, end);
  }

  /** Applies an editor's changes in order, as `TextDocument.update` does. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (TextDocumentContentChangeEvent.isIncremental(change)) {
        const range = wellFormed(change.range);
        const startOffset = this.offsetAt(range.start);
        const endOffset = this.offsetAt(range.end);
        this.content = this.content.replace(startOffset, endOffset, change.text);
        const insertedEnd = startOffset + change.text.length;
        const c = this.content;
        const crlfAtStart = c.charCodeAt(startOffset - 1) === CR && c.charCodeAt(startOffset) === LF;
        const crlfAtEnd = c.charCodeAt(insertedEnd - 1) === CR && c.charCodeAt(insertedEnd) === LF;
        if (crlfAtStart || crlfAtEnd || !this.lineOffsets) {
          // A CR LF pair across the edit's ends is not in the inserted text's line offsets.
          this.lineOffsets = undefined;
          continue;
        }
        const startLine = Math.max(range.start.line, 0);
        const endLine = Math.max(range.end.line, 0);
        let lineOffsets = this.lineOffsets;
        const added = computeLineOffsets(change.text, false, startOffset);
        if (endLine - startLine === added.length) {
          for (let i = 0; i < added.length; i++) lineOffsets[i + startLine + 1] = added[i]!;
        } else if (added.length < 10_000) {
          lineOffsets.splice(startLine + 1, endLine - startLine, ...added);
        } else {
          this.lineOffsets = lineOffsets = lineOffsets.slice(0, startLine + 1).concat(added, lineOffsets.slice(endLine + 1));
        }
        const diff = change.text.length - (endOffset - startOffset);
        if (diff !== 0) for (let i = startLine + 1 + added.length; i < lineOffsets.length; i++) lineOffsets[i]! += diff;
      } else if (TextDocumentContentChangeEvent.isFull(change)) {
        this.content = ChunkedText.of(change.text);
        this.lineOffsets = undefined;
      } else {
        throw new Error('Unknown change event received');
      }
    }
    this.currentVersion = version;
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.content.length), 0);
    const lineOffsets = this.getLineOffsets();
    let low = 0;
    let high = lineOffsets.length;
    if (high === 0) return { line: 0, character: offset };
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (lineOffsets[mid]! > offset) high = mid;
      else low = mid + 1;
    }
    const line = low - 1;
    offset = this.ensureBeforeEOL(offset, lineOffsets[line]!);
    return { line, character: offset - lineOffsets[line]! };
  }

  offsetAt(position: Position): number {
    const lineOffsets = this.getLineOffsets();
    if (position.line >= lineOffsets.length) return this.content.length;
    if (position.line < 0) return 0;
    const lineOffset = lineOffsets[position.line]!;
    if (position.character <= 0) return lineOffset;
    const nextLineOffset = position.line + 1 < lineOffsets.length ? lineOffsets[position.line + 1]! : this.content.length;
    const offset = Math.min(lineOffset + position.character, nextLineOffset);
    return this.ensureBeforeEOL(offset, lineOffset);
  }

  getLineRange(line: number): Range {
    const lineOffsets = this.getLineOffsets();
    if (line >= lineOffsets.length) {
      const last = lineOffsets.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.content.length - lineOffsets[last]! } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const start = lineOffsets[line]!;
    const next = line + 1 < lineOffsets.length ? lineOffsets[line + 1]! : this.content.length;
    const end = this.ensureBeforeEOL(next, start);
    return { start: { line, character: 0 }, end: { line, character: end - start } };
  }

  getEOLCharacters(line: number): string {
    const lineOffsets = this.getLineOffsets();
    if (line >= lineOffsets.length || line < 0) return '';
    const next = line + 1 < lineOffsets.length ? lineOffsets[line + 1]! : this.content.length;
    return this.content.slice(this.ensureBeforeEOL(next, lineOffsets[line]!), next);
  }

  private ensureBeforeEOL(offset: number, lineOffset: number): number {
    while (offset > lineOffset && isEOL(this.content.charCodeAt(offset - 1))) offset--;
    return offset;
  }

  private getLineOffsets(): number[] {
    return (this.lineOffsets ??= computeLineOffsets(this.content.text(), true));
  }
}

function isEOL(c: number): boolean {
  return c === CR || c === LF;
}

function computeLineOffsets(text: string, isAtLineStart: boolean, textOffset = 0): number[] {
  const result: number[] = isAtLineStart ? [textOffset] : [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (isEOL(ch)) {
      if (ch === CR && i + 1 < text.length && text.charCodeAt(i + 1) === LF) i++;
      result.push(textOffset + i + 1);
    }
  }
  return result;
}

function wellFormed(range: Range): Range {
  const { start, end } = range;
  if (start.line > end.line || (start.line === end.line && start.character > end.character)) return { start: end, end: start };
  return range;
}
