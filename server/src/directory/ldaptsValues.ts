/**
 * How ldapts turns an attribute's values into text, made cheaper. ldapts (8.x, `Attribute.parse`)
 * decodes every value with a fatal `TextDecoder`, binary ones included: each objectGUID, objectSid
 * and picture is decoded, fails and throws, and the exception is caught to keep the bytes. On a
 * directory read that was the largest single cost after garbage collection (a CPU profile of the
 * dry run at 10k users: ~5 % of its time in `TextDecoder.decode`).
 *
 * The replacement gives the same values: bytes for the attributes this project reads as binary
 * (`BINARY_ATTRIBUTES`) and for `;binary` types, text for the rest when it is valid UTF-8 (decoded
 * by `Buffer.toString`, V8's fast path, and checked by the fatal decoder only when that produced a
 * replacement character or a byte-order mark), bytes otherwise. It is installed once, on the
 * prototype ldapts' own search entries use; any other shape of ldapts leaves ldapts as it is.
 */
import { Attribute, Ber, ProtocolOperation, type BerReader } from 'ldapts';
import { BINARY_ATTRIBUTES } from '../domain/adValues';

const fatalUtf8 = new TextDecoder('utf8', { fatal: true });

/** A value as text when it is valid UTF-8 (the leading byte-order mark dropped, as TextDecoder does), else its bytes. */
export function textOrBytes(bytes: Buffer): string | Buffer {
  const text = bytes.toString('utf8');
  if (text.indexOf('\ufffd') < 0 && text.charCodeAt(0) !== 0xfeff) return text;
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return bytes;
  }
}

/** True for an attribute type read as bytes: `;binary`, or a binary attribute by name (options ignored). */
export function isBinaryType(type: string): boolean {
  const semi = type.indexOf(';');
  const name = (semi < 0 ? type : type.slice(0, semi)).toLowerCase();
  return BINARY_ATTRIBUTES.has(name) || /;binary$/i.test(type);
}

interface ParsedAttribute {
  type: string;
  buffers: Buffer[];
  values: Array<string | Buffer>;
}

/** ldapts' `Attribute.parse` with the decoding above (same reads of the BER stream, in the same order). */
function parse(this: ParsedAttribute, reader: BerReader): void {
  reader.readSequence();
  this.type = reader.readString() ?? '';
  const binary = isBinaryType(this.type);
  if (reader.peek() !== ProtocolOperation.LBER_SET || !reader.readSequence(ProtocolOperation.LBER_SET)) return;
  const end = reader.offset + reader.length;
  while (reader.offset < end) {
    const buffer = (reader.readString(Ber.OctetString, true) as Buffer | null) ?? Buffer.alloc(0);
    this.buffers.push(buffer);
    this.values.push(binary ? buffer : textOrBytes(buffer));
  }
}

let installed = false;

/** Installs the decoding once; returns false (and changes nothing) when ldapts is not the expected shape. */
export function installValueDecoding(): boolean {
  if (installed) return true;
  const proto = (Attribute as unknown as { prototype: Record<string, unknown> }).prototype;
  const probe = new Attribute() as unknown as Partial<ParsedAttribute>;
  if (typeof proto['parse'] !== 'function' || !Array.isArray(probe.buffers) || !Array.isArray(probe.values)) return false;
  if (typeof ProtocolOperation.LBER_SET !== 'number' || typeof Ber.OctetString !== 'number') return false;
  proto['parse'] = parse;
  installed = true;
  return true;
}
