/**
 * A document's text kept in pieces, so an edit in a long document does not build a new string of
 * the whole text. V8 keeps a string longer than 128 KB in its own memory region: making one per
 * keystroke (a 269 KB config) costs about a millisecond of page mapping plus the collections it
 * brings on, far more than the copy itself. A `ChunkedText` is immutable: `replace` returns a new
 * one that shares the unchanged pieces, so an analysis can keep the version it read.
 */
import { ownCopy } from './memo';

/** What the analysis reads of a text it may not need whole. A plain string satisfies it too. */
export interface TextSource {
  readonly length: number;
  /** `text.slice(start, end)`, built from the pieces it spans. */
  slice(start: number, end: number): string;
  charCodeAt(offset: number): number;
  indexOf(search: string, from?: number): number;
}

/** Target size of a piece; a piece grown past twice this is split. */
const CHUNK = 8 * 1024;

export class ChunkedText implements TextSource {
  private flat: string | undefined;

  private constructor(
    private readonly chunks: readonly string[],
    /** Offset of each piece's first character. */
    private readonly starts: readonly number[],
    readonly length: number,
  ) {}

  static of(text: string): ChunkedText {
    const chunks = split(text);
    const t = new ChunkedText(chunks, offsetsOf(chunks, [], 0, 0), text.length);
    t.flat = text;
    return t;
  }

  /** The whole text, built once per version (the full parse, quick fixes, hovers need it). */
  text(): string {
    return (this.flat ??= this.chunks.join(''));
  }

  /** The whole text if it was already built. */
  get builtText(): string | undefined {
    return this.flat;
  }

  slice(start: number, end: number): string {
    const s = Math.max(0, Math.min(start, this.length));
    const e = Math.max(s, Math.min(end, this.length));
    if (this.flat !== undefined) return this.flat.slice(s, e);
    if (s === e) return '';
    const i = this.pieceAt(s);
    const j = this.pieceAt(e - 1);
    if (i === j) return this.chunks[i]!.slice(s - this.starts[i]!, e - this.starts[i]!);
    let out = this.chunks[i]!.slice(s - this.starts[i]!);
    for (let k = i + 1; k < j; k++) out += this.chunks[k]!;
    return out + this.chunks[j]!.slice(0, e - this.starts[j]!);
  }

  /** The UTF-16 code unit at `offset` (NaN outside the text, as `String.charCodeAt`). */
  charCodeAt(offset: number): number {
    if (offset < 0 || offset >= this.length) return Number.NaN;
    if (this.flat !== undefined) return this.flat.charCodeAt(offset);
    const i = this.pieceAt(offset);
    return this.chunks[i]!.charCodeAt(offset - this.starts[i]!);
  }

  /** `text.indexOf(search, from)`, piece by piece (a match may span two or more pieces). */
  indexOf(search: string, from = 0): number {
    if (this.flat !== undefined) return this.flat.indexOf(search, from);
    const s = Math.max(0, Math.min(Math.trunc(from) || 0, this.length));
    if (search.length === 0) return s;
    for (let i = this.pieceAt(s); i < this.chunks.length; i++) {
      const base = this.starts[i]!;
      const hit = this.chunks[i]!.indexOf(search, Math.max(0, s - base));
      if (hit >= 0) return base + hit;
      // A match that starts in this piece and ends in the next ones.
      const edge = base + this.chunks[i]!.length;
      if (search.length > 1 && edge < this.length) {
        const start = Math.max(s, edge - search.length + 1);
        const across = this.slice(start, edge + search.length - 1).indexOf(search);
        if (across >= 0) return start + across;
      }
    }
    return -1;
  }

  /** The text with `[start, end)` replaced by `text`; only the pieces the range touches are rebuilt. */
  replace(start: number, end: number, text: string): ChunkedText {
    const s = Math.max(0, Math.min(start, this.length));
    const e = Math.max(s, Math.min(end, this.length));
    if (this.chunks.length === 0) return ChunkedText.of(text);
    const i = this.pieceAt(s);
    const j = e > s ? this.pieceAt(e - 1) : i;
    const first = this.chunks[i]!;
    const last = this.chunks[j]!;
    // Its own copy: a piece must not keep the text it was sliced from (the whole opened document) alive.
    const merged = first.slice(0, s - this.starts[i]!) + text + last.slice(e - this.starts[j]!);
    const pieces = merged.length > 2 * CHUNK ? split(merged) : merged.length ? [ownCopy(merged)] : [];
    const chunks = [...this.chunks.slice(0, i), ...pieces, ...this.chunks.slice(j + 1)];
    return new ChunkedText(chunks, offsetsOf(chunks, this.starts, i, this.starts[i]!), this.length - (e - s) + text.length);
  }

  /** Index of the piece holding `offset` (the last piece for the end of the text). */
  private pieceAt(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

function split(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += CHUNK) out.push(text.slice(i, i + CHUNK));
  return out;
}

/** The pieces' start offsets: the first `from` copied from `previous`, the rest counted from `at`. */
function offsetsOf(chunks: readonly string[], previous: readonly number[], from: number, at: number): number[] {
  const out = previous.slice(0, from);
  let offset = at;
  for (let k = from; k < chunks.length; k++) {
    out.push(offset);
    offset += chunks[k]!.length;
  }
  return out;
}
