/**
 * The cloud attribute names an `attributes` mapping may write (Directory Connector's "Cisco Cloud
 * Attribute Names", seed 001 table "Active Directory and cloud attributes") with their notes, value
 * kind and SCIM 2.0 path (RFC 7643 §4.1 core User, §4.3 enterprise extension, Cisco's extension).
 * Pure data: used by completion, hover and validation here, and by the sync engine to build SCIM
 * resources.
 */

export const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCIM_CISCO = 'urn:scim:schemas:extension:cisco:webexidentity:2.0:User';

/** What a value must look like; checked on live data and used for type fit with AD syntaxes. */
export type CloudValueKind = 'string' | 'email' | 'phone' | 'language' | 'boolean' | 'dn' | 'sip';

export interface CloudAttribute {
  /** Directory Connector's name, as written in `attributes`. */
  readonly name: string;
  /** Where the value goes in the SCIM User resource (a SCIM filter-style path, RFC 7644 §3.10). */
  readonly scimPath: string;
  readonly kind: CloudValueKind;
  /** The seed's note, or ours. Markdown. */
  readonly notes: string;
  /** The AD attribute Directory Connector offers for it (the table's left column). */
  readonly suggested?: readonly string[];
  /** The only required mapping. */
  readonly required?: boolean;
  /** The SCIM value is the inverse of the AD flag (`active` ← not disabled). */
  readonly inverted?: boolean;
  /** The AD value is a DN the engine resolves to the cloud object's id (manager). */
  readonly resolvesDn?: boolean;
  /** Other names accepted for the same attribute. */
  readonly aliases?: readonly string[];
}

const work = (field: string) => `addresses[type eq "work"].${field}`;

