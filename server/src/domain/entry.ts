/**
 * A directory entry as every layer sees it: the LDAP source, the LDIF source, filter evaluation,
 * attribute expressions, avatar patterns, the sync engine and the previews.
 *
 * Attribute names are case-insensitive in LDAP (RFC 4512 §2.5), so keys are lower-case. Values of
 * text attributes are strings; values of binary attributes (objectGUID, objectSid, thumbnailPhoto,
 * jpegPhoto, …) are bytes. An attribute with no values is absent, never an empty array.
 */
import { valueToText } from './adValues';

export interface DirectoryEntry {
  /** The entry's distinguished name as the server returned it. */
  readonly dn: string;
  /** Values keyed by lower-case attribute name (options such as `;binary` stripped). */
  readonly attributes: Readonly<Record<string, ReadonlyArray<string | Uint8Array>>>;
}

/** All values of an attribute (case-insensitive name), or an empty array. */
export function attributeValues(entry: DirectoryEntry, name: string): ReadonlyArray<string | Uint8Array> {
  return entry.attributes[name.toLowerCase()] ?? [];
}

/**
 * The first value of an attribute as text, or undefined when absent. Binary values take their
 * AD text form (objectGUID, objectSid) or base64; see adValues.valueToText.
 */
export function firstText(entry: DirectoryEntry, name: string): string | undefined {
  const v = attributeValues(entry, name)[0];
  if (v === undefined) return undefined;
  return valueToText(name, v);
}
