/**
 * Active Directory value formats, pure (no I/O): objectGUID and objectSid as AD shows them,
 * userAccountControl flags, and the text form of any attribute value for expressions and previews.
 */

/** Attributes whose values are octet strings in AD's schema; readers must ask for them as bytes. */
export const BINARY_ATTRIBUTES: ReadonlySet<string> = new Set([
  'objectguid',
  'objectsid',
  'thumbnailphoto',
  'jpegphoto',
  'photo',
  'msexchmailboxguid',
  'sidhistory',
  'tokengroups',
  'usercertificate',
  'mS-DS-ConsistencyGuid'.toLowerCase(),
  'msds-generationid',
  'logonhours',
  'ntsecuritydescriptor',
]);

/**
 * objectGUID bytes → `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` as AD tools show it: the first three
 * groups are little-endian (Microsoft GUID layout), the last two big-endian.
 */
export function formatGuid(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new Error(`objectGUID must be 16 bytes, got ${bytes.length}`);
  // Written as ASCII into one buffer and read as one flat string: `+` left V8 a tree of 20 pieces,
  // which a plan keeps per object, and joining an array of them cost 20 strings and an array.
  let o = 0;
  for (const i of GUID_ORDER) {
    if (i < 0) {
      guidText[o++] = 0x2d; // -
      continue;
    }
    const b = bytes[i]!;
    guidText[o++] = HEX_DIGITS[b >> 4]!;
    guidText[o++] = HEX_DIGITS[b & 15]!;
  }
  return guidText.toString('latin1', 0, 36);
}

/** The byte of each pair of hex digits in the text form (−1: a dash). */
const GUID_ORDER = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15];
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const guidText = Buffer.alloc(36);

/**
 * Why a raw objectGUID value cannot identify an object (not 16 bytes), or undefined when it can or
 * is absent. A text value is fine when it is a GUID's text form (an export that wrote it so).
 */
export function guidProblem(value: string | Uint8Array | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    return /^\{?[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?$/.test(value) ? undefined : 'objectGUID is not a GUID';
  }
  return value.length === 16 ? undefined : `objectGUID is ${value.length} byte${value.length === 1 ? '' : 's'}, not 16`;
}

/**
 * Why raw objectSid bytes are not a SID (MS-DTYP §2.4.2: revision 1, at most 15 sub-authorities,
 * 8 + 4 × count bytes), or undefined.
 */
export function sidProblem(bytes: Uint8Array): string | undefined {
  if (bytes.length < 8) return `objectSid is ${bytes.length} bytes, shorter than a SID`;
  if (bytes[0] !== 1) return `objectSid has revision ${bytes[0]}, not 1`;
  const count = bytes[1]!;
  if (count > 15) return `objectSid claims ${count} sub-authorities, more than 15`;
  if (bytes.length !== 8 + count * 4)
    return `objectSid is ${bytes.length} bytes, not the ${8 + count * 4} its ${count} sub-authorities take`;
  return undefined;
}

/** The inverse of formatGuid (braces optional), e.g. for `(objectGUID=\XX…)` filters. */
export function parseGuid(text: string): Uint8Array {
  const hex = text.replace(/[{}]/g, '');
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(hex)) {
    throw new Error(`not a GUID: ${text}`);
  }
  const p = hex.replace(/-/g, '');
  const b = (i: number) => parseInt(p.slice(i * 2, i * 2 + 2), 16);
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  const out = new Uint8Array(16);
  order.forEach((src, dst) => (out[dst] = b(src)));
  return out;
}

/** objectSid bytes → `S-1-5-21-…` (MS-DTYP §2.4.2.2: revision, count, 48-bit big-endian authority, LE sub-authorities). */
export function formatSid(bytes: Uint8Array): string {
  if (bytes.length < 8) throw new Error(`objectSid too short: ${bytes.length} bytes`);
  const revision = bytes[0]!;
  const count = bytes[1]!;
  if (bytes.length !== 8 + count * 4) throw new Error(`objectSid length ${bytes.length} does not match ${count} sub-authorities`);
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + bytes[i]!;
  // Every user's SID is formatted once a dry run: no DataView or array per SID.
  let text = `S-${revision}-${authority}`;
  for (let o = 8; o < bytes.length; o += 4)
    text += `-${(bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24)) >>> 0}`;
  return text;
}

/** Hex form of bytes, as Directory Connector's event log prints GUIDs and SIDs (seed 000). */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** userAccountControl flags (MS-ADTS §2.2.16) that matter for sync. */
export const UAC = {
  ACCOUNTDISABLE: 0x2,
  LOCKOUT: 0x10,
  PASSWD_NOTREQD: 0x20,
  NORMAL_ACCOUNT: 0x200,
  WORKSTATION_TRUST_ACCOUNT: 0x1000,
  SERVER_TRUST_ACCOUNT: 0x2000,
  DONT_EXPIRE_PASSWORD: 0x10000,
} as const;

/** True when a userAccountControl value has the ACCOUNTDISABLE bit (bit 2). */
export function isUacDisabled(value: string | number): boolean {
  const n = typeof value === 'number' ? value : Number.parseInt(value, 10);
  return Number.isFinite(n) && (n & UAC.ACCOUNTDISABLE) !== 0;
}

/**
 * Text form of one attribute value for expressions, previews and reports: GUIDs and SIDs as AD
 * shows them, other binary values as base64, text as is.
 */
export function valueToText(attribute: string, value: string | Uint8Array): string {
  if (typeof value === 'string') return value;
  const name = attribute.toLowerCase();
  // An objectGUID that is not 16 bytes has no text form: it must never become an externalId.
  if (name === 'objectguid') return value.length === 16 ? formatGuid(value) : '';
  if (name === 'objectsid' || name === 'sidhistory') {
    try {
      return formatSid(value);
    } catch {
      /* fall through to base64 */
    }
  }
  if (BINARY_ATTRIBUTES.has(name)) return bytesToBase64(value);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(value);
  return text;
}

function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
