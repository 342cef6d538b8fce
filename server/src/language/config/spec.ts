/**
 * The `.dirsync` format, key by key. README § Config reference is written from this file, and
 * `server/schemas/dirsync.schema.json` is generated from it (`npm run schema`); a unit test keeps
 * all three in step. Defaults mirror Directory Connector (seed 001) and `defaults.ts`.
 */
import {
  DEFAULT_ENABLED,
  DEFAULT_FILTERS,
  DEFAULT_PAGE_SIZE,
  DEFAULT_ROOM_IDENTITY,
  DEFAULT_ROOMS_GENERIC_TARGET,
  WEBEX_DEFAULT_URL,
  WEBEX_TOKEN_URL,
} from './defaults';
import type { ObjectSpec, Spec, StringSpec } from './specTypes';
import { SECTION_SPECS_B } from './specSections';

const secret = (doc: string): StringSpec => ({ type: 'string', format: 'secretRef', doc, insert: '"\\${env:${1:NAME}}"' });
const dnList = (doc: string): Spec => ({
  type: 'array',
  items: { type: 'string', format: 'dn', doc: 'A distinguished name.' },
  doc,
  insert: '["${1:ou=Users,dc=example,dc=com}"]',
});

const directorySpec: ObjectSpec = {
  type: 'object',
  doc: 'The on-premises directory to read: Active Directory Domain Services or Lightweight Directory Services, over LDAP(S), or an LDIF export for offline work.',
  required: ['url'],
  properties: {
    type: {
      type: 'string',
      enum: ['adds', 'adlds'],
      enumDocs: {
        adds: 'Active Directory Domain Services (a domain controller).',
        adlds:
          'Active Directory Lightweight Directory Services (an application partition). Account state comes from `msDS-UserAccountDisabled`.',
      },
      default: 'adds',
      doc: 'Which kind of directory this is.',
    },
    url: {
      type: 'string',
      format: 'directoryUrl',
      doc: 'Where to read from: `ldaps://dc1.example.com` (port 636), `ldap://dc1.example.com:389` (add `tls.startTls` to encrypt), or `ldif:./export.ldif` for an offline LDIF export, relative to this file.',
      insert: '"${1:ldaps://dc1.example.com}"',
    },
    bindDn: {
      type: 'string',
      format: 'bindName',
      doc: 'The service account to bind as: its DN (`CN=svc-dirsync,OU=Service Accounts,DC=example,DC=com`), its user principal name (`svc-dirsync@example.com`) or `EXAMPLE\\svc-dirsync`, all of which AD takes for a simple bind. Absent: anonymous bind.',
    },
    password: secret(
      'The bind password, as `${env:NAME}` (environment) or `${secret:KEY}` (VS Code SecretStorage; the CLI reads `DIRSYNC_SECRET_<KEY>`). A literal password is an error.',
    ),
    tls: {
      type: 'object',
      doc: 'TLS settings for `ldaps://` and StartTLS.',
      properties: {
        caFile: {
          type: 'string',
          format: 'path',
          doc: "PEM file with the CA certificate(s) that sign the domain controller's certificate, relative to this file. Absent: the system's trusted CAs.",
        },
        startTls: {
          type: 'boolean',
          default: false,
          doc: 'Upgrade an `ldap://` connection with StartTLS (RFC 4511 §4.14) before binding.',
        },
        verify: {
          type: 'boolean',
          default: true,
          doc: 'Verify the server certificate. Turning it off is reported as a warning: anyone on the path can read the bind password.',
        },
        serverName: {
          type: 'string',
          doc: "Host name to verify the certificate against, when it differs from the URL's host (e.g. connecting by IP).",
        },
      },
    },
    baseDns: dnList(
      'Default base DNs (search roots) for every object selection that does not name its own, e.g. `["OU=Staff,DC=example,DC=com"]`.',
    ),
    pageSize: {
      type: 'integer',
      minimum: 1,
      default: DEFAULT_PAGE_SIZE,
      doc: 'Paged-results page size (RFC 2696). AD caps pages at its MaxPageSize (1000); larger values are warned about.',
    },
    sizeLimit: { type: 'integer', minimum: 0, default: 0, doc: 'Most entries one search may return, 0 for no limit.' },
    timeLimitSeconds: { type: 'integer', minimum: 0, default: 0, doc: 'Server-side time limit per search in seconds, 0 for none.' },
    connectTimeoutSeconds: { type: 'integer', minimum: 1, default: 10, doc: 'TCP/TLS connect timeout in seconds.' },
  },
  insert:
    '{\n\t"type": "${1|adds,adlds|}",\n\t"url": "${2:ldaps://dc1.example.com}",\n\t"bindDn": "${3:CN=svc-dirsync,OU=Service Accounts,DC=example,DC=com}",\n\t"password": "\\${env:${4:DIRSYNC_BIND_PASSWORD}}",\n\t"baseDns": ["${5:DC=example,DC=com}"]\n}',
};

