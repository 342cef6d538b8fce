/**
 * The benchmarks' big config (language.bench.ts in process, lsp.bench.ts over the wire): a clean
 * 5,000-line config — no diagnostic at all (test/unit/language/bigConfig.test.ts) — whose DNs are
 * all under the directory's base, with full mappings, filters, published avatars, a mail server and
 * long protection lists.
 */
/** A big but realistic config: full mappings, filters, and long protected/recipient lists. */
export function bigConfig(lines: number): string {
  const out: string[] = [
    '// Generated for the benchmark: one domain, long protection lists.',
    '{',
    '  "name": "bench.example.com",',
    '  "directory": {',
    '    "url": "ldaps://dc1.bench.example.com",',
    '    "bindDn": "CN=svc-dirsync,OU=Service Accounts,DC=bench,DC=example,DC=com",',
    '    "password": "${env:DIRSYNC_BIND_PASSWORD}",',
    '    "baseDns": ["DC=bench,DC=example,DC=com"]',
    '  },',
    '  "cloud": { "type": "webex", "orgId": "bench-org", "token": "${env:DIRSYNC_CLOUD_TOKEN}" },',
    '  "objects": {',
    '    "users": { "enabled": true, "filter": "(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2))(memberOf=CN=Webex,OU=Groups,DC=bench,DC=example,DC=com))" },',
    '    "groups": { "enabled": true, "filter": "(&(objectClass=group)(cn=Webex-*))" },',
    '    "contacts": { "enabled": true, "filter": "(&(objectClass=contact)(mail=*))" },',
    '    "rooms": { "enabled": true }',
    '  },',
    '  "attributes": {',
    '    "uid": "mail",',
    '    "emails;type-work": "userPrincipalName",',
    '    "displayName": "displayName | givenName + \\" \\" + sn",',
    '    "givenName": "givenName",',
    '    "sn": "sn",',
    '    "title": "title",',
    '    "departmentNumber": "department",',
    '    "manager": "manager",',
    '    "telephoneNumber": "telephoneNumber",',
    '    "mobile": "mobile",',
    '    "l": "l",',
    '    "c": "c",',
    '    "preferredLanguage": "preferredLanguage | \\"en_US\\"",',
    '    "ds-pwp-account-disabled": "userAccountControl",',
    '    "sipAddresses;type=enterprise": "msRTCSIP-PrimaryUserAddress | ipPhone",',
    '    "extensionAttribute1": "mail % \\"@\\"",',
    '    "extensionAttribute2": "mail - \\"@\\"",',
    '    "externalId": "objectGUID"',
    '  },',
    // Published (DS532 otherwise: Webex would read each picture from the resource server itself).
    '  "avatar": { "enabled": true, "source": "resourceServer", "uriPattern": "https://www.example.com/dir/photo/zoom/{mail: .*?(?=@.*)}.jpg", "publish": { "url": "https://avatars.bench.example.com/dirsync/" } },',
    '  "policy": {',
    '    "deleteThreshold": { "count": 500, "percent": 5 },',
    '    "protected": {',
    '      "admins": true,',
  ];
  // With its mail server (DS535 otherwise: notifications enabled and nowhere to send them).
  const tail = [
    '      ]',
    '    }',
    '  },',
    '  "notification": { "enabled": true, "recipients": ["ops@bench.example.com"], "smtp": { "host": "smtp.bench.example.com", "from": "dirsync@bench.example.com" } }',
    '}',
  ];
  const remaining = lines - out.length - tail.length - 3;
  const half = Math.floor(remaining / 2);
  out.push('      "userNames": [');
  for (let i = 0; i < half; i++) out.push(`        "user${i}@bench.example.com"${i < half - 1 ? ',' : ''}`);
  out.push('      ],', '      "dns": [');
  const rest = remaining - half;
  for (let i = 0; i < rest; i++)
    out.push(`        "CN=User ${i},OU=Team ${i % 40},OU=Staff,DC=bench,DC=example,DC=com"${i < rest - 1 ? ',' : ''}`);
  out.push(...tail);
  return out.join('\n');
}
