/** Tiny BER writers for LDAP messages in tests (RFC 4511), written out by hand so a decoder is checked against bytes it did not make. */

/** BER: tag, definite length (long form past 127), content. */
export function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : n < 0x10000
          ? Buffer.from([0x82, n >> 8, n & 0xff])
          : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
export const octets = (v: string | Buffer) => tlv(0x04, Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8'));
export const int = (n: number) => tlv(0x02, n < 0x80 ? Buffer.from([n]) : Buffer.from([0, n]));

export function entryMessage(id: number, dn: string, attributes: Record<string, Array<string | Buffer>>): Buffer {
  const attrs = Object.entries(attributes).map(([type, values]) => tlv(0x30, octets(type), tlv(0x31, ...values.map(octets))));
  return tlv(0x30, int(id), tlv(0x64, octets(dn), tlv(0x30, ...attrs)));
}
export const doneMessage = (id: number) => tlv(0x30, int(id), tlv(0x65, tlv(0x0a, Buffer.from([0])), octets(''), octets('')));
