/**
 * The typed model of a `.dirsync` file: what the language service builds from the text and what
 * the directory reader, the sync engine, the CLI and the extension consume.
 *
 * Every value carries the offsets of the text it came from (`Located`), so that any layer can
 * point back at the config line that caused something (a diagnostic, a report row, a change).
 * Defaults are filled in by the model builder; a consumer never re-derives them.
 *
 * Key names below are the file's key names. The top-level names `directory`, `cloud`, `objects`
 * (`users`, `groups`, `contacts`, `rooms`, each with `filter` and `baseDns`), `attributes`,
 * `avatar` (`source`, `attribute`, `uriPattern`), `policy` (`deleteThreshold`), `schedule` and
 * `notification` are fixed by the product; the rest is documented in README.md § Config reference.
 */

/** Offsets into the document text, end exclusive. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** A value together with the range of its JSON value in the document. */
export interface Located<T> {
  readonly value: T;
  readonly range: TextRange;
}

/**
 * A reference to a secret, never the secret itself: `${env:NAME}` reads the environment,
 * `${secret:KEY}` reads VS Code SecretStorage (in the CLI: the environment variable
 * `DIRSYNC_SECRET_<KEY>`, KEY upper-cased with non-alphanumerics as `_`).
 */
export type SecretRef =
  | { readonly kind: 'env'; readonly name: string; readonly text: string }
  | { readonly kind: 'secret'; readonly key: string; readonly text: string };

export type DirectoryType = 'adds' | 'adlds';

export type DirectorySource =
  | { readonly kind: 'ldap'; readonly secure: boolean; readonly host: string; readonly port: number }
  /** An offline export; `path` is as written, relative to the config file's folder. */
  | { readonly kind: 'ldif'; readonly path: string };

export interface TlsConfig {
  /** PEM file with the CA(s) that sign the DC's certificate; relative to the config file. */
  readonly caFile?: Located<string>;
  /** Upgrade an `ldap://` connection with StartTLS (RFC 4511 §4.14). Default false. */
  readonly startTls: boolean;
  /** Verify the server certificate. Default true; false is allowed but warned about. */
  readonly verify: boolean;
  /** Host name to verify the certificate against, when it differs from the URL's host. */
  readonly serverName?: string;
}

export interface DirectoryConfig {
  /** `adds` (Active Directory Domain Services, default) or `adlds` (Lightweight Directory Services). */
  readonly type: DirectoryType;
  readonly url: Located<string>;
  readonly source: DirectorySource;
  readonly bindDn?: Located<string>;
  readonly password?: Located<SecretRef>;
  readonly tls: TlsConfig;
  /** Default base DNs for every object selection that does not name its own. */
  readonly baseDns: ReadonlyArray<Located<string>>;
  /** Paged-results page size (RFC 2696). Default 1000, AD's MaxPageSize. */
  readonly pageSize: number;
  /** Server-side size limit per search, 0 = none. Default 0. */
  readonly sizeLimit: number;
  /** Server-side time limit per search in seconds, 0 = none. Default 0. */
  readonly timeLimitSeconds: number;
  /** TCP/TLS connect timeout in seconds. Default 10. */
  readonly connectTimeoutSeconds: number;
}

export type CloudType = 'webex' | 'scim';

export interface CloudConfig {
  readonly type: CloudType;
  /** The SCIM base URL with `{orgId}` substituted. Webex default `https://webexapis.com/identity/scim/{orgId}/v2`. */
  readonly url: Located<string>;
  readonly orgId?: Located<string>;
  readonly token?: Located<SecretRef>;
  /** A Webex Service App's credentials, whose access tokens renew (the alternative to `token`). */
  readonly auth?: CloudAuthConfig;
  /** Requests in flight at once. Default 4. */
  readonly concurrency: number;
  /** `count` for list requests. Default 100 (Webex's default). */
  readonly pageSize: number;
  /** Per-request timeout in seconds. Default 30. */
  readonly timeoutSeconds: number;
  /** Retries for 429/423/5xx/resets before an operation fails. Default 6. */
  readonly maxRetries: number;
  /** HTTP(S) proxy for cloud requests (Directory Connector's proxy basic-auth). */
  readonly proxy?: ProxyConfig;
}

