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

/** The length of a BER element at `at` (its tag there): header and content lengths, or undefined when not all there. */
export function berLength(buf: Buffer, at: number): { header: number; length: number } | undefined {
  if (at + 2 > buf.length) return undefined;
  const first = buf[at + 1]!;
  if (first < 0x80) return { header: 2, length: first };
  const n = first & 0x7f;
  if (n === 0 || n > 4) return { header: -1, length: -1 }; // indefinite or absurd: ldapts reports it
  if (at + 2 + n > buf.length) return undefined;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + buf[at + 2 + i]!;
  return { header: 2 + n, length };
}

class Reader {
  at = 0;
  constructor(readonly buf: Buffer) {}

  /** Reads a tag and length; returns where the content ends. */
  enter(tag: number): number {
    if (this.buf[this.at] !== tag) throw new Error(`search result entry: expected tag 0x${tag.toString(16)} at byte ${this.at}`);
    const len = berLength(this.buf, this.at);
    if (len && len.header < 0) throw new Error(`search result entry: bad length at byte ${this.at}`);
    if (!len || this.at + len.header + len.length > this.buf.length) throw new Error('search result entry: cut short');
    this.at += len.header;
    return this.at + len.length;
  }

  /** An OCTET STRING's content as [start, end). */
  octets(): [number, number] {
    const end = this.enter(OCTET_STRING);
    const start = this.at;
    this.at = end;
    return [start, end];
  }
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
  const [dnStart, dnEnd] = r.octets();
  const dn = msg.toString('utf8', dnStart, dnEnd);
  const attributes: Record<string, Array<string | Uint8Array>> = {};
  let pending: PendingRange[] | undefined;
  const listEnd = r.enter(SEQUENCE);
  // Per attribute: where its values are, to decide text or bytes once all are seen.
  const bounds: number[] = [];
  while (r.at < listEnd) {
    const attrEnd = r.enter(SEQUENCE);
    const [typeStart, typeEnd] = r.octets();
    const type = msg.toString('utf8', typeStart, typeEnd);
    bounds.length = 0;
    if (r.at < attrEnd && msg[r.at] === SET) {
      const setEnd = r.enter(SET);
      while (r.at < setEnd) bounds.push(...r.octets());
    }
    r.at = attrEnd;
    if (bounds.length === 0) continue;
    const { name, range } = describeAttribute(type);
    const binary = isBinary(name);
    let values: Array<string | Uint8Array> | undefined;
    if (!binary && !explicit.includes(type) && !isBinaryType(type)) {
      const texts: string[] = [];
      for (let i = 0; i < bounds.length; i += 2) {
        const v = textOrBytes(msg.subarray(bounds[i]!, bounds[i + 1]!));
        if (typeof v !== 'string') break; // one value is not UTF-8: all are bytes, as in ldapts
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
