/**
 * One search result entry's message (RFC 4511 §4.5.2, BER) → DirectoryEntry, in one pass over its
 * bytes: the entries a search keeps as bytes (ldaptsStream.ts) are decoded here when the reader
 * takes them, without ldapts' message, attribute and plain-object layers in between (three
 * short-lived objects and arrays per attribute, for 15 attributes of 100k entries).
 *
 * The values are those ldapts, with this project's decoding (ldaptsValues.ts), and `toDirectoryEntry`
 * give together: an attribute's values are bytes when the attribute is binary (by name, by the
 * search's `explicitBufferAttributes` spelling, or `;binary`) or when any of its values is not
 * valid UTF-8, else text; empty attributes are absent; a ranged attribute that continues is
 * pending. test/unit/directory/berEntry.test.ts holds both paths to the same answers.
 */
import type { DirectoryEntry } from '../domain/entry';
import { describeAttribute, type PendingRange } from './convert';
import { isBinaryType, textOrBytes } from './ldaptsValues';

const SEQUENCE = 0x30;
const SET = 0x31;
const OCTET_STRING = 0x04;
const INTEGER = 0x02;
const SEARCH_RESULT_ENTRY = 0x64;

/**
 * The header and content lengths of the BER element at `at` (its tag there), into `out`: false
 * when not all of the length is there yet; a header of −1 when the length is indefinite or absurd
 * (ldapts reports it). Into a caller's object: the entry decoder reads about fifty an entry.
 */
function lengthInto(buf: Buffer, at: number, out: { header: number; length: number }): boolean {
  if (at + 2 > buf.length) return false;
  const first = buf[at + 1]!;
  if (first < 0x80) {
    out.header = 2;
    out.length = first;
    return true;
  }
  const n = first & 0x7f;
  if (n === 0 || n > 4) {
    out.header = -1;
    out.length = -1;
    return true;
  }
  if (at + 2 + n > buf.length) return false;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + buf[at + 2 + i]!;
  out.header = 2 + n;
  out.length = length;
  return true;
}

/** The length of a BER element at `at` (its tag there): header and content lengths, or undefined when not all there. */
export function berLength(buf: Buffer, at: number): { header: number; length: number } | undefined {
  const out = { header: 0, length: 0 };
  return lengthInto(buf, at, out) ? out : undefined;
}

/** Reads TLVs in place: no object per element (about fifty an entry). */
class Reader {
  at = 0;
  /** The last `octets()` content: [start, end). */
  start = 0;
  end = 0;
  private readonly len = { header: 0, length: 0 };
  constructor(readonly buf: Buffer) {}

  /** Reads a tag and length; returns where the content ends. */
  enter(tag: number): number {
    const len = this.len;
    if (this.buf[this.at] !== tag) throw new Error(`search result entry: expected tag 0x${tag.toString(16)} at byte ${this.at}`);
    const whole = lengthInto(this.buf, this.at, len);
    if (whole && len.header < 0) throw new Error(`search result entry: bad length at byte ${this.at}`);
    if (!whole || this.at + len.header + len.length > this.buf.length) throw new Error('search result entry: cut short');
    this.at += len.header;
    return this.at + len.length;
  }

  /** An OCTET STRING: its content is then [start, end). */
  octets(): void {
    const end = this.enter(OCTET_STRING);
    this.start = this.at;
    this.end = end;
    this.at = end;
  }
}

/** What an attribute type says, the same for every entry of a search (its explicit spellings). */
interface TypeInfo {
  readonly name: string;
  readonly range: PendingRangeSpec | undefined;
  /** Bytes whatever the reader's binary set says: an explicit spelling, `;binary` or a binary name. */
  readonly bytes: boolean;
}
type PendingRangeSpec = NonNullable<ReturnType<typeof describeAttribute>['range']>;

/** Types seen, for the explicit spellings they were seen with (a search's: the same array for all its entries). */
let types: { explicit: readonly string[]; byType: Map<string, TypeInfo> } | undefined;

function typeInfo(type: string, explicit: readonly string[]): TypeInfo {
  if (types?.explicit !== explicit) types = { explicit, byType: new Map() };
  let info = types.byType.get(type);
  if (!info) {
    const { name, range } = describeAttribute(type);
    info = { name, range, bytes: explicit.includes(type) || isBinaryType(type) };
    // Ranged types carry their offsets: not kept (a new one each page of values).
    if (!range && types.byType.size < 4096) types.byType.set(type, info);
  }
  return info;
}

/** A value as text when it is valid UTF-8 (as `textOrBytes`), read straight from the message; else undefined. */
function text(msg: Buffer, start: number, end: number): string | undefined {
  const t = msg.toString('utf8', start, end);
  if (t.indexOf('\ufffd') < 0 && t.charCodeAt(0) !== 0xfeff) return t;
  const v = textOrBytes(msg.subarray(start, end));
  return typeof v === 'string' ? v : undefined;
}

/** A copy of bytes as a plain Uint8Array (not a view of the message, which is a slice of the socket's data). */
function copy(buf: Buffer, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(buf.subarray(start, end));
  return out;
}

/**
 * Decodes one LDAPMessage holding a search result entry. `isBinary(lowerName)` is the reader's
 * binary set; `explicit` the spellings the search asked to be bytes (ldapts compares them as written).
 */
export function decodeSearchEntry(
  msg: Buffer,
  isBinary: (name: string) => boolean,
  explicit: readonly string[],
): { entry: DirectoryEntry; pending: PendingRange[] } {
  const r = new Reader(msg);
  r.enter(SEQUENCE);
  r.at = r.enter(INTEGER); // the message id
  r.enter(SEARCH_RESULT_ENTRY);
  r.octets();
  const dn = msg.toString('utf8', r.start, r.end);
  const attributes: Record<string, Array<string | Uint8Array>> = {};
  let pending: PendingRange[] | undefined;
  const listEnd = r.enter(SEQUENCE);
  // Per attribute: where its values are, to decide text or bytes once all are seen.
  const bounds: number[] = [];
  while (r.at < listEnd) {
    const attrEnd = r.enter(SEQUENCE);
    r.octets();
    const type = msg.toString('utf8', r.start, r.end);
    bounds.length = 0;
    if (r.at < attrEnd && msg[r.at] === SET) {
      const setEnd = r.enter(SET);
      while (r.at < setEnd) {
        r.octets();
        bounds.push(r.start, r.end);
      }
    }
    r.at = attrEnd;
    if (bounds.length === 0) continue;
    const { name, range, bytes } = typeInfo(type, explicit);
    let values: Array<string | Uint8Array> | undefined;
    if (!bytes && !isBinary(name)) {
      const texts: string[] = [];
      for (let i = 0; i < bounds.length; i += 2) {
        const v = text(msg, bounds[i]!, bounds[i + 1]!);
        if (v === undefined) break; // one value is not UTF-8: all are bytes, as in ldapts
        texts.push(v);
      }
      if (texts.length === bounds.length / 2) values = texts;
    }
    if (!values) {
      values = [];
      for (let i = 0; i < bounds.length; i += 2) values.push(copy(msg, bounds[i]!, bounds[i + 1]!));
    }
    const kept = attributes[name];
    if (kept) for (const v of values) kept.push(v);
    else attributes[name] = values;
    if (range && range.high !== '*') (pending ??= []).push({ name, next: range.high + 1 });
  }
  return { entry: { dn, attributes }, pending: pending ?? [] };
}
