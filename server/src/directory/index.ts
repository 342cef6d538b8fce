/** The directory side: sources (LDAP, LDIF), errors, DN and AD value helpers. */
export type { DirectorySource, SearchRequest, SearchStream, SearchSummary, RootDseInfo, SearchScope } from './types';
export { DirectoryError, type DirectoryErrorCode, decodeAdBindData } from './errors';
export { openDirectory, selectionSearch, readEntry, type OpenDirectoryOptions } from './open';
export { LdapSource, type LdapSourceOptions } from './ldapSource';
export { escapeFilterValue } from '../domain/filterValue';
export { LdifSource, recordToEntry } from './ldifSource';
export { parseLdif, readLdifFile, LdifParser, type LdifEntryRecord, type LdifValue } from './ldif';
export { formatLdifRecord, formatLdifLine, LDIF_HEADER, type LdifRecord } from './ldifWriter';
export { extendedDn, describeEntry } from './describe';
export { isAccountDisabled, accountStateAttributes } from '../domain/accountState';
export { normalizeDn, dnEquals as sameDn, isUnder } from '../domain/dn';
