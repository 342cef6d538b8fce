/**
 * One user waiting for its manager as bytes, for the waiting users' file (engine/waitingSpool.ts):
 * the mapped object as JSON with each value as its rule's number and the value itself (what a
 * mapping rule gives every user, its attribute, SCIM path, flags and config reference, is kept once
 * by the codec), and the kept binary values (pictures, objectSid) as raw bytes after the JSON.
 * V8's serializer wrote all of it for every user and handed each binary value to a JavaScript
 * callback: at 100k users, half of whom wait, it took about a tenth of a dry run's CPU
 * (docs/benchmarks.md).
 *
 * Layout: JSON length (u32 LE), the JSON `[mapped without values, values, entry, where values
 * was]`, then each binary value as its length (u32 LE) and its bytes, in the order the JSON numbers
 * them. A value is `[rule number, value]`; an entry is `[dn, {attribute: [text | binary number]}]`,
 * or 0 when the user keeps none.
 */
import type { DirectoryEntry } from '../../domain/entry';
import type { MappedObject, MappedValue } from '../plan/mapping';
import type { WaitingUser } from '../plan/types';

/** A value as `[rule number, value]`: what a mapping rule gives every user (names, flags, reference) is kept once. */
type EncodedValue = [number, MappedValue['value']];
type EncodedEntry = [string, Record<string, Array<string | number>>] | 0;

/** A value's fields other than `value` (attribute, SCIM path, flags, config reference), in their order. */
interface Rule {
  readonly keys: readonly string[];
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Encodes and decodes waiting users; one codec per file (it numbers the rules its values come from). */
export class WaitingCodec {
  private readonly rules: Rule[] = [];
  /** Rules by their config reference (shared by a rule's values), else by their SCIM path. */
  private readonly rulesBy = new Map<unknown, number[]>();
  private readonly rulesByText = new Map<string, number>();

  encode(user: WaitingUser): Buffer {
    const { values, ...rest } = user.mapped;
    const encoded: EncodedValue[] = values.map((v) => [this.ruleNumber(v), v.value]);
    const binaries: Uint8Array[] = [];
    let entry: EncodedEntry = 0;
    if (user.entry) {
      const attributes: Record<string, Array<string | number>> = {};
      for (const [name, list] of Object.entries(user.entry.attributes))
        attributes[name] = list.map((v) => (typeof v === 'string' ? v : binaries.push(v) - 1));
      entry = [user.entry.dn, attributes];
    }
    // Where `values` was among the mapped object's keys: it comes back there (reports are JSON of it).
    const json = JSON.stringify([rest, encoded, entry, Object.keys(user.mapped).indexOf('values')]);
    const jsonBytes = Buffer.byteLength(json);
    let length = 4 + jsonBytes;
    for (const b of binaries) length += 4 + b.byteLength;
    const out = Buffer.allocUnsafe(length);
    out.writeUInt32LE(jsonBytes, 0);
    out.write(json, 4, 'utf8');
    let at = 4 + jsonBytes;
    for (const b of binaries) {
      out.writeUInt32LE(b.byteLength, at);
      out.set(b, at + 4);
      at += 4 + b.byteLength;
    }
    return out;
  }

  /** The user of `record` (bytes of `encode`); binary values are copies, so the record's buffer may be reused. */
  decode(record: Uint8Array): WaitingUser {
    const bytes = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
    const jsonBytes = bytes.readUInt32LE(0);
    const [rest, encoded, entry, valuesAt] = JSON.parse(bytes.toString('utf8', 4, 4 + jsonBytes)) as [
      Omit<MappedObject, 'values'>,
      EncodedValue[],
      EncodedEntry,
      number,
    ];
    const values = encoded.map(([n, value]): MappedValue => {
      const rule = this.rules[n]!;
      const v: Record<string, unknown> = {};
      for (const k of rule.keys) v[k] = k === 'value' ? value : rule.fields[k];
      return v as unknown as MappedValue;
    });
    const fields: Record<string, unknown> = {};
    let i = 0;
    for (const [k, v] of Object.entries(rest)) {
      if (i++ === valuesAt) fields.values = values;
      fields[k] = v;
    }
    if (!('values' in fields)) fields.values = values;
    const mapped = fields as unknown as MappedObject;
    if (entry === 0) return { mapped };
    const binaries: Uint8Array[] = [];
    for (let at = 4 + jsonBytes; at < bytes.length; ) {
      const length = bytes.readUInt32LE(at);
      binaries.push(new Uint8Array(bytes.subarray(at + 4, at + 4 + length)));
      at += 4 + length;
    }
    const attributes: Record<string, Array<string | Uint8Array>> = {};
    for (const [name, list] of Object.entries(entry[1])) attributes[name] = list.map((v) => (typeof v === 'string' ? v : binaries[v]!));
    const kept: DirectoryEntry = { dn: entry[0], attributes };
    return { mapped, entry: kept };
  }

  /** The number of `v`'s rule: found by its config reference (or SCIM path) and checked field by field, else by what it says. */
  private ruleNumber(v: MappedValue): number {
    const fields = v as unknown as Record<string, unknown>;
    const by = v.configRef ?? v.scimPath;
    const seen = this.rulesBy.get(by);
    if (seen) for (const n of seen) if (sameRule(this.rules[n]!, fields)) return n;
    const keys = Object.keys(fields);
    const text = JSON.stringify(keys.map((k) => (k === 'value' ? k : [k, fields[k]])));
    let n = this.rulesByText.get(text);
    if (n === undefined) {
      const ruleFields: Record<string, unknown> = {};
      for (const k of keys) if (k !== 'value') ruleFields[k] = fields[k];
      n = this.rules.push({ keys, fields: ruleFields }) - 1;
      this.rulesByText.set(text, n);
    }
    if (!seen) {
      if (this.rulesBy.size < 10_000) this.rulesBy.set(by, [n]);
    } else if (!seen.includes(n)) seen.push(n);
    return n;
  }
}

/** Whether `fields` are `rule`'s: the same keys in the same order, and the same values (the value itself aside). */
function sameRule(rule: Rule, fields: Record<string, unknown>): boolean {
  let i = 0;
  for (const k in fields) {
    if (rule.keys[i++] !== k) return false;
    if (k !== 'value' && rule.fields[k] !== fields[k]) return false;
  }
  return i === rule.keys.length;
}
