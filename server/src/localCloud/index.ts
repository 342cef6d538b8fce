/**
 * The local cloud: a Webex-compatible SCIM 2.0 server with a SQLite store, admin API and fault
 * injection. `dirsync cloud` runs it in the foreground; tests start it in process.
 */
export { startLocalCloud, type LocalCloud, type LocalCloudOptions } from './server';
export { LocalCloudAdmin, type RequestRecord, type CloudStats } from './admin';
export { FaultInjector, validateFaultRule, type FaultRule, type FaultState } from './faults';
export { TOKEN_PATH, type LocalOAuthOptions, type TokenStats } from './oauth';
