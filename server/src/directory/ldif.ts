/**
 * RFC 2849 LDIF reader for content records, as `ldapsearch -L/-LL/-LLL` and `ldifde -f` write
 * them: `version: 1`, `#` comments (folded ones too), folded lines (a continuation starts with one
 * space), `::` base64 values, blank lines between records, CRLF line ends, a UTF-8 or UTF-16 BOM,
 * `changetype: add` (ldifde), ldapsearch's `search:`/`result:` trailer. What a directory export
 * cannot faithfully hold is refused with file:line: `:<` URL values, change records other than
 * add, controls. Text must be UTF-8 (or UTF-16 with a BOM): anything else is refused naming its
 * line, never decoded into replacement characters.
 */
import { createReadStream } from 'node:fs';
import { shown } from '../domain/text';
import { DirectoryError } from './errors';

/** One attribute line of a record. */
export interface LdifValue {
  /** The attribute description as written (options included), e.g. `thumbnailPhoto` or `cn;lang-de`. */
  readonly description: string;
  /** Text for `:` values, bytes for `::` values. */
  readonly value: string | Uint8Array;
  readonly line: number;
}

/** One content record. */
export interface LdifEntryRecord {
  readonly dn: string;
  readonly values: readonly LdifValue[];
  /** Line of its `dn:` line. */
  readonly line: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Error with `file:line` in front, code `ldifSyntax`. */
export function ldifError(file: string, line: number, message: string): DirectoryError {
  return new DirectoryError('ldifSyntax', `${file}:${line}: ${message}`, file);
}

/**
 * Incremental parser: feed physical lines in order with push(), then end(). Completed records are
 * returned from each call, so a caller can stream a file of any size.
 */
export class LdifParser {
  private lineNo = 0;
  /** The logical line being assembled (after unfolding), with the line it started on. */
  private logical?: { text: string; line: number; comment: boolean };
  private record: Array<{ text: string; line: number }> = [];
  private sawContent = false;

  constructor(private readonly file: string) {}

  /** Physical lines fed so far. */
  get linesRead(): number {
    return this.lineNo;
  }

  /** Feeds one physical line (without its line end). */
  push(physical: string): LdifEntryRecord[] {
    this.lineNo++;
    const text = physical.endsWith('\r') ? physical.slice(0, -1) : physical;
    const out: LdifEntryRecord[] = [];
    if (text.startsWith(' ')) {
      if (!this.logical) throw ldifError(this.file, this.lineNo, 'continuation line (starting with a space) without a line to continue');
      this.logical.text += text.slice(1);
      return out;
    }
    this.flushLogical();
    if (text === '') {
      const r = this.finishRecord();
      if (r) out.push(r);
      return out;
    }
    this.logical = { text, line: this.lineNo, comment: text.startsWith('#') };
    return out;
  }

  /** Ends the input; returns the last record if the file did not end with a blank line. */
  end(): LdifEntryRecord[] {
    this.flushLogical();
    const r = this.finishRecord();
    return r ? [r] : [];
  }

  private flushLogical(): void {
    if (this.logical && !this.logical.comment) this.record.push({ text: this.logical.text, line: this.logical.line });
    this.logical = undefined;
  }

  private finishRecord(): LdifEntryRecord | undefined {
    const lines = this.record;
    this.record = [];
    if (lines.length === 0) return undefined;
    let i = 0;
    // `version: 1` may only open the file (RFC 2849 ldif-content).
    if (!this.sawContent && /^version:/i.test(lines[0]!.text)) {
      const v = lines[0]!.text.slice('version:'.length).trim();
      if (v !== '1') throw ldifError(this.file, lines[0]!.line, `unsupported LDIF version "${v}" (only version 1 exists)`);
      i = 1;
      if (lines.length === 1) {
        this.sawContent = true;
        return undefined;
      }
    }
    this.sawContent = true;
    const first = lines[i]!;
    // ldapsearch -L/-LL ends with a record of `search: n` / `result: 0 Success` lines, no dn.
    if (/^(search|result):/i.test(first.text)) return undefined;
    const dnLine = this.parseLine(first.text, first.line);
    if (dnLine.description.toLowerCase() !== 'dn') {
      throw ldifError(this.file, first.line, `a record must start with "dn:", found "${dnLine.description}:"`);
    }
    const dn = typeof dnLine.value === 'string' ? ownCopy(dnLine.value) : decodeUtf8(dnLine.value, this.file, first.line, 'dn');
    const values: LdifValue[] = [];
    for (const l of lines.slice(i + 1)) {
      const v = this.parseLine(l.text, l.line);
      const name = v.description.toLowerCase();
      if (name === 'changetype') {
        const ct = String(v.value).trim().toLowerCase();
        if (ct === 'add') continue; // ldifde writes every exported object as an add
        throw ldifError(
          this.file,
          l.line,
          `"changetype: ${ct}" records are changes, not an export of entries; export the directory's content (ldapsearch -LLL or ldifde -f)`,
        );
      }
      if (name === 'control') throw ldifError(this.file, l.line, 'LDIF controls belong to change records; an export of entries has none');
      if (name === 'dn') throw ldifError(this.file, l.line, 'second "dn:" line in one record: records must be separated by a blank line');
      values.push(v);
    }
    return { dn, values, line: first.line };
  }

