/**
 * What the editor knows about Active Directory's extensible-match rules (MS-ADTS §3.1.1.3.4.4)
 * and the userAccountControl / groupType / sAMAccountType values people filter on, for hover,
 * completion and the evaluator.
 */

/** How a matching rule reads its assertion value. */
export type MatchingRuleKind = 'bitAnd' | 'bitOr' | 'inChain' | 'dnWithData';

export interface MatchingRuleInfo {
  readonly oid: string;
  /** Microsoft's capability name, e.g. LDAP_MATCHING_RULE_BIT_AND. */
  readonly name: string;
  /** Other names people use for it (MS-ADTS calls 1941 TRANSITIVE_EVAL, the SDK IN_CHAIN). */
  readonly aliases: readonly string[];
  readonly kind: MatchingRuleKind;
  /** One line for completion lists. */
  readonly summary: string;
  /** A short paragraph for hover. */
  readonly documentation: string;
  /** What the value must be, for messages. */
  readonly valueSyntax: string;
  /** Oldest Windows Server whose DCs support it. */
  readonly since: string;
  readonly examples: ReadonlyArray<{ readonly filter: string; readonly meaning: string }>;
}

export const MATCHING_RULES: readonly MatchingRuleInfo[] = [
  {
    oid: '1.2.840.113556.1.4.803',
    name: 'LDAP_MATCHING_RULE_BIT_AND',
    aliases: [],
    kind: 'bitAnd',
    summary: 'Bitwise AND: true when every bit of the value is set in the attribute.',
    documentation:
      'Matches when (attribute & value) == value, so the value is usually one flag or a sum of flags. ' +
      'Integer attributes are 32-bit in AD and may be stored negative (groupType); both forms match.',
    valueSyntax: 'a decimal integer (a flag or a sum of flags)',
    since: 'Windows 2000',
    examples: [
      { filter: '(userAccountControl:1.2.840.113556.1.4.803:=2)', meaning: 'disabled accounts (ACCOUNTDISABLE)' },
      { filter: '(!(userAccountControl:1.2.840.113556.1.4.803:=2))', meaning: 'enabled accounts' },
      { filter: '(groupType:1.2.840.113556.1.4.803:=2147483648)', meaning: 'security groups' },
      { filter: '(userAccountControl:1.2.840.113556.1.4.803:=65536)', meaning: 'passwords that never expire' },
    ],
  },
  {
    oid: '1.2.840.113556.1.4.804',
    name: 'LDAP_MATCHING_RULE_BIT_OR',
    aliases: [],
    kind: 'bitOr',
    summary: 'Bitwise OR: true when any bit of the value is set in the attribute.',
    documentation: 'Matches when (attribute & value) != 0: at least one of the flags in the value is set.',
    valueSyntax: 'a decimal integer (a sum of flags)',
    since: 'Windows 2000',
    examples: [
      { filter: '(groupType:1.2.840.113556.1.4.804:=10)', meaning: 'global or universal groups (2 + 8)' },
      {
        filter: '(userAccountControl:1.2.840.113556.1.4.804:=6144)',
        meaning: 'computer or domain controller trust accounts (4096 + 8192)',
      },
    ],
  },
  {
    oid: '1.2.840.113556.1.4.1941',
    name: 'LDAP_MATCHING_RULE_IN_CHAIN',
    aliases: ['LDAP_MATCHING_RULE_TRANSITIVE_EVAL'],
    kind: 'inChain',
    summary: 'In chain: follows a DN-valued attribute transitively (nested group membership).',
    documentation:
      'Walks the chain of a link attribute (memberOf, member, manager, …) through every level until it ' +
      'reaches the DN in the value. Typical: users who are members of a group directly or through nested groups. ' +
      'Expensive on large directories; scope the base DN.',
    valueSyntax: 'a distinguished name',
    since: 'Windows Server 2008',
    examples: [
      {
        filter: '(memberOf:1.2.840.113556.1.4.1941:=CN=Sales,OU=Groups,DC=corp,DC=example,DC=com)',
        meaning: 'members of Sales, also through nested groups',
      },
      {
        filter: '(manager:1.2.840.113556.1.4.1941:=CN=Ada Lovelace,OU=People,DC=corp,DC=example,DC=com)',
        meaning: 'everyone in Ada Lovelace’s reporting line',
      },
    ],
  },
  {
    oid: '1.2.840.113556.1.4.2253',
    name: 'LDAP_MATCHING_RULE_DN_WITH_DATA',
    aliases: ['LDAP_MATCHING_RULE_DN_BINARY_COMPLEX'],
    kind: 'dnWithData',
    summary: 'DN with data: matches the DN and a data prefix of DN-Binary / DN-String values.',
    documentation:
      'For attributes of syntax Object(DN-Binary) (B:count:hex:DN) or Object(DN-String) (S:count:text:DN): ' +
      'true when a value has the DN of the assertion and its data starts with the assertion’s data.',
    valueSyntax: 'B:<count>:<hex>:<DN> or S:<count>:<text>:<DN>',
    since: 'Windows Server 2012 R2',
    examples: [
      {
        filter: '(msDS-KeyCredentialLink:1.2.840.113556.1.4.2253:=B:0::CN=Ada Lovelace,OU=People,DC=corp,DC=example,DC=com)',
        meaning: 'key credentials linked to Ada Lovelace’s account',
      },
    ],
  },
];

