/**
 * Every diagnostic code the `.dirsync` language service reports, one line each. Codes are stable:
 * tests and CI scripts match on them, so a code never changes meaning; retired codes stay listed.
 *
 *   DS1xx  structure (JSONC syntax, keys, types, enums, formats)
 *   DS2xx  LDAP filters          — reported by ldapFilter/ (see README § Embedded languages)
 *   DS3xx  attribute expressions — reported by attrExpr/
 *   DS4xx  avatar URI patterns   — reported by avatarUri/
 *   DS5xx  semantic and cross-field checks
 *   DS6xx  live-directory checks (LIVE_CODES below; reported only while the document is bound
 *          to a directory: language/live/diagnostics.ts, with facts the server reads from AD)
 */
import { ATTRIBUTE_EXPRESSION_CODES } from './attrExpr/codes';
import { AVATAR_URI_CODES } from './avatarUri/codes';
import type { Severity } from './diagnostics';
import { LDAP_FILTER_CODES } from './ldapFilter/codes';

export interface CodeInfo {
  readonly code: string;
  readonly severity: Severity;
  readonly description: string;
}

function table(rows: ReadonlyArray<readonly [string, Severity, string]>): Readonly<Record<string, CodeInfo>> {
  const out: Record<string, CodeInfo> = {};
  for (const [code, severity, description] of rows) out[code] = { code, severity, description };
  return out;
}

export const CODES = table([
  // Structure
  ['DS100', 'error', "JSONC syntax error (the parser's message, at the token it stopped on)."],
  ['DS101', 'error', 'Unknown key; a did-you-mean quick fix is offered when a known key is close.'],
  ['DS102', 'error', 'Wrong value type (e.g. a string where an object is expected).'],
  ['DS103', 'error', 'Missing required key; a quick fix inserts it.'],
  ['DS104', 'error', 'Value is not one of the allowed values (enum); did-you-mean quick fix.'],
  ['DS105', 'warning', 'Duplicate key in one object; the last one wins in JSON, which hides the first.'],
  ['DS106', 'error', 'Number out of range, or not an integer where one is required.'],
  ['DS107', 'error', 'Value does not have the required format (URL scheme, duration, secret reference, DN, domain).'],
  ['DS108', 'warning', 'Unknown cloud attribute name in `attributes`/`contactAttributes`; did-you-mean quick fix.'],
  ['DS109', 'error', 'The document is not a JSON object.'],
  ['DS110', 'error', 'Nesting deeper than 64 levels, or a document that could not be analysed: it is not checked further.'],
  // Semantic and cross-field
  ['DS501', 'error', "`uid` is not mapped: it is the only required cloud attribute (Directory Connector's Map User Attributes)."],
  ['DS502', 'warning', '`uid` comes from an attribute that is not in email format (e.g. sAMAccountName).'],
  ['DS503', 'warning', 'The account-disabled state is not mapped: `ds-pwp-account-disabled` ← userAccountControl.'],
  ['DS504', 'error', 'A user filter is placed in `objects.groups.filter` (objectClass=user/person selects users, not groups).'],
  ['DS505', 'error', 'Two mappings write the same cloud attribute (same SCIM path).'],
  ['DS506', 'error', 'Invalid email address in `notification.recipients`.'],
  ['DS507', 'error', 'Literal secret: passwords and tokens must be `${env:NAME}` or `${secret:KEY}` references.'],
  ['DS508', 'error', '`policy.deleteThreshold` is missing: it is required and has no silent default.'],
  ['DS509', 'warning', '`policy.deleteThreshold` is "disabled": a sync may delete any number of cloud objects.'],
  ['DS510', 'warning', 'Certificate verification is off (`directory.tls.verify: false`) on an LDAPS/StartTLS connection.'],
  ['DS511', 'warning', 'A hyphenated attribute reference is unknown but its parts are known: probably `a - b` was meant.'],
  ['DS512', 'warning', 'Rooms are enabled but `sipAddresses;type=enterprise` is not mapped, so rooms are not searchable.'],
  ['DS513', 'warning', 'Avatar source `attribute` without `avatar.attribute`; thumbnailPhoto is assumed.'],
  ['DS514', 'error', 'Avatar source `resourceServer` without `avatar.uriPattern`.'],
  ['DS515', 'error', 'Webex cloud without `cloud.orgId` (needed for the SCIM URL), or a generic SCIM cloud without `cloud.url`.'],
  ['DS516', 'warning', "`directory.pageSize` above 1000 (AD's MaxPageSize): the server caps it."],
  ['DS517', 'information', 'Setting has no effect for this directory source (e.g. bindDn or tls with an `ldif:` URL).'],
  ['DS518', 'warning', 'Avatar attribute is not a binary (photo) attribute.'],
  ['DS519', 'information', 'Attribute is not in the built-in AD schema list (fine for schema extensions; check the spelling).'],
  ['DS520', 'warning', "Mapped AD attribute's syntax does not fit the cloud attribute (binary into text, non-DN into manager, …)."],
  ['DS521', 'error', 'An enabled object selection has no base DNs (neither its own `baseDns` nor `directory.baseDns`).'],
  ['DS522', 'error', 'Not a valid distinguished name (RFC 4514).'],
  ['DS523', 'error', 'Avatars from an AD attribute to Webex need `avatar.publish` (Webex reads photos from a URL).'],
  ['DS524', 'warning', 'Notifications are enabled but there are no recipients.'],
  ['DS525', 'warning', 'Schedule: the full-sync interval is shorter than the incremental interval, or an interval is under 5 minutes.'],
  ['DS526', 'warning', 'A base DN of an object selection is outside every `directory.baseDns`.'],
  ['DS527', 'information', 'Two entries of a list are the same (case-insensitive).'],
  ['DS528', 'warning', 'Plain `ldap://` without StartTLS sends the bind password in clear text.'],
  ['DS529', 'warning', '`preferredLanguage`/`locale` mapped from a constant that is not `xx_YY` or `xx-YY`.'],
  [
    'DS530',
    'error',
    'The URL Webex reads avatars from (`avatar.publish.publicUrl`/`url`, or the resource server without `publish`) is not `https://` (loopback http is allowed for tests).',
  ],
  ['DS531', 'warning', 'Avatar credentials (resource server or publish target) would be sent over plain `http://` to a non-loopback host.'],
  [
    'DS532',
    'information',
    'Webex with a resource server and no `avatar.publish`: Webex reads each picture from the resource server itself, which must be reachable from the internet.',
  ],
  ['DS533', 'warning', '`avatar.maxBytes` above 10 MB − 1: the Webex app takes images under 10 MB.'],
  ['DS534', 'error', '`avatar.publish.url`/`publicUrl` has a query or fragment; object names are appended to its path.'],
  ['DS535', 'warning', 'Notifications are enabled but `notification.smtp` is missing: there is no mail server to send them through.'],
  [
    'DS536',
    'warning',
    '`notification.smtp.security` is "none" to a mail server on another host: the password and the report travel in clear text.',
  ],
  [
    'DS537',
    'warning',
    'A mapping to Cisco\'s Webex extension (`sipAddresses;type=enterprise`, `extensionAttributeN`) with `cloud.type: "scim"`: a generic SCIM target does not get it.',
  ],
  [
    'DS538',
    'information',
    '`objects.rooms.genericTarget` with `cloud.type: "webex"`: it only applies to a generic SCIM target; Webex has rooms of its own.',
  ],
  ['DS539', 'error', 'The cloud has both `cloud.token` and `cloud.auth`, or neither: exactly one says how to authenticate.'],
  [
    'DS540',
    'error',
    '`cloud.auth.tokenUrl` is plain `http://` to another host: the client secret and refresh token would travel in clear text.',
  ],
  [
    'DS541',
    'warning',
    "Avatars on a generic SCIM target without `avatar.publish`: the upload endpoint they would use exists only in dirsync's local cloud.",
  ],
]);