const cloudSpec: ObjectSpec = {
  type: 'object',
  doc: 'The cloud identity service to write to: Webex Common Identity, or any SCIM 2.0 service (RFC 7643/7644).',
  properties: {
    type: {
      type: 'string',
      enum: ['webex', 'scim'],
      enumDocs: {
        webex: 'Cisco Webex Common Identity (its SCIM 2.0 API; `orgId` required).',
        scim: 'A generic SCIM 2.0 service at `url` (e.g. the local cloud of `npm run demo`).',
      },
      default: 'webex',
      doc: 'Which cloud.',
    },
    url: {
      type: 'string',
      format: 'httpUrl',
      default: WEBEX_DEFAULT_URL,
      doc: 'SCIM base URL; `{orgId}` is replaced by `orgId`. Required for `type: "scim"`.',
    },
    orgId: { type: 'string', doc: 'The Webex organization ID (Control Hub → Account), substituted for `{orgId}` in `url`.' },
    token: secret(
      'The API access token, as `${env:NAME}` or `${secret:KEY}`. A literal token is an error. It is sent as it is and never renewed: for a long-running service use `auth` instead (one of the two).',
    ),
    auth: {
      type: 'object',
      doc: "A Webex Service App's credentials, instead of `token`: dirsync gets an access token with the refresh token, renews it before it expires (and once when the cloud refuses it), and keeps a new refresh token for the next run in `.dirsync/state/` beside the config (a file only you can read, kept out of Git; used while `refreshToken` still names the token it replaced, so a new token here wins). The client id and secret are the Service App's (developer portal); once a full administrator has authorized the app in Control Hub, the org's first access and refresh token come from the Service App token API. A refresh token lasts 90 days: a warning names the date two weeks before.",
      required: ['clientId', 'clientSecret', 'refreshToken'],
      properties: {
        clientId: secret("The Service App's client id, as `${env:NAME}` or `${secret:KEY}`."),
        clientSecret: secret("The Service App's client secret, as `${env:NAME}` or `${secret:KEY}`. A literal secret is an error."),
        refreshToken: secret(
          'The refresh token of the Service App for this org, as `${env:NAME}` or `${secret:KEY}`. A literal token is an error.',
        ),
        tokenUrl: {
          type: 'string',
          format: 'httpUrl',
          default: WEBEX_TOKEN_URL,
          doc: "The OAuth token endpoint. `https://` only (plain `http://` only to this machine, e.g. the local cloud's `/v1/access_token`).",
        },
      },
      insert:
        '{\n\t"clientId": "\\${env:${1:DIRSYNC_CLIENT_ID}}",\n\t"clientSecret": "\\${env:${2:DIRSYNC_CLIENT_SECRET}}",\n\t"refreshToken": "\\${env:${3:DIRSYNC_REFRESH_TOKEN}}"\n}',
    },
    concurrency: { type: 'integer', minimum: 1, maximum: 64, default: 4, doc: 'SCIM requests in flight at once.' },
    pageSize: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 1000,
      doc: 'Resources per list request (`count`). A cloud that pages by fewer is read by its own page size.',
    },
    timeoutSeconds: { type: 'integer', minimum: 1, default: 30, doc: 'Per-request timeout in seconds.' },
    maxRetries: {
      type: 'integer',
      minimum: 0,
      maximum: 20,
      default: 6,
      doc: 'Retries of a request answered 429/423/5xx or reset, with backoff (honouring Retry-After), before the operation fails.',
    },
    proxy: {
      type: 'object',
      doc: "An HTTP(S) proxy for cloud requests (Directory Connector's proxy basic-auth).",
      properties: {
        url: { type: 'string', format: 'httpUrl', doc: 'Proxy URL, e.g. `http://proxy.example.com:3128`.' },
        username: { type: 'string', doc: 'Proxy user name (Basic).' },
        password: secret('Proxy password, as `${env:NAME}` or `${secret:KEY}`.'),
      },
      required: ['url'],
    },
  },
  insert: '{\n\t"type": "webex",\n\t"orgId": "${1:your-org-id}",\n\t"token": "\\${env:${2:DIRSYNC_CLOUD_TOKEN}}"\n}',
};

