/**
 * Directory Connector's defaults, as the product spec (seed 001, "Choose Active Directory Objects
 * to Synchronize") states them: all users that are not computers, all groups that are not critical
 * system objects. These are real LDAP filters run by the server, never post-filters in memory.
 */
import type { ObjectKind } from '../../../../common/config';

export const DEFAULT_FILTERS: Readonly<Record<ObjectKind, string>> = {
  // Computers are objectClass=user too; objectCategory tells them apart.
  users: '(&(objectCategory=person)(objectClass=user)(!(objectClass=computer)))',
  groups: '(&(objectClass=group)(!(isCriticalSystemObject=TRUE)))',
  // Contacts have objectCategory=person as well; objectClass=contact is what marks them.
  contacts: '(&(objectCategory=person)(objectClass=contact))',
  // Exchange stamps room mailboxes with this value (seed 001, "Synchronize On-Premises Room Information").
  rooms: '(msExchResourceMetaData=ResourceType:Room)',
};

/** Which objects are synchronized when the file does not say (groups are off for new customers, per seed 001). */
export const DEFAULT_ENABLED: Readonly<Record<ObjectKind, boolean>> = {
  users: true,
  groups: false,
  contacts: false,
  rooms: false,
};

export const DEFAULT_ROOM_IDENTITY = { attribute: 'msExchResourceMetaData', value: 'ResourceType:Room' } as const;

/** Rooms on a generic SCIM target: plain users unless the config says `skip`. */
export const DEFAULT_ROOMS_GENERIC_TARGET = 'users';

export const WEBEX_DEFAULT_URL = 'https://webexapis.com/identity/scim/{orgId}/v2';
/** Webex's OAuth token endpoint, where `cloud.auth` renews access tokens. */
export const WEBEX_TOKEN_URL = 'https://webexapis.com/v1/access_token';

/** Directory Connector 3.5 and later: an incremental sync every 4 hours. */
export const DEFAULT_INCREMENTAL_INTERVAL_SECONDS = 4 * 60 * 60;

/** AD's MaxPageSize. */
export const DEFAULT_PAGE_SIZE = 1000;

/** Webex app takes images under 10 MB. */
export const DEFAULT_AVATAR_MAX_BYTES = 10 * 1024 * 1024 - 1;

/** Directory Connector's default user attribute mapping (seed 001, "Active Directory and cloud attributes"). */
export const DEFAULT_USER_ATTRIBUTES: ReadonlyArray<readonly [cloud: string, ad: string]> = [
  ['uid', 'mail'],
  ['displayName', 'displayName'],
  ['givenName', 'givenName'],
  ['sn', 'sn'],
  ['ds-pwp-account-disabled', 'userAccountControl'],
  ['externalId', 'objectGUID'],
];

/** Default contact attribute mapping (Directory Connector's Contact Attribute Mapping presets). */
export const DEFAULT_CONTACT_ATTRIBUTES: ReadonlyArray<readonly [cloud: string, ad: string]> = [
  ['uid', 'mail'],
  ['displayName', 'displayName'],
  ['givenName', 'givenName'],
  ['sn', 'sn'],
  ['externalId', 'objectGUID'],
];

/** Default avatar attribute (source `attribute`). */
export const DEFAULT_AVATAR_ATTRIBUTE = 'thumbnailPhoto';
