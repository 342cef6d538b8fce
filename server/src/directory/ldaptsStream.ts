/**
 * A paged search's entries kept as the bytes the server sent until they are read. ldapts (8.x)
 * parses every message as it arrives and resolves a page only once the whole page is parsed and
 * converted: a page of 1,000 users with pictures was about 11 MB of objects alive at once, each of
 * them old enough to be copied out of V8's young generation (the largest share of a dry run's
 * garbage collection). Here the entries of a streamed search are cut out of the socket's data as
 * they come, each as the slice of bytes that is its message, and decoded one at a time when the
 * reader takes it (berEntry.ts), so an entry's objects live only while it is mapped.
 *
 * It is installed on one client by replacing its message parser's `read` with one that frames the
 * messages itself: a search result entry of a streamed search (known by its request's
 * `explicitBufferAttributes` array, which the caller makes for that search) is kept; every other
 * message goes to ldapts' `read` whole, as before. ldapts still sees one entry per page (a
 * placeholder), so it pages as usual. Any other shape of ldapts leaves the client as it is.
 */
import { type Client, type Entry, MessageParser } from 'ldapts';
import { berLength } from './berEntry';

/** RFC 4511: LDAPMessage is a SEQUENCE; searchResEntry is [APPLICATION 4] (0x64). */
const SEQUENCE = 0x30;
const SEARCH_RESULT_ENTRY = 0x64;

interface MessageDetails {
  message?: { explicitBufferAttributes?: unknown };
  searchEntries?: unknown[];
}

type Read = (data: Buffer, details: Map<string, MessageDetails>) => void;

/** What ldapts' page holds for the entries streamed here: only so that it goes on paging. */
const PLACEHOLDER = Object.freeze({ toObject: () => PLACEHOLDER_ENTRY });
const PLACEHOLDER_ENTRY: Entry = Object.freeze({ dn: '' }) as Entry;

/** The message id and operation tag of one whole LDAPMessage, or undefined when it is not well formed. */
export function messageHead(msg: Buffer): { id: number; op: number } | undefined {
  const outer = berLength(msg, 0);
  if (!outer || outer.header < 0) return undefined;
  let at = outer.header;
  if (msg[at] !== 0x02) return undefined;
  const idLen = berLength(msg, at);
  if (!idLen || idLen.header < 0 || idLen.length < 1 || idLen.length > 4) return undefined;
  let id = 0;
  for (let i = 0; i < idLen.length; i++) id = id * 256 + msg[at + idLen.header + i]!;
  at += idLen.header + idLen.length;
  if (at >= msg.length) return undefined;
  return { id, op: msg[at]! };
}

/** One streamed search: the entries' messages received and not yet taken. */
export interface RawEntryQueue {
  /** The messages received since the last call, in order. */
  take(): Buffer[];
  /** Stops streaming this search (its later entries, if any, go to ldapts). */
  close(): void;
}

export class RawEntryStream {
  private readonly queues = new Map<unknown, Buffer[]>();
  private pending: Buffer | undefined;

  private constructor(
    private readonly original: Read,
    private readonly details: () => Map<string, MessageDetails>,
  ) {}

  /** Installs streaming on `client`; undefined (and the client unchanged) when ldapts is not the expected shape. */
  static install(client: Client): RawEntryStream | undefined {
    const c = client as unknown as { messageParser?: unknown; messageDetailsByMessageId?: unknown };
    const parser = c.messageParser;
    if (!(parser instanceof MessageParser) || typeof parser.read !== 'function' || !(c.messageDetailsByMessageId instanceof Map)) {
      return undefined;
    }
    const original = (parser.read as unknown as Read).bind(parser);
    const stream = new RawEntryStream(original, () => c.messageDetailsByMessageId as Map<string, MessageDetails>);
    (parser as unknown as { read: Read }).read = (data) => stream.read(data);
    return stream;
  }

  /** Streams the entries of the searches sent with `tag` as their `explicitBufferAttributes`. */
  open(tag: readonly string[]): RawEntryQueue {
    this.queues.set(tag, []);
    return {
      take: () => {
        const q = this.queues.get(tag);
        if (!q) return [];
        this.queues.set(tag, []);
        return q;
      },
      close: () => {
        this.queues.delete(tag);
      },
    };
  }

  /** The client's data: whole messages cut out; streamed entries kept, the rest handed to ldapts. */
  private read(data: Buffer): void {
    const details = this.details();
    const buf = this.pending ? Buffer.concat([this.pending, data]) : data;
    this.pending = undefined;
    let at = 0;
    while (at < buf.length) {
      if (buf[at] !== SEQUENCE) {
        this.original(buf.subarray(at), details); // not a message: ldapts reports it as before
        return;
      }
      const len = berLength(buf, at);
      if (len && len.header < 0) {
        this.original(buf.subarray(at), details);
        return;
      }
      if (!len || at + len.header + len.length > buf.length) break;
      const end = at + len.header + len.length;
      const msg = buf.subarray(at, end);
      at = end;
      if (!this.keep(msg, details)) this.original(msg, details);
    }
    if (at < buf.length) {
      // A message that continues in the next chunk: keep only its bytes (not the whole chunk).
      this.pending = Buffer.from(buf.subarray(at));
    }
  }

  private keep(msg: Buffer, details: Map<string, MessageDetails>): boolean {
    if (this.queues.size === 0) return false;
    const head = messageHead(msg);
    if (!head || head.op !== SEARCH_RESULT_ENTRY) return false;
    const d = details.get(String(head.id));
    const queue = d?.message ? this.queues.get(d.message.explicitBufferAttributes) : undefined;
    if (!d || !queue) return false;
    queue.push(msg);
    d.searchEntries ??= [];
    if (d.searchEntries.length === 0) d.searchEntries.push(PLACEHOLDER);
    return true;
  }
}

/** True for the placeholder entries ldapts' pages hold for streamed entries. */
export function isPlaceholder(entry: Entry): boolean {
  return entry === PLACEHOLDER_ENTRY;
}