/**
 * Live-directory checks (DS6xx): facts only the bound directory knows. They come and go with the
 * binding; `dirsync check` never reports them (it does not contact the directory).
 */
export const LIVE_CODES = table([
  ['DS601', 'information', 'Live checks are off: the directory could not be bound or stopped answering (the error, on `directory.url`).'],
  ['DS602', 'warning', "Attribute is not in the bound directory's schema (for an LDIF export: no entry of the export has it)."],
  ['DS603', 'error', 'Base DN does not exist in the bound directory.'],
  ['DS604', 'warning', "An enabled selection's filter matches no entry under its base DNs right now."],
  ['DS605', 'warning', "The directory refused or could not finish a selection's search (insufficient access, filter refused, time limit)."],
]);

/** Every code of the service in one table: the above, the live DS6xx, and the embedded languages' DS2xx–DS4xx. */
export const ALL_CODES: Readonly<Record<string, CodeInfo>> = {
  ...CODES,
  ...LIVE_CODES,
  ...Object.fromEntries(
    Object.entries({ ...LDAP_FILTER_CODES, ...ATTRIBUTE_EXPRESSION_CODES, ...AVATAR_URI_CODES }).map(([code, info]) => [
      code,
      { code, severity: info.severity as Severity, description: info.summary },
    ]),
  ),
};

/** The severity a code is reported with. */
export function severityOf(code: string): Severity {
  return ALL_CODES[code]?.severity ?? 'error';
}
