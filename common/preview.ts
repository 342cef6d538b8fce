/**
 * The JSON `dirsync preview --json` prints: per object selection, the live match count and sample
 * entries with every mapped cloud attribute's computed value and the avatar. Scripts and CI read
 * it, so it is versioned like the report: `version` changes only when a field changes meaning or
 * disappears; new optional fields may appear.
 */

export const PREVIEW_FORMAT = 'dirsync-preview';
export const PREVIEW_VERSION = 1;

export interface PreviewValue {
  /** The cloud attribute as the config writes it (`displayName`, `sipAddresses;type=enterprise`). */
  readonly cloud: string;
  /** Where it goes in SCIM, for known cloud attributes. */
  readonly scimPath?: string;
  /** The attribute expression (a bare AD attribute name is one too). */
  readonly expression: string;
  /** The expression's value on the entry; `""` when it reads nothing. Absent when `error` is set. */
  readonly value?: string;
  /** For the account-state attribute: whether the cloud user is active. */
  readonly active?: boolean;
  readonly error?: string;
}

export type PreviewAvatar =
  | { readonly source: 'resourceServer'; readonly ok: true; readonly url: string }
  | { readonly source: 'resourceServer'; readonly ok: false; readonly reason: string }
  | {
      readonly source: 'attribute';
      readonly attribute: string;
      readonly ok: true;
      readonly bytes: number;
      /** From the bytes' headers; absent when they are not a supported image (`problem`). */
      readonly format?: string;
      readonly width?: number;
      readonly height?: number;
      readonly problem?: string;
    }
  | { readonly source: 'attribute'; readonly attribute: string; readonly ok: false; readonly reason: string };

export interface PreviewEntry {
  readonly dn: string;
  /** displayName, else cn, else the RDN value. */
  readonly name: string;
  /** Every mapping of `attributes` (users, rooms) or `contactAttributes` (contacts); none for groups. */
  readonly attributes: readonly PreviewValue[];
  /** Groups: how many `member` values the group has. */
  readonly members?: number;
  /** Users and rooms, when avatars are enabled. */
  readonly avatar?: PreviewAvatar;
}

export interface PreviewSelection {
  readonly kind: 'users' | 'groups' | 'contacts' | 'rooms';
  readonly enabled: boolean;
  readonly baseDns: readonly string[];
  readonly filter: string;
  /** Entries the filter matches under the base DNs (absent for a disabled selection or on error). */
  readonly count?: number;
  /** False when the directory's size limit cut the count short (`count` is then a lower bound). */
  readonly complete?: boolean;
  readonly sample?: readonly PreviewEntry[];
  /** Why the selection could not be read (e.g. a base DN that does not exist). */
  readonly error?: string;
}

export interface PreviewResult {
  readonly format: typeof PREVIEW_FORMAT;
  readonly version: typeof PREVIEW_VERSION;
  /** The config file as given on the command line. */
  readonly config: string;
  readonly name?: string;
  /** Never contains a secret. */
  readonly directory: { readonly url: string; readonly kind: 'ldap' | 'ldif' };
  readonly selections: readonly PreviewSelection[];
}