/** Looks a rule up by OID or by any of its names (case-insensitive). */
export function findMatchingRule(oidOrName: string): MatchingRuleInfo | undefined {
  const key = oidOrName.toLowerCase();
  return MATCHING_RULES.find((r) => r.oid === key || r.name.toLowerCase() === key || r.aliases.some((a) => a.toLowerCase() === key));
}

/** One named flag of an integer attribute. */
export interface FlagInfo {
  readonly name: string;
  readonly value: number;
  readonly meaning: string;
}

/** userAccountControl flags (MS-ADTS §2.2.16) worth showing on hover. */
export const USER_ACCOUNT_CONTROL_FLAGS: readonly FlagInfo[] = [
  { name: 'SCRIPT', value: 0x1, meaning: 'logon script runs' },
  { name: 'ACCOUNTDISABLE', value: 0x2, meaning: 'the account is disabled' },
  { name: 'HOMEDIR_REQUIRED', value: 0x8, meaning: 'a home folder is required' },
  { name: 'LOCKOUT', value: 0x10, meaning: 'locked out (not maintained by AD; use lockoutTime)' },
  { name: 'PASSWD_NOTREQD', value: 0x20, meaning: 'no password required' },
  { name: 'PASSWD_CANT_CHANGE', value: 0x40, meaning: 'the user cannot change the password' },
  { name: 'ENCRYPTED_TEXT_PWD_ALLOWED', value: 0x80, meaning: 'reversible password encryption' },
  { name: 'TEMP_DUPLICATE_ACCOUNT', value: 0x100, meaning: 'local account for a user in another domain' },
  { name: 'NORMAL_ACCOUNT', value: 0x200, meaning: 'a normal user account' },
  { name: 'INTERDOMAIN_TRUST_ACCOUNT', value: 0x800, meaning: 'trust account for a trusting domain' },
  { name: 'WORKSTATION_TRUST_ACCOUNT', value: 0x1000, meaning: 'a computer account' },
  { name: 'SERVER_TRUST_ACCOUNT', value: 0x2000, meaning: 'a domain controller account' },
  { name: 'DONT_EXPIRE_PASSWORD', value: 0x10000, meaning: 'the password never expires' },
  { name: 'MNS_LOGON_ACCOUNT', value: 0x20000, meaning: 'majority node set logon account' },
  { name: 'SMARTCARD_REQUIRED', value: 0x40000, meaning: 'smart card required for logon' },
  { name: 'TRUSTED_FOR_DELEGATION', value: 0x80000, meaning: 'trusted for Kerberos delegation' },
  { name: 'NOT_DELEGATED', value: 0x100000, meaning: 'sensitive, cannot be delegated' },
  { name: 'USE_DES_KEY_ONLY', value: 0x200000, meaning: 'DES keys only' },
  { name: 'DONT_REQ_PREAUTH', value: 0x400000, meaning: 'no Kerberos pre-authentication' },
  { name: 'PASSWORD_EXPIRED', value: 0x800000, meaning: 'the password has expired' },
  { name: 'TRUSTED_TO_AUTH_FOR_DELEGATION', value: 0x1000000, meaning: 'trusted to authenticate for delegation' },
  { name: 'PARTIAL_SECRETS_ACCOUNT', value: 0x4000000, meaning: 'a read-only domain controller account' },
];

