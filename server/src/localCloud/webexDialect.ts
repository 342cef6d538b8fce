/**
 * What the local cloud checks and answers when it stands in for Webex (the default dialect), from
 * Webex's published SCIM 2 documents (Users, Groups, Schemas):
 *
 * - a user written with POST or PUT says its `userType` (`user`, `room`, `external_calling`,
 *   `calling_service`); a PATCH cannot set another value;
 * - `emails`, `phoneNumbers`, `photos` and `sipAddresses` types are Webex's enums;
 * - Cisco's extension holds only the attributes its schema lists, and when a POST or PUT writes it,
 *   it says the `accountStatus` (one of Webex's account states);
 * - a filter names only attributes of Webex's filter table, with their operators (else 400
 *   `invalidFilter`): Users `id`, `userName`, `name.*`, `displayName`, `nickName`, `emails.*`,
 *   `phoneNumbers.*` and the enterprise attributes listed there; Groups `id`, `displayName`;
 * - answers carry `userType` and Cisco's extension with `accountStatus` as an array, as Webex's
 *   examples and Schemas document show (a soft-deleted user: `["marked_deleted"]`).
 *
 * The generic dialect (`--dialect scim`) checks none of this: plain RFC 7643/7644.
 */
import { SCHEMA } from '../cloud/schemas';
import type { ScimFilter } from '../cloud/scimFilter/index';
import { badRequest } from './errors';
import type { Json } from './resource';

export type CloudDialect = 'webex' | 'scim';

export const USER_TYPES = ['user', 'room', 'external_calling', 'calling_service'] as const;
/** Account states a client may write (the Users document's AccountStatusObject). */
export const ACCOUNT_STATES = [
  'active',
  'pending',
  'transient',
  'disabled',
  'fraud',
  'fraud_transient',
  'compliance_transient',
  'pending_transient',
] as const;
/** The state of a soft-deleted user (a canonical value of accountStatus in the Schemas document). */
export const WEBEX_SOFT_DELETED = 'marked_deleted';

const TYPE_ENUMS: Record<string, readonly string[]> = {
  emails: ['work', 'home', 'room', 'other'],
  phoneNumbers: ['work', 'home', 'mobile', 'work_extension', 'fax', 'pager', 'other'],
  photos: ['photo', 'thumbnail', 'resizable'],
};

const numbered = (name: string) => Array.from({ length: 15 }, (_, i) => `${name}${i + 1}`);

/** Cisco's User extension, as the Schemas document lists it (lower case). */
const CISCO_USER_ATTRIBUTES = new Set(
  [
    'accountStatus',
    'authProvider',
    'teamsClusterId',
    'isTeamsOnJabberEnabled',
    'isUCCallOnJabberEnabled',
    'mfaEnabled',
    'macAddresses',
    'licenseID',
    'userSettings',
    'userPreferences',
    'sipAddresses',
    'trainSiteNames',
    'managedSites',
    'linkedTrainSiteNames',
    'primaryLinkedTrainSiteName',
    'toBeConverted',
    'managedOrgs',
    'managedGroups',
    'extLinkedAccts',
    'loginIds',
    'avatarSyncEnabled',
    'provisionSource',
    'pronouns',
    'userNameType',
    // Server-set (the Users document's answers carry `meta.organizationId` here).
    'meta',
    ...numbered('extensionAttribute'),
    ...numbered('externalAttribute'),
    ...numbered('crossOrgAttribute'),
  ].map((n) => n.toLowerCase()),
);

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function statesOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/**
 * Checks a user as Webex would (`write`: the body of a POST or PUT; `patch`: the result of a
 * PATCH) and brings it into the shape Webex answers with. Throws 400 naming the attribute.
 */
export function checkWebexUser(doc: Json, mode: 'write' | 'patch'): void {
  const userType = doc['userType'];
  if (userType === undefined && mode === 'write')
    throw badRequest('invalidValue', `'userType' is required (one of ${USER_TYPES.join(', ')})`);
  if (userType !== undefined && !(USER_TYPES as readonly string[]).includes(userType as string))
    throw badRequest('invalidValue', `'userType' ${JSON.stringify(userType)} is not one of ${USER_TYPES.join(', ')}`);
  for (const [attr, allowed] of Object.entries(TYPE_ENUMS)) checkTypes(doc[attr], attr, allowed);
  const cisco = doc[SCHEMA.webexUser];
  if (cisco === undefined) {
    doc[SCHEMA.webexUser] = { accountStatus: ['active'] };
    return;
  }
  if (!isObject(cisco)) throw badRequest('invalidValue', `'${SCHEMA.webexUser}' must be an object`);
  for (const k of Object.keys(cisco)) {
    if (!CISCO_USER_ATTRIBUTES.has(k.toLowerCase())) throw badRequest('invalidValue', `'${k}' is not an attribute of ${SCHEMA.webexUser}`);
  }
  checkTypes(cisco['sipAddresses'], 'sipAddresses', ['enterprise']);
  const states = statesOf(cisco['accountStatus']);
  if (states.length === 0 && mode === 'write')
    throw badRequest('invalidValue', `'${SCHEMA.webexUser}:accountStatus' is required when the extension is written`);
  for (const s of states) {
    if (s !== WEBEX_SOFT_DELETED && !(ACCOUNT_STATES as readonly string[]).includes(s as string))
      throw badRequest('invalidValue', `accountStatus ${JSON.stringify(s)} is not one of ${ACCOUNT_STATES.join(', ')}`);
  }
  cisco['accountStatus'] = states.length > 0 ? states : ['active'];
}

