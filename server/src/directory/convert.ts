/**
 * ldapts search entries → DirectoryEntry: attribute names lower-cased with options stripped,
 * binary attributes as bytes, empty attributes dropped, and ranged values (`member;range=0-1499`,
 * MS-ADTS §3.1.1.3.1.3.3) recognized so the reader can fetch the rest.
 */
import type { Entry } from 'ldapts';
import type { DirectoryEntry } from '../domain/entry';

/** An attribute description split into its lower-case name and, if present, its value range. */
export interface ParsedDescription {
  readonly name: string;
  readonly range?: { readonly low: number; readonly high: number | '*' };
}

/** `member;Range=0-1499` → { name: 'member', range: { low: 0, high: 1499 } }; other options are dropped. */
export function parseAttributeDescription(type: string): ParsedDescription {
  const [name, ...options] = type.split(';');
  let range: ParsedDescription['range'];
  for (const o of options) {
    const m = /^range=(\d+)-(\d+|\*)$/i.exec(o);
    if (m) range = { low: Number(m[1]), high: m[2] === '*' ? '*' : Number(m[2]) };
  }
  return range ? { name: name!.toLowerCase(), range } : { name: name!.toLowerCase() };
}

/** A ranged attribute whose values continue past what the server returned. */
export interface PendingRange {
  readonly name: string;
  /** The first value index still to fetch. */
  readonly next: number;
}

/** Descriptions seen before (a search returns the same few types on every entry); ranged ones are not cached. */
const descriptions = new Map<string, ParsedDescription>();

/** `parseAttributeDescription`, remembered per description. */
export function describeAttribute(type: string): ParsedDescription {
  let d = descriptions.get(type);
  if (d) return d;
  d = type.includes(';') ? parseAttributeDescription(type) : { name: type.toLowerCase() };
  if (!d.range && descriptions.size < 4096) descriptions.set(type, d);
  return d;
}

/**
 * Converts one entry. `isBinary(lowerName)` says which attributes are octet strings; their values
 * are returned as bytes (copied out of the message buffer) even if ldapts decoded them as text.
 * On the hot path of every read: plain loops, no intermediate arrays.
 */
export function toDirectoryEntry(e: Entry, isBinary: (name: string) => boolean): { entry: DirectoryEntry; pending: PendingRange[] } {
  const attributes: Record<string, Array<string | Uint8Array>> = {};
  let pending: PendingRange[] | undefined;
  for (const type in e) {
    if (type === 'dn') continue;
    const raw = e[type]!;
    const { name, range } = describeAttribute(type);
    const binary = isBinary(name);
    let values = attributes[name];
    if (Array.isArray(raw)) {
      if (raw.length === 0) continue;
      values ??= attributes[name] = [];
      for (const v of raw) values.push(convertValue(v, binary));
    } else {
      (values ??= attributes[name] = []).push(convertValue(raw, binary));
    }
    if (range && range.high !== '*') (pending ??= []).push({ name, next: range.high + 1 });
  }
  return { entry: { dn: e.dn, attributes }, pending: pending ?? [] };
}

function convertValue(v: string | Buffer, binary: boolean): string | Uint8Array {
  if (typeof v === 'string') return binary ? new TextEncoder().encode(v) : v;
  return new Uint8Array(v);
}