/** groupType flags (MS-ADTS §2.2.12). */
export const GROUP_TYPE_FLAGS: readonly FlagInfo[] = [
  { name: 'BUILTIN_LOCAL_GROUP', value: 0x1, meaning: 'a builtin group' },
  { name: 'ACCOUNT_GROUP', value: 0x2, meaning: 'a global group' },
  { name: 'RESOURCE_GROUP', value: 0x4, meaning: 'a domain local group' },
  { name: 'UNIVERSAL_GROUP', value: 0x8, meaning: 'a universal group' },
  { name: 'APP_BASIC_GROUP', value: 0x10, meaning: 'an application basic group' },
  { name: 'APP_QUERY_GROUP', value: 0x20, meaning: 'an application query group' },
  { name: 'SECURITY_ENABLED', value: 0x80000000, meaning: 'a security group (without it: distribution)' },
];

/** sAMAccountType values (MS-ADTS §2.2.15); equality, not bit flags. */
export const SAM_ACCOUNT_TYPES: readonly FlagInfo[] = [
  { name: 'SAM_DOMAIN_OBJECT', value: 0x0, meaning: 'the domain object' },
  { name: 'SAM_GROUP_OBJECT', value: 0x10000000, meaning: 'a global security group' },
  { name: 'SAM_NON_SECURITY_GROUP_OBJECT', value: 0x10000001, meaning: 'a global distribution group' },
  { name: 'SAM_ALIAS_OBJECT', value: 0x20000000, meaning: 'a domain local security group' },
  { name: 'SAM_NON_SECURITY_ALIAS_OBJECT', value: 0x20000001, meaning: 'a domain local distribution group' },
  { name: 'SAM_USER_OBJECT', value: 0x30000000, meaning: 'a user account (805306368)' },
  { name: 'SAM_MACHINE_ACCOUNT', value: 0x30000001, meaning: 'a computer account' },
  { name: 'SAM_TRUST_ACCOUNT', value: 0x30000002, meaning: 'an interdomain trust account' },
  { name: 'SAM_APP_BASIC_GROUP', value: 0x40000000, meaning: 'an application basic group' },
  { name: 'SAM_APP_QUERY_GROUP', value: 0x40000001, meaning: 'an application query group' },
];

/** Integer attributes whose values are flag sets, by lower-case name. */
const FLAG_ATTRIBUTES: Readonly<Record<string, readonly FlagInfo[]>> = {
  useraccountcontrol: USER_ACCOUNT_CONTROL_FLAGS,
  'msds-user-account-control-computed': USER_ACCOUNT_CONTROL_FLAGS,
  grouptype: GROUP_TYPE_FLAGS,
};

/**
 * Explains an integer value of a flag attribute for hover, e.g. userAccountControl 514 →
 * ACCOUNTDISABLE | NORMAL_ACCOUNT. sAMAccountType values are named, not split. Undefined when the
 * attribute is not one we know or the value is not an integer.
 */
export function describeFlags(attribute: string, value: string): { flags: readonly FlagInfo[]; unknownBits: number } | undefined {
  if (!/^[+-]?\d+$/.test(value.trim())) return undefined;
  const n = Number(BigInt.asUintN(32, BigInt(value.trim())));
  const name = attribute.toLowerCase();
  if (name === 'samaccounttype') {
    const t = SAM_ACCOUNT_TYPES.find((f) => f.value === n);
    return t ? { flags: [t], unknownBits: 0 } : { flags: [], unknownBits: n };
  }
  const table = FLAG_ATTRIBUTES[name];
  if (!table) return undefined;
  const flags = table.filter((f) => f.value !== 0 && (n & f.value) >>> 0 === f.value);
  const known = flags.reduce((acc, f) => (acc | f.value) >>> 0, 0);
  return { flags, unknownBits: (n & ~known) >>> 0 };
}

/** A rule as completion and hover show it: its names and one Markdown description. */
export interface MatchingRuleDoc {
  readonly oid: string;
  /** Short name, e.g. LDAP_MATCHING_RULE_BIT_AND. */
  readonly name: string;
  /** Other names, for filtering completion by what people call it (IN_CHAIN, TRANSITIVE_EVAL). */
  readonly aliases: readonly string[];
  /** Markdown. */
  readonly description: string;
}

const RULE_DOCS: readonly MatchingRuleDoc[] = MATCHING_RULES.map((r) => ({
  oid: r.oid,
  name: r.name,
  aliases: r.aliases,
  description: [
    r.summary,
    '',
    r.documentation,
    '',
    `Value: ${r.valueSyntax}. Since ${r.since}.`,
    ...(r.examples.length ? ['', ...r.examples.map((e) => `- \`${e.filter}\`: ${e.meaning}`)] : []),
  ].join('\n'),
}));

/** Every rule, for completion and hover inside LDAP filters (`(attr:OID:=value)`). */
export function matchingRules(): readonly MatchingRuleDoc[] {
  return RULE_DOCS;
}