function checkTypes(list: unknown, attr: string, allowed: readonly string[]): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    const t = isObject(item) ? item['type'] : undefined;
    if (t !== undefined && !allowed.includes(t as string))
      throw badRequest('invalidValue', `'${attr}' type ${JSON.stringify(t)} is not one of ${allowed.join(', ')}`);
  }
}

type Ops = readonly string[];
const EQ: Ops = ['eq'];
const EQ_SW: Ops = ['eq', 'sw'];
const EQ_SW_EW: Ops = ['eq', 'sw', 'ew'];

/** The Users `filter` table (attribute path in lower case → operators). */
const USER_FILTERS = new Map<string, Ops>([
  ['id', EQ],
  ['username', EQ_SW_EW],
  ['name.familyname', EQ_SW_EW],
  ['name.givenname', EQ_SW],
  ['name.middlename', EQ_SW],
  ['name.formatted', EQ_SW],
  ['displayname', EQ_SW_EW],
  ['nickname', EQ_SW_EW],
  ['emails.display', EQ_SW_EW],
  ['emails.value', EQ_SW_EW],
  ['emails.type', EQ],
  ['phonenumbers.value', EQ_SW_EW],
  ['phonenumbers.display', EQ_SW_EW],
  ['phonenumbers.type', EQ],
  [`${SCHEMA.enterpriseUser.toLowerCase()}:employeenumber`, EQ_SW_EW],
  [`${SCHEMA.enterpriseUser.toLowerCase()}:costcenter`, EQ_SW_EW],
  [`${SCHEMA.enterpriseUser.toLowerCase()}:organization`, EQ_SW_EW],
  [`${SCHEMA.enterpriseUser.toLowerCase()}:division`, EQ_SW_EW],
  [`${SCHEMA.enterpriseUser.toLowerCase()}:department`, EQ_SW_EW],
  [`${SCHEMA.enterpriseUser.toLowerCase()}:manager.value`, EQ],
  [`${SCHEMA.enterpriseUser.toLowerCase()}:manager.displayname`, EQ_SW_EW],
  [`${SCHEMA.webexUser.toLowerCase()}:meta.organizationid`, EQ],
]);
/** The Groups document shows `displayName` only; `id` as for users. */
const GROUP_FILTERS = new Map<string, Ops>([
  ['id', EQ],
  ['displayname', EQ_SW_EW],
]);

/**
 * Refuses a filter Webex would not take (400 `invalidFilter`): an attribute outside its filter
 * table, an operator the table does not list for it, `pr`, or `not`. Enterprise attributes may
 * be written with or without their schema URN.
 */
export function checkWebexFilter(filter: ScimFilter, resource: 'users' | 'groups'): void {
  const table = resource === 'users' ? USER_FILTERS : GROUP_FILTERS;
  const walk = (f: ScimFilter, prefix?: string): void => {
    switch (f.kind) {
      case 'and':
      case 'or':
        walk(f.left, prefix);
        walk(f.right, prefix);
        return;
      case 'not':
        throw badRequest('invalidFilter', 'Webex filters have no "not"');
      case 'valuePath':
        walk(f.filter, f.path.name);
        return;
      case 'present':
      case 'compare': {
        const name = [prefix, f.path.name, f.path.sub].filter(Boolean).join('.').toLowerCase();
        const key = f.path.uri ? `${f.path.uri.toLowerCase()}:${name}` : name;
        const ops = table.get(key) ?? (f.path.uri ? undefined : table.get(`${SCHEMA.enterpriseUser.toLowerCase()}:${name}`));
        const shown = f.path.uri ? `${f.path.uri}:${name}` : name;
        if (!ops) throw badRequest('invalidFilter', `Webex cannot filter ${resource} on ${shown}`);
        const op = f.kind === 'present' ? 'pr' : f.op;
        if (!ops.includes(op)) throw badRequest('invalidFilter', `Webex filters ${shown} with ${ops.join(', ')} only, not ${op}`);
        return;
      }
    }
  };
  walk(filter);
}
