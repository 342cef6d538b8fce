/**
 * The avatar events of the sync's event log, as Directory Connector writes them (seed 000,
 * "Event Viewer"), so an admin who searches for a user's CN, GUID or SID finds the same two lines:
 *
 *   Avatar Plugin: detected deleteAvatar flag, will delete avatar in cloud. DN:<GUID=…>;<SID=…>;CN=…,OU=… Reason:No Image Data
 *   Avatar Plugin: No image data for AD entry '<GUID=…>;<SID=…>;CN=…,OU=…'
 *
 * Each is a structured event (one JSON line in the log) carrying the identifiers in every form an
 * admin may have at hand: `guid` and `sid` as the hex of their bytes (the seed's form, what AD's
 * extended-DN control returns), `objectGuid` as AD tools show it, `objectSid` as `S-1-5-…`, the
 * plain `dn` and `cn`. The seed prints "DN:<GUID=…>; <SID=…>" with a blank after the first `;` in
 * one event and without in the other; we write both without, byte for byte the extended-DN form.
 */
import { extendedDn } from '../directory/describe';
import { formatGuid, formatSid, toHex } from '../domain/adValues';
import type { DirectoryEntry } from '../domain/entry';
import type { EmptyReason } from './sources';

export type AvatarEventName = 'avatar.deleteFlag' | 'avatar.noImageData';

export interface AvatarLogEvent {
  readonly level: 'info';
  readonly event: AvatarEventName;
  readonly sessionId: string;
  /** objectGUID bytes as hex (seed 000: `GUID=4d0f0e832c49e8419e960370daaa877b`). */
  readonly guid?: string;
  /** objectGUID as AD shows it: `830e0f4d-492c-41e8-9e96-0370daaa877b`. */
  readonly objectGuid?: string;
  /** objectSid bytes as hex (seed 000: `SID=0105000000000005…`). */
  readonly sid?: string;
  /** objectSid as `S-1-5-21-…`. */
  readonly objectSid?: string;
  readonly dn: string;
  /** The first RDN's value when it is a CN (the Event Viewer search in seed 000 uses it). */
  readonly cn?: string;
  /** `<GUID=…>;<SID=…>;<dn>` as in the seed. */
  readonly extendedDn: string;
  /** Directory Connector's words: `No Image Data`. */
  readonly reason: string;
  /** What the admin reads and searches: the seed's line. */
  readonly message: string;
}

/** Seed 000 capitalises the reason in the delete event: "Reason:No Image Data". */
const REASON_WORDS: Readonly<Record<EmptyReason, string>> = {
  'No image data': 'No Image Data',
  'No avatar URI': 'No Avatar URI',
};

function bytesOf(entry: DirectoryEntry, name: string): Uint8Array | undefined {
  const v = entry.attributes[name]?.[0];
  return v instanceof Uint8Array ? v : undefined;
}

/** The identifiers of an entry in every form the events carry. */
export function entryIdentity(
  entry: DirectoryEntry,
): Pick<AvatarLogEvent, 'guid' | 'objectGuid' | 'sid' | 'objectSid' | 'dn' | 'cn' | 'extendedDn'> {
  const guid = bytesOf(entry, 'objectguid');
  const sid = bytesOf(entry, 'objectsid');
  let objectSid: string | undefined;
  if (sid) {
    try {
      objectSid = formatSid(sid);
    } catch {
      /* malformed SID: the hex form is still searchable */
    }
  }
  const cn = /^\s*cn\s*=\s*((?:\\.|[^,+\\])*)/i.exec(entry.dn)?.[1]?.replace(/\\(.)/g, '$1').trim();
  return {
    ...(guid ? { guid: toHex(guid) } : {}),
    ...(guid?.length === 16 ? { objectGuid: formatGuid(guid) } : {}),
    ...(sid ? { sid: toHex(sid) } : {}),
    ...(objectSid ? { objectSid } : {}),
    dn: entry.dn,
    ...(cn ? { cn } : {}),
    extendedDn: extendedDn(entry),
  };
}

/**
 * The two events for a user whose avatar source is empty and whose cloud picture will be removed
 * (with `removeWhenSourceEmpty` or in an avatar purge), in the seed's order.
 */
export function avatarRemovalEvents(entry: DirectoryEntry, reason: EmptyReason, sessionId: string): [AvatarLogEvent, AvatarLogEvent] {
  return [deleteFlagEvent(entry, reason, sessionId), emptySourceEvent(entry, reason, sessionId)];
}

/** "detected deleteAvatar flag, will delete avatar in cloud. DN:… Reason:No Image Data". */
export function deleteFlagEvent(entry: DirectoryEntry, reason: EmptyReason, sessionId: string): AvatarLogEvent {
  const id = entryIdentity(entry);
  const words = REASON_WORDS[reason];
  return {
    level: 'info',
    event: 'avatar.deleteFlag',
    sessionId,
    ...id,
    reason: words,
    message: `Avatar Plugin: detected deleteAvatar flag, will delete avatar in cloud. DN:${id.extendedDn} Reason:${words}`,
  };
}

/** "No image data for AD entry '…'" — also usable alone for every empty source. */
export function emptySourceEvent(entry: DirectoryEntry, reason: EmptyReason, sessionId: string): AvatarLogEvent {
  const id = entryIdentity(entry);
  return {
    level: 'info',
    event: 'avatar.noImageData',
    sessionId,
    ...id,
    reason: REASON_WORDS[reason],
    message: `Avatar Plugin: ${reason} for AD entry '${id.extendedDn}'`,
  };
}

/** One JSON line (with a trailing newline) for the event log. */
export function eventJsonLine(event: AvatarLogEvent, time: Date = new Date()): string {
  return JSON.stringify({ time: time.toISOString(), ...event }) + '\n';
}

/** Directory Connector's text form: `[sessionId: …] Avatar Plugin: …`. */
export function eventTextLine(event: AvatarLogEvent): string {
  return `[sessionId: ${event.sessionId}] ${event.message}`;
}