/** `cloud.auth`: an OAuth refresh-token grant at `tokenUrl` (default Webex's). */
export interface CloudAuthConfig {
  readonly clientId: Located<SecretRef>;
  readonly clientSecret: Located<SecretRef>;
  readonly refreshToken: Located<SecretRef>;
  /** Default `https://webexapis.com/v1/access_token`. */
  readonly tokenUrl: Located<string>;
}

export interface ProxyConfig {
  readonly url: Located<string>;
  readonly username?: string;
  readonly password?: Located<SecretRef>;
}

export type ObjectKind = 'users' | 'groups' | 'contacts' | 'rooms';

export interface ObjectSelection {
  readonly kind: ObjectKind;
  readonly enabled: boolean;
  /** The selection's own base DNs, or the directory's when it names none. Never empty when enabled. */
  readonly baseDns: ReadonlyArray<Located<string>>;
  /** The RFC 4515 filter text (JSON escapes removed) and the range of its JSON string. */
  readonly filter: Located<string>;
  /** True when the filter is Directory Connector's default for this kind (not written in the file). */
  readonly defaultFilter: boolean;
}

export interface RoomSelection extends ObjectSelection {
  readonly kind: 'rooms';
  /** How a room is told apart from a user: attribute and value. Default msExchResourceMetaData = ResourceType:Room. */
  readonly identifyBy: { readonly attribute: string; readonly value: string };
  /**
   * What a room becomes on a generic SCIM target (`cloud.type: "scim"`), which has no rooms:
   * `users` — a plain core-schema user; `skip` — reported and not sent. Webex ignores it.
   */
  readonly genericTarget: RoomsOnGenericTarget;
}

/** `objects.rooms.genericTarget`: rooms as plain users, or reported and skipped. */
export type RoomsOnGenericTarget = 'users' | 'skip';

export interface ObjectsConfig {
  readonly users: ObjectSelection;
  readonly groups: ObjectSelection;
  readonly contacts: ObjectSelection;
  readonly rooms: RoomSelection;
}

/** One line of `attributes` (or `contactAttributes`): cloud attribute ← AD attribute or expression. */
export interface AttributeMapping {
  /** Cloud attribute name as written (Directory Connector's names: uid, displayName, sipAddresses;type=enterprise, …). */
  readonly cloud: Located<string>;
  /** The attribute expression text (JSON escapes removed); a bare AD attribute name is an expression too. */
  readonly expression: Located<string>;
  /**
   * True for the built-in default mapping used when the file has no `attributes` (or
   * `contactAttributes`) section; its ranges are then zero-length at the start of the file.
   */
  readonly isDefault?: boolean;
}

export type AvatarSource = 'attribute' | 'resourceServer';

export type AvatarCredentials =
  | { readonly type: 'basic'; readonly username: string; readonly password: Located<SecretRef> }
  | { readonly type: 'bearer'; readonly token: Located<SecretRef> };

/**
 * Where avatar bytes read from an AD attribute are published so that Webex, whose SCIM `photos`
 * attribute takes a URL, can read them. Not needed for the local cloud or a generic SCIM target
 * that accepts bytes.
 */
export interface AvatarPublishConfig {
  /** Base URL the images are PUT to; the object name is the image's content hash plus extension. */
  readonly url: Located<string>;
  /** Public base URL Webex reads them from, when it differs from `url`. */
  readonly publicUrl?: Located<string>;
  readonly credentials?: AvatarCredentials;
}

