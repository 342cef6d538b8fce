/**
 * The cloud side: a SCIM 2.0 client for Webex Common Identity and generic RFC 7643/7644 services.
 * Everything the sync engine needs is exported here; import from `cloud/index`.
 */
export { ScimClient, createScimClient, webexScimBaseUrl, type ScimClientOptions, type ScimFlavor } from './client';
export { UsersClient, type Avatar } from './users';
export {
  ContactsClient,
  CONTACT_BASE,
  CONTACT_BULK_MAX,
  CONTACT_SCHEMA,
  CONTACT_SOURCE_CH,
  contactsRootOf,
  describeContact,
  type Contact,
  type ContactBody,
  type ContactBulkResult,
  type ContactSearchOptions,
  type ContactTyped,
} from './contacts';
export { GroupsClient, type MemberListOptions } from './groups';
export type { ListOptions, ListPage, RequestOptions, WriteOptions, CreateOptions, PatchOptions } from './resources';
export { runBulk, chunkBulkOperations, type BulkOperation, type BulkOperationResult, type BulkOptions } from './bulk';
export * from './errors';
export * from './schemas';
export { systemClock, type Clock } from './clock';
export { jsonLinesLogger, silentLogger, MemoryLogger, type CloudLogger, type CloudLogEvent, type LogLevel } from './logger';
export { backoffDelay, parseRetryAfter, DEFAULT_BACKOFF, type BackoffPolicy } from './retry';
export type { TokenSource, TokenProvider, ScimResponse } from './transport';
export {
  OAuthTokenProvider,
  TokenRenewalError,
  WEBEX_TOKEN_URL,
  refreshDueAt,
  refreshTokenWarning,
  parseTokenAnswer,
  type OAuthCredentials,
  type OAuthTokenProviderOptions,
  type RefreshTokenStore,
} from './tokenProvider';
export * from './scimFilter/index';