const BASE: readonly CloudAttribute[] = [
  {
    name: 'uid',
    scimPath: 'userName',
    kind: 'email',
    required: true,
    suggested: ['mail', 'userPrincipalName'],
    notes:
      "A mandatory mapping: each user's unique id in the cloud, in email format. Directory Connector maps `mail` by default (not sAMAccountName); `userPrincipalName` is the alternative when `mail` is used for other purposes.",
  },
  {
    name: 'emails;type-work',
    scimPath: 'emails[type eq "work"].value',
    kind: 'email',
    suggested: ['userPrincipalName', 'mail'],
    notes:
      'Optional alternative email address, used for authentication, not for calendar management. It must be from a verified domain of the organization and unique.',
  },
  {
    name: 'displayName',
    scimPath: 'displayName',
    kind: 'string',
    suggested: ['displayName'],
    notes: 'The account display name shown in Control Hub, the contact card and people insights.',
  },
  {
    name: 'givenName',
    scimPath: 'name.givenName',
    kind: 'string',
    suggested: ['givenName'],
    aliases: ['given'],
    notes: 'The first name shown in Control Hub, the contact card and people insights.',
  },
  {
    name: 'sn',
    scimPath: 'name.familyName',
    kind: 'string',
    suggested: ['sn'],
    notes: 'The last name shown in Control Hub, the contact card and people insights.',
  },
  {
    name: 'title',
    scimPath: 'title',
    kind: 'string',
    suggested: ['title'],
    notes: "The user's title in the contact card and people insights.",
  },
  {
    name: 'departmentNumber',
    scimPath: `${SCIM_ENTERPRISE}:department`,
    kind: 'string',
    suggested: ['departmentNumber', 'department'],
    notes: "The user's department number in the contact card and people insights.",
  },
  {
    name: 'manager',
    scimPath: `${SCIM_ENTERPRISE}:manager.value`,
    kind: 'dn',
    resolvesDn: true,
    suggested: ['manager'],
    notes:
      "The user's manager in the contact card and people insights. The AD value is the manager's DN; the engine resolves it to the manager's cloud id.",
  },
  {
    name: 'employeeNumber',
    scimPath: `${SCIM_ENTERPRISE}:employeeNumber`,
    kind: 'string',
    suggested: ['employeeNumber', 'employeeID'],
    notes: 'The employee number.',
  },
  {
    name: 'o',
    scimPath: `${SCIM_ENTERPRISE}:organization`,
    kind: 'string',
    suggested: ['o', 'company'],
    notes: 'The name of the company or organization.',
  },
  { name: 'ou', scimPath: `${SCIM_ENTERPRISE}:division`, kind: 'string', suggested: ['ou'], notes: 'The name of the organizational unit.' },
  {
    name: 'telephoneNumber',
    scimPath: 'phoneNumbers[type eq "work"].value',
    kind: 'phone',
    suggested: ['telephoneNumber'],
    notes: 'The primary (work) phone number, used for calling the user from the contact card.',
  },
  {
    name: 'mobile',
    scimPath: 'phoneNumbers[type eq "mobile"].value',
    kind: 'phone',
    suggested: ['mobile'],
    notes: 'The mobile number, used for calling the user from the contact card.',
  },
  {
    name: 'facsimileTelephoneNumber',
    scimPath: 'phoneNumbers[type eq "fax"].value',
    kind: 'phone',
    suggested: ['facsimileTelephoneNumber'],
    notes: 'The fax number.',
  },
  {
    name: 'street',
    scimPath: work('streetAddress'),
    kind: 'string',
    suggested: ['streetAddress'],
    aliases: ['streetAddress'],
    notes: 'The street address for physical mail delivery.',
  },
  { name: 'l', scimPath: work('locality'), kind: 'string', suggested: ['l'], notes: "The user's city." },
  { name: 'st', scimPath: work('region'), kind: 'string', suggested: ['st'], notes: "The user's state or province." },
  {
    name: 'postalCode',
    scimPath: work('postalCode'),
    kind: 'string',
    suggested: ['postalCode'],
    notes: 'The postal or zip code for physical mail delivery.',
  },
  {
    name: 'c',
    scimPath: work('country'),
    kind: 'string',
    suggested: ['c'],
    notes: "The user's country abbreviation (ISO 3166 alpha-2, e.g. US, CN).",
  },
  {
    name: 'preferredLanguage',
    scimPath: 'preferredLanguage',
    kind: 'language',
    suggested: ['preferredLanguage'],
    notes:
      "The user's preferred language, as `xx_YY` or `xx-YY` (en_US, en_GB, fr-CA). An unsupported language or format falls back to the organization's language. When it comes from AD, AD is the single source of truth: users and admins cannot change it in Webex.",
  },
  { name: 'locale', scimPath: 'locale', kind: 'language', notes: "The user's locale, e.g. `en_US` or `fr-CA`." },
  { name: 'timezone', scimPath: 'timezone', kind: 'string', notes: "The user's time zone (IANA, e.g. `Europe/Paris`)." },
  {
    name: 'jabberID',
    scimPath: 'ims[type eq "xmpp"].value',
    kind: 'email',
    suggested: ['mail'],
    notes: 'The IM address (XMPP type) used by Jabber. Not the same as `sipAddresses;type=enterprise`.',
  },
  {
    name: 'ds-pwp-account-disabled',
    scimPath: 'active',
    kind: 'boolean',
    inverted: true,
    suggested: ['userAccountControl'],
    notes:
      "The account state: make sure `userAccountControl` is mapped here or users won't be synced properly. A user disabled in AD (userAccountControl bit 2, ACCOUNTDISABLE; in AD LDS `msDS-UserAccountDisabled` or `ds-pwp-account-disabled`) becomes inactive in the cloud (SCIM `active: false`).",
  },
  {
    name: 'sipAddresses;type=enterprise',
    scimPath: `${SCIM_CISCO}:sipAddresses[type eq "enterprise"].value`,
    kind: 'sip',
    suggested: ['msRTCSIP-PrimaryUserAddress', 'ipPhone'],
    notes:
      'The SIP address used to synchronize on-premises room information: rooms with a mapped SIP address become searchable on cloud-registered devices. Choose `msRTCSIP-PrimaryUserAddress` if available, otherwise a field such as `ipPhone`. Values look like `sip:room1@example.com`.',
  },
  {
    name: 'externalId',
    scimPath: 'externalId',
    kind: 'string',
    suggested: ['objectGUID'],
    notes:
      'The stable link between the AD object and the cloud object (default `objectGUID`). Map a new attribute holding the Azure user objectId when Microsoft 365 groups should create Webex teams.',
  },
];

const EXTENSION_ATTRIBUTES: readonly CloudAttribute[] = Array.from({ length: 15 }, (_, i) => ({
  name: `extensionAttribute${i + 1}`,
  scimPath: `${SCIM_CISCO}:extensionAttribute${i + 1}`,
  kind: 'string' as const,
  suggested: [`extensionAttribute${i + 1}`],
  notes: `Custom attribute ${i + 1} of 15 (Cisco's extension), for data with no dedicated attribute.`,
}));

export const CLOUD_ATTRIBUTES: readonly CloudAttribute[] = [...BASE, ...EXTENSION_ATTRIBUTES];

const byName = new Map<string, CloudAttribute>();
for (const a of CLOUD_ATTRIBUTES) {
  byName.set(a.name.toLowerCase(), a);
  for (const alias of a.aliases ?? []) byName.set(alias.toLowerCase(), a);
}

/** The catalog entry for a cloud attribute name or alias (case-insensitive), or undefined. */
export function findCloudAttribute(name: string): CloudAttribute | undefined {
  return byName.get(name.toLowerCase());
}

/** Every accepted name (canonical names and aliases), for did-you-mean. */
export function cloudAttributeNames(): string[] {
  return CLOUD_ATTRIBUTES.flatMap((a) => [a.name, ...(a.aliases ?? [])]);
}