function selectionSpec(kind: 'users' | 'groups' | 'contacts' | 'rooms', what: string): ObjectSpec {
  const properties: Record<string, Spec> = {
    enabled: { type: 'boolean', default: DEFAULT_ENABLED[kind], doc: `Synchronize ${what}.` },
    baseDns: dnList(`Base DNs to search for ${what}. Absent: \`directory.baseDns\`.`),
    filter: {
      type: 'string',
      format: 'ldapFilter',
      defaultText: `\`${DEFAULT_FILTERS[kind]}\``,
      doc: `LDAP filter (RFC 4515) selecting ${what}; the server runs it. Absent: Directory Connector's default, \`${DEFAULT_FILTERS[kind]}\`.`,
    },
  };
  if (kind === 'rooms') {
    properties['identifyBy'] = {
      type: 'object',
      doc: 'How a room is told apart from a user (Directory Connector\'s "Identify Room"): an entry whose `attribute` has `value` is a room.',
      properties: {
        attribute: { type: 'string', format: 'adAttribute', default: DEFAULT_ROOM_IDENTITY.attribute, doc: 'AD attribute to test.' },
        value: { type: 'string', default: DEFAULT_ROOM_IDENTITY.value, doc: 'Value that marks a room (case-insensitive).' },
      },
    };
    properties['genericTarget'] = {
      type: 'string',
      enum: ['users', 'skip'],
      enumDocs: {
        users:
          "Each room is a plain user of the core schema (no `userType`, nothing of Cisco's Webex extension), always active and kept up to date like any user.",
        skip: 'Rooms are not sent: each one is reported as skipped with the reason, and a room already in the cloud is left as it is.',
      },
      default: DEFAULT_ROOMS_GENERIC_TARGET,
      doc: 'What a room becomes on a generic SCIM target (`cloud.type: "scim"`), which has no rooms of its own. Webex has rooms: there this setting has no effect.',
    };
  }
  return {
    type: 'object',
    doc: `Which ${what} to synchronize.`,
    properties,
    insert: `{\n\t"enabled": true,\n\t"baseDns": ["\${1:OU=${kind === 'rooms' ? 'Rooms' : 'Staff'},DC=example,DC=com}"],\n\t"filter": "\${2:${DEFAULT_FILTERS[kind]}}"\n}`,
  };
}

const objectsSpec: ObjectSpec = {
  type: 'object',
  doc: "Which directory objects to synchronize (Directory Connector's Object Selection). Defaults: users on, groups, contacts and rooms off.",
  properties: {
    users: selectionSpec('users', 'users'),
    groups: selectionSpec('groups', 'groups (only groups: never put a user sync LDAP filter here)'),
    contacts: selectionSpec('contacts', 'contacts'),
    rooms: selectionSpec('rooms', 'rooms (room mailboxes, synchronized with their SIP address)'),
  },
};

function mappingSpec(doc: string): ObjectSpec {
  return {
    type: 'object',
    doc,
    keyKind: 'cloudAttribute',
    properties: {},
    additional: {
      type: 'string',
      format: 'attrExpr',
      doc: 'An AD attribute name or an attribute expression (`"a" + b`, `a % "@"`, `a - "@"`, `a | b`).',
    },
    insert:
      '{\n\t"uid": "${1:mail}",\n\t"displayName": "displayName",\n\t"givenName": "givenName",\n\t"sn": "sn",\n\t"ds-pwp-account-disabled": "userAccountControl",\n\t"externalId": "objectGUID"\n}',
  };
}

/** The whole file. */
export const CONFIG_SPEC: ObjectSpec = {
  type: 'object',
  doc: 'A `.dirsync` file: one AD domain bound to one cloud organization.',
  required: ['directory', 'cloud'],
  properties: {
    $schema: { type: 'string', doc: 'JSON Schema for other editors; dirsync ignores it.' },
    version: { type: 'integer', minimum: 1, maximum: 1, default: 1, doc: 'Format version. Only 1 exists.' },
    name: { type: 'string', doc: "A label for reports and the status bar. Absent: the directory's domain." },
    directory: directorySpec,
    cloud: cloudSpec,
    objects: objectsSpec,
    attributes: mappingSpec(
      "User attribute mapping: cloud attribute name → AD attribute name or attribute expression (Directory Connector's User Attribute Mapping). When present it is the whole mapping; absent: uid←mail, displayName, givenName, sn, ds-pwp-account-disabled←userAccountControl, externalId←objectGUID.",
    ),
    contactAttributes: mappingSpec(
      "Contact attribute mapping, the same way as `attributes` (Directory Connector's Contact Attribute Mapping). On Webex, contacts become org contacts: uid is the contact's email (how it is matched), and displayName, givenName, sn, title, o, telephoneNumber, mobile, facsimileTelephoneNumber, sipAddresses;type=enterprise, xmpp, street, l, postalCode and c fill its fields; other attributes are not sent. Absent: uid←mail, displayName, givenName, sn, externalId←objectGUID.",
    ),
    ...SECTION_SPECS_B,
  },
};
