/** RFC 4515 assertion values: `\\XX` escapes decoded into octets, read as UTF-8. */
import type { AssertionValue } from './ast';

type Range = { start: number; end: number };

// Stateless here (no streaming), so one of each serves every call.
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder('utf-8', { fatal: false });

/** Decodes `\XX` escapes into octets; everything else is UTF-8 (RFC 4515 §3 valueencoding). */
export function decodeAssertionValue(raw: string): Uint8Array {
  const out: number[] = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push(...ENCODER.encode(plain));
    plain = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 1, i + 3))) {
      flush();
      out.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      plain += c;
    }
  }
  flush();
  return Uint8Array.from(out);
}

/** An AssertionValue from its raw text and range. */
export function assertionValue(raw: string, range: Range): AssertionValue {
  const bytes = decodeAssertionValue(raw);
  return { raw, bytes, text: DECODER.decode(bytes), range };
}
