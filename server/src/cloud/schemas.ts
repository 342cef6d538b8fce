/**
 * SCIM 2.0 schema URNs and resource shapes (RFC 7643), with Webex Common Identity's extension.
 * Resources are open objects: servers add attributes we do not model, and we pass them through.
 */

export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  /** Webex: sipAddresses, extensionAttribute1…15, externalAttribute1…15, accountStatus, managedOrgs. */
  webexUser: 'urn:scim:schemas:extension:cisco:webexidentity:2.0:User',
  webexGroup: 'urn:scim:schemas:extension:cisco:webexidentity:2.0:Group',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  bulkRequest: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest',
  bulkResponse: 'urn:ietf:params:scim:api:messages:2.0:BulkResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

export interface ScimMeta {
  readonly resourceType?: string;
  readonly created?: string;
  readonly lastModified?: string;
  readonly location?: string;
  /** The entity tag, e.g. `W/"3"`; send it back in If-Match. */
  readonly version?: string;
}

export interface MultiValued {
  value?: string;
  type?: string;
  display?: string;
  primary?: boolean;
  [k: string]: unknown;
}

export interface ScimName {
  formatted?: string;
  familyName?: string;
  givenName?: string;
  middleName?: string;
  honorificPrefix?: string;
  honorificSuffix?: string;
}

export interface ScimAddress {
  type?: string;
  formatted?: string;
  streetAddress?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  primary?: boolean;
}

export interface EnterpriseUserExtension {
  employeeNumber?: string;
  costCenter?: string;
  organization?: string;
  division?: string;
  department?: string;
  manager?: { value?: string; $ref?: string; displayName?: string };
}

/** Webex's `urn:scim:schemas:extension:cisco:webexidentity:2.0:User`. */
export interface WebexUserExtension {
  /** e.g. `["active"]`; the local cloud adds `"deleted"` for soft-deleted users. */
  accountStatus?: string[];
  sipAddresses?: MultiValued[];
  managedOrgs?: Array<{ orgId?: string; role?: string }>;
  /** `extensionAttribute1` … `extensionAttribute15`: string arrays. */
  [extensionAttribute: `extensionAttribute${number}`]: string[] | undefined;
  /** `externalAttribute1` … `externalAttribute15`. */
  [externalAttribute: `externalAttribute${number}`]: Array<{ source?: string; value?: string }> | undefined;
  [k: string]: unknown;
}

export interface ScimUser {
  schemas: string[];
  id?: string;
  externalId?: string;
  userName: string;
  name?: ScimName;
  displayName?: string;
  nickName?: string;
  title?: string;
  userType?: string;
  preferredLanguage?: string;
  locale?: string;
  timezone?: string;
  active?: boolean;
  emails?: MultiValued[];
  phoneNumbers?: MultiValued[];
  photos?: MultiValued[];
  addresses?: ScimAddress[];
  /** Webex admin roles, e.g. `{ value: 'id_full_admin', type: 'cirole' }`. */
  roles?: MultiValued[];
  groups?: MultiValued[];
  meta?: ScimMeta;
  [SCHEMA.enterpriseUser]?: EnterpriseUserExtension;
  [SCHEMA.webexUser]?: WebexUserExtension;
  [k: string]: unknown;
}

export interface ScimGroupMember {
  value: string;
  /** `User` or `Group` (RFC 7643); Webex writes `user`, `group`, `machine`. */
  type?: string;
  display?: string;
  $ref?: string;
}

export interface ScimGroup {
  schemas: string[];
  id?: string;
  externalId?: string;
  displayName: string;
  members?: ScimGroupMember[];
  meta?: ScimMeta;
  [k: string]: unknown;
}

export interface ScimListResponse<T> {
  schemas: string[];
  totalResults: number;
  itemsPerPage?: number;
  startIndex?: number;
  Resources?: T[];
}

/** RFC 7644 §3.5.2 operation. `path` is text; build it with `scimPath` + `formatPatchPath`. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

/** Webex's admin role values (the `roles` attribute, type `cirole`). */
export const WEBEX_ROLES = {
  fullAdmin: 'id_full_admin',
  userAdmin: 'id_user_admin',
  readonlyAdmin: 'id_readonly_admin',
  deviceAdmin: 'id_device_admin',
  groupAdmin: 'id_group_admin',
} as const;

/** True when the user holds Webex's full administrator role (the sync engine never deletes those). */
export function isFullAdmin(user: { roles?: unknown }): boolean {
  return (
    Array.isArray(user.roles) && user.roles.some((r) => (typeof r === 'string' ? r : (r as MultiValued)?.value) === WEBEX_ROLES.fullAdmin)
  );
}
