/**
 * One user waiting for its manager as bytes, for the waiting users' file (engine/waitingSpool.ts):
 * the mapped object as JSON with each value's config reference as a number (the few references of
 * a config, kept once by the codec), and the kept binary values (pictures, objectSid) as raw bytes
 * after the JSON. V8's serializer wrote every reference whole and handed each binary value to a
 * JavaScript callback: at 100k users, half of whom wait, it took about a tenth of a dry run's CPU
 * (docs/benchmarks.md).
 *
 * Layout: JSON length (u32 LE), the JSON `[mapped without values, values, entry]`, then each binary
 * value as its length (u32 LE) and its bytes, in the order the JSON numbers them. A value is
 * `[fields]` or `[fields, reference number]`; an entry is `[dn, {attribute: [text | binary number]}]`
 * or 0 when the user keeps none.
 */
import type { ConfigRef } from '../../../../common/report';
import type { DirectoryEntry } from '../../domain/entry';
import type { MappedObject, MappedValue } from '../plan/mapping';
import type { WaitingUser } from '../plan/types';

type EncodedValue = [Omit<MappedValue, 'configRef'>] | [Omit<MappedValue, 'configRef'>, number];
type EncodedEntry = [string, Record<string, Array<string | number>>] | 0;

/** Encodes and decodes waiting users; one codec per file (it numbers the config references). */
export class WaitingCodec {
  private readonly refs: ConfigRef[] = [];
  private readonly byObject = new Map<ConfigRef, number>();
  private readonly byText = new Map<string, number>();

  encode(user: WaitingUser): Buffer {
    const { values, ...rest } = user.mapped;
    const encoded: EncodedValue[] = values.map(({ configRef, ...value }) => (configRef ? [value, this.refNumber(configRef)] : [value]));
    const binaries: Uint8Array[] = [];
    let entry: EncodedEntry = 0;
    if (user.entry) {
      const attributes: Record<string, Array<string | number>> = {};
      for (const [name, list] of Object.entries(user.entry.attributes))
        attributes[name] = list.map((v) => (typeof v === 'string' ? v : binaries.push(v) - 1));
      entry = [user.entry.dn, attributes];
    }
    const json = JSON.stringify([rest, encoded, entry]);
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
    const [rest, encoded, entry] = JSON.parse(bytes.toString('utf8', 4, 4 + jsonBytes)) as [
      Omit<MappedObject, 'values'>,
      EncodedValue[],
      EncodedEntry,
    ];
    // The parsed objects are this record's own: completed in place rather than copied.
    const values = encoded.map(([value, ref]): MappedValue => {
      if (ref !== undefined) (value as { configRef?: ConfigRef }).configRef = this.refs[ref]!;
      return value;
    });
    const mapped = rest as MappedObject;
    (mapped as { values: readonly MappedValue[] }).values = values;
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

  /** A reference's number: by the object (a config's references are shared), else by what it says. */
  private refNumber(ref: ConfigRef): number {
    let n = this.byObject.get(ref);
    if (n !== undefined) return n;
    const text = `${ref.file}\n${ref.line}\n${ref.column}\n${ref.path}`;
    n = this.byText.get(text);
    if (n === undefined) {
      n = this.refs.push(ref) - 1;
      this.byText.set(text, n);
    }
    if (this.byObject.size < 10_000) this.byObject.set(ref, n);
    return n;
  }
}
