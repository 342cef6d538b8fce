/**
 * Discovery endpoints (RFC 7644 §4): ServiceProviderConfig, ResourceTypes, Schemas — what a
 * generic SCIM client reads to learn that this server does PATCH, Bulk (100 operations, 1 MiB),
 * filters, sorting and ETags, and which attributes Users and Groups have.
 */
import { SCHEMA } from '../cloud/schemas';
import type { Json } from './resource';

export const BULK_MAX_OPERATIONS = 100;
export const BULK_MAX_PAYLOAD = 1_048_576;
export const MAX_PAGE_SIZE = 1000;

export function serviceProviderConfig(base: string): Json {
  return {
    schemas: [SCHEMA.serviceProviderConfig],
    patch: { supported: true },
    bulk: { supported: true, maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize: BULK_MAX_PAYLOAD },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'The bearer token the local cloud was started with (DIRSYNC_CLOUD_TOKEN).',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

export function resourceTypes(base: string): Json[] {
  return [
    {
      schemas: [SCHEMA.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: SCHEMA.user,
      schemaExtensions: [
        { schema: SCHEMA.enterpriseUser, required: false },
        { schema: SCHEMA.webexUser, required: false },
      ],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [SCHEMA.resourceType],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Group',
      schema: SCHEMA.group,
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ];
}

type AttrType = 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime' | 'integer';

interface AttrOpts {
  multi?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned?: 'always' | 'default' | 'never' | 'request';
  uniqueness?: 'none' | 'server' | 'global';
  sub?: Json[];
  canonical?: string[];
}

function attr(name: string, type: AttrType, o: AttrOpts = {}): Json {
  const a: Json = {
    name,
    type,
    multiValued: o.multi ?? false,
    required: o.required ?? false,
    caseExact: o.caseExact ?? false,
    mutability: o.mutability ?? 'readWrite',
    returned: o.returned ?? 'default',
    uniqueness: o.uniqueness ?? 'none',
  };
  if (o.sub) a['subAttributes'] = o.sub;
  if (o.canonical) a['canonicalValues'] = o.canonical;
  return a;
}

const multiSub = (types: string[]): Json[] => [
  attr('value', 'string'),
  attr('display', 'string'),
  attr('type', 'string', { canonical: types }),
  attr('primary', 'boolean'),
];

function schemaDoc(base: string, id: string, name: string, description: string, attributes: Json[]): Json {
  return {
    schemas: [SCHEMA.schema],
    id,
    name,
    description,
    attributes,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${id}` },
  };
}

export function schemas(base: string): Json[] {
  return [
    schemaDoc(base, SCHEMA.user, 'User', 'User Account', [
      attr('userName', 'string', { required: true, uniqueness: 'server' }),
      attr('name', 'complex', {
        sub: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map((n) => attr(n, 'string')),
      }),
      attr('displayName', 'string'),
      attr('nickName', 'string'),
      attr('profileUrl', 'reference'),
      attr('title', 'string'),
      attr('userType', 'string'),
      attr('preferredLanguage', 'string'),
      attr('locale', 'string'),
      attr('timezone', 'string'),
      attr('active', 'boolean'),
      attr('emails', 'complex', { multi: true, sub: multiSub(['work', 'home', 'room', 'other']) }),
      attr('phoneNumbers', 'complex', { multi: true, sub: multiSub(['work', 'home', 'mobile', 'fax', 'pager', 'other']) }),
      attr('photos', 'complex', { multi: true, sub: multiSub(['photo', 'thumbnail', 'resizable']) }),
      attr('addresses', 'complex', {
        multi: true,
        sub: ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type']
          .map((n) => attr(n, 'string'))
          .concat([attr('primary', 'boolean')]),
      }),
      attr('groups', 'complex', { multi: true, mutability: 'readOnly', returned: 'request', sub: multiSub(['direct', 'indirect']) }),
      attr('roles', 'complex', { multi: true, sub: multiSub(['cirole']) }),
    ]),
    schemaDoc(base, SCHEMA.group, 'Group', 'Group', [
      attr('displayName', 'string', { required: true }),
      attr('members', 'complex', {
        multi: true,
        sub: [
          attr('value', 'string', { mutability: 'immutable', caseExact: true }),
          attr('display', 'string', { mutability: 'readOnly' }),
          attr('type', 'string', { canonical: ['User', 'Group'] }),
          attr('$ref', 'reference', { mutability: 'immutable' }),
        ],
      }),
    ]),
    schemaDoc(base, SCHEMA.enterpriseUser, 'EnterpriseUser', 'Enterprise User', [
      ...['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((n) => attr(n, 'string')),
      attr('manager', 'complex', {
        sub: [
          attr('value', 'string', { caseExact: true }),
          attr('$ref', 'reference'),
          attr('displayName', 'string', { mutability: 'readOnly' }),
        ],
      }),
    ]),
    schemaDoc(base, SCHEMA.webexUser, 'WebexUser', 'Cisco Webex identity extension', [
      attr('accountStatus', 'string', { multi: true }),
      attr('sipAddresses', 'complex', { multi: true, sub: multiSub(['enterprise', 'cloud-calling', 'personal-room']) }),
      attr('managedOrgs', 'complex', { multi: true, sub: [attr('orgId', 'string', { caseExact: true }), attr('role', 'string')] }),
      ...Array.from({ length: 15 }, (_, i) => attr(`extensionAttribute${i + 1}`, 'string', { multi: true })),
      ...Array.from({ length: 15 }, (_, i) =>
        attr(`externalAttribute${i + 1}`, 'complex', { multi: true, sub: [attr('source', 'string'), attr('value', 'string')] }),
      ),
    ]),
  ];
}