  private parseLine(text: string, line: number): LdifValue {
    const colon = text.indexOf(':');
    if (colon <= 0) throw ldifError(this.file, line, `expected "attribute: value", found "${text.slice(0, 40)}"`);
    const description = text.slice(0, colon);
    if (!/^[A-Za-z0-9][A-Za-z0-9.;=-]*$/.test(description)) {
      throw ldifError(this.file, line, `"${shown(description, 80)}" is not an attribute description`);
    }
    const rest = text.slice(colon + 1);
    if (rest.startsWith(':')) {
      const b64 = rest.slice(1).trim();
      if (!BASE64.test(b64) || b64.length % 4 === 1) throw ldifError(this.file, line, `the base64 value of ${description} is malformed`);
      return { description, value: new Uint8Array(Buffer.from(b64, 'base64')), line };
    }
    if (rest.startsWith('<')) {
      throw ldifError(
        this.file,
        line,
        `${description} takes its value from a URL ("${description}:< …"); dirsync reads no files or URLs named inside an LDIF export — inline the value as base64 ("${description}:: …")`,
      );
    }
    return { description: ownCopy(description), value: ownCopy(rest.replace(/^ +/, '')), line };
  }
}

/**
 * The same text in a string of its own. A value cut from a line is, in V8, a slice that keeps the
 * whole 256 KB chunk the line was split from alive: a planner that keeps one DN or mail address per
 * entry would otherwise hold the whole file in memory. Joining onto a space and cutting it off again
 * makes V8 flatten the pair into a fresh string (short strings are copied anyway).
 */
function ownCopy(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

function decodeUtf8(bytes: Uint8Array, file: string, line: number, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw ldifError(file, line, `${what} is not valid UTF-8`);
  }
}

/**
 * Line breaks before the first undecodable byte of a chunk (0 when the fault is on the line
 * `carry` began): a lenient decode puts U+FFFD where the strict one failed.
 */
function firstBadLine(carry: string, chunk: Buffer | undefined, encoding: 'utf-8' | 'utf-16le'): number {
  const text = carry + (chunk ? new TextDecoder(encoding).decode(chunk) : '');
  const bad = text.indexOf('\ufffd');
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && (bad < 0 || i < bad); i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** Parses a whole LDIF text (tests, small files). */
export function parseLdif(text: string, file = '<text>'): LdifEntryRecord[] {
  const p = new LdifParser(file);
  const out: LdifEntryRecord[] = [];
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  for (const line of body.split('\n')) out.push(...p.push(line));
  out.push(...p.end());
  return out;
}

/**
 * Streams the records of an LDIF file. The encoding follows the BOM (ldifde -u writes UTF-16LE);
 * UTF-8 otherwise. Fails with `fileNotFound` when the file cannot be opened.
 */
export async function* readLdifFile(
  path: string,
  opts: { displayName?: string; signal?: AbortSignal } = {},
): AsyncGenerator<LdifEntryRecord> {
  const name = opts.displayName ?? path;
  const stream = createReadStream(path, { highWaterMark: 256 * 1024, ...(opts.signal ? { signal: opts.signal } : {}) });
  const parser = new LdifParser(name);
  let decoder: TextDecoder | undefined;
  let encoding: 'utf-8' | 'utf-16le' = 'utf-8';
  let carry = '';
  // Strict decoding: text that is not UTF-8 (a Latin-1 export) is refused naming its line, never
  // turned into U+FFFD replacement characters that would reach the cloud.
  const decode = (chunk?: Buffer): string => {
    try {
      return chunk ? decoder!.decode(chunk, { stream: true }) : decoder!.decode();
    } catch {
      const line = parser.linesRead + 1 + firstBadLine(carry, chunk, encoding);
      throw ldifError(
        name,
        line,
        `not valid ${encoding === 'utf-8' ? 'UTF-8' : 'UTF-16'} text; an LDIF export is UTF-8 (or UTF-16 with a byte order mark, as ldifde -u writes): convert it, e.g. iconv -f latin1 -t utf-8`,
      );
    }
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!decoder) {
        const utf16 = chunk[0] === 0xff && chunk[1] === 0xfe;
        encoding = utf16 ? 'utf-16le' : 'utf-8';
        decoder = new TextDecoder(encoding, { fatal: true });
      }
      const fresh = decode(chunk);
      // A line longer than a chunk grows `carry` until its end arrives (joined once, not per chunk).
      if (!fresh.includes('\n')) {
        carry += fresh;
        continue;
      }
      const lines = (carry + fresh).split('\n');
      carry = lines.pop()!;
      for (const l of lines) yield* parser.push(l);
    }
    if (decoder) carry += decode();
    if (carry !== '') yield* parser.push(carry);
    yield* parser.end();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new DirectoryError('fileNotFound', `Cannot read the LDIF export ${name}: ${code === 'ENOENT' ? 'no such file' : code}`, name, {
        cause: err,
      });
    }
    if ((err as Error).name === 'AbortError') throw new DirectoryError('aborted', `Reading ${name} was cancelled.`, name, { cause: err });
    throw err;
  } finally {
    stream.destroy();
  }
}
