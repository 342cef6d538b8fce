/**
 * How an object is named in logs, reports and errors. Directory Connector's event log writes AD's
 * extended DN form (seed 000): `<GUID=4d0f0e83…>;<SID=01050000…>;CN=Webex User 1,OU=Webex,…` —
 * the raw bytes of objectGUID and objectSid in hex, then the DN — so that an administrator can
 * find an object by either. dirsync writes the same form.
 */
import { attributeValues, type DirectoryEntry } from '../domain/entry';
import { formatGuid, formatSid, toHex } from '../domain/adValues';

const bytesOf = (entry: DirectoryEntry, name: string): Uint8Array | undefined => {
  const v = attributeValues(entry, name)[0];
  return v instanceof Uint8Array ? v : undefined;
};

/** `<GUID=hex>;<SID=hex>;DN` (parts omitted when the entry lacks the attribute, e.g. contacts have no SID). */
export function extendedDn(entry: DirectoryEntry): string {
  const parts: string[] = [];
  const guid = bytesOf(entry, 'objectGUID');
  const sid = bytesOf(entry, 'objectSid');
  if (guid) parts.push(`<GUID=${toHex(guid)}>`);
  if (sid) parts.push(`<SID=${toHex(sid)}>`);
  parts.push(entry.dn);
  return parts.join(';');
}

/** `CN=…,OU=… (GUID xxxxxxxx-…, SID S-1-5-21-…)` for messages a person reads. */
export function describeEntry(entry: DirectoryEntry): string {
  const guid = bytesOf(entry, 'objectGUID');
  const sid = bytesOf(entry, 'objectSid');
  const ids: string[] = [];
  if (guid?.length === 16) ids.push(`GUID ${formatGuid(guid)}`);
  if (sid) {
    try {
      ids.push(`SID ${formatSid(sid)}`);
    } catch {
      /* malformed SID: leave it out of a description */
    }
  }
  return ids.length ? `${entry.dn} (${ids.join(', ')})` : entry.dn;
}