export interface AvatarConfig {
  readonly enabled: boolean;
  readonly source: AvatarSource;
  /** AD attribute holding the image bytes (source `attribute`). Default thumbnailPhoto. */
  readonly attribute?: Located<string>;
  /** URI pattern with `{attr}` / `{attr: regex}` placeholders (source `resourceServer`). */
  readonly uriPattern?: Located<string>;
  readonly credentials?: AvatarCredentials;
  /** The seed's "Remove profile pictures for empty avatar sources". Default false. */
  readonly removeWhenSourceEmpty: boolean;
  /** Largest image accepted, in bytes. Default 10 MB − 1 (Webex app takes < 10 MB). */
  readonly maxBytes: number;
  readonly timeoutSeconds: number;
  readonly concurrency: number;
  readonly publish?: AvatarPublishConfig;
}

export interface DeleteThreshold {
  /** Most deletions a sync may perform; over it nothing is written. */
  readonly count?: number;
  /** Most deletions as a percentage of the cloud objects this config owns. */
  readonly percent?: number;
  /** Explicitly disabled (`"deleteThreshold": "disabled"`): allowed, warned about. */
  readonly disabled: boolean;
  readonly range: TextRange;
}

export type MismatchedPolicy = 'retain' | 'delete';

export interface PolicyConfig {
  /** Required: absent is an error, never a silent default. */
  readonly deleteThreshold?: DeleteThreshold;
  /** What to do with cloud objects that match nothing in AD. Default `retain`. */
  readonly mismatched: MismatchedPolicy;
  readonly protected: {
    /** Never delete or deactivate cloud admins. Default true. */
    readonly admins: boolean;
    /** Cloud userNames that are never deleted (case-insensitive). */
    readonly userNames: ReadonlyArray<Located<string>>;
    /** AD DNs whose cloud objects are never deleted. */
    readonly dns: ReadonlyArray<Located<string>>;
  };
  /**
   * Email domains whose cloud users this config owns (for several domains into one org). Cloud
   * users outside them are never mismatched or deleted by this config. Empty = owns all.
   */
  readonly ownedDomains: ReadonlyArray<Located<string>>;
}

export interface ScheduleConfig {
  /** Whether `dirsync serve` runs syncs on its own. Default true. */
  readonly enabled: boolean;
  /** Incremental sync interval in seconds. Default 4 h (Directory Connector 3.5+). */
  readonly incrementalIntervalSeconds: number;
  /** Full sync interval in seconds, or undefined for none. */
  readonly fullIntervalSeconds?: number;
}

export interface NotificationConfig {
  readonly enabled: boolean;
  readonly recipients: ReadonlyArray<Located<string>>;
  /** Notify only when a sync fails or is refused. Default false. */
  readonly onlyOnFailure: boolean;
  /** The mail server the notifications go through. */
  readonly smtp?: SmtpConfig;
}

/** `notification.smtp`: an SMTP submission server. */
export interface SmtpConfig {
  readonly host: Located<string>;
  /** Default 587 (465 for `security: "tls"`, 25 for `"none"`). */
  readonly port: number;
  /** `starttls` (default: upgrade, and refuse a server that cannot), `tls` (implicit TLS) or `none`. */
  readonly security: 'starttls' | 'tls' | 'none';
  readonly username?: string;
  readonly password?: Located<SecretRef>;
  /** The sender address. */
  readonly from: Located<string>;
  /** PEM file of the CA that signed the server's certificate, relative to the config. */
  readonly caFile?: Located<string>;
}

/** A whole `.dirsync` file with every default filled in. */
export interface DirsyncConfig {
  /** Format version (`version`); only 1 exists. */
  readonly version: number;
  /** Optional label shown in reports and the status bar; defaults to the directory's domain. */
  readonly name?: string;
  readonly directory: DirectoryConfig;
  readonly cloud: CloudConfig;
  readonly objects: ObjectsConfig;
  readonly attributes: ReadonlyArray<AttributeMapping>;
  readonly contactAttributes: ReadonlyArray<AttributeMapping>;
  readonly avatar: AvatarConfig;
  readonly policy: PolicyConfig;
  readonly schedule: ScheduleConfig;
  readonly notification: NotificationConfig;
}
