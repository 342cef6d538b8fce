/**
 * Diagnostic codes of the LDAP filter language (DS2xx). Codes are stable: tests and users key on
 * them; the wording of messages may change.
 */
import type { DiagnosticCodeInfo } from '../problems';

export const LDAP_FILTER_CODES = {
  DS201: { severity: 'error', summary: 'Syntax error in an LDAP filter (RFC 4515).' },
  DS202: { severity: 'error', summary: 'Text after the end of the filter (the outermost ")" already closed it).' },
  DS203: { severity: 'error', summary: 'Bad escape: "\\" must be followed by two hex digits (\\2a, \\28, \\29, \\5c, \\00).' },
  DS204: { severity: 'warning', summary: 'Unknown matching rule: Active Directory answers such a filter with an error or no entries.' },
  DS205: { severity: 'error', summary: 'Unescaped special character "(", ")" or "*" in a value; write \\28, \\29 or \\2a.' },
  DS206: { severity: 'error', summary: 'Unclosed parenthesis: a "(" has no matching ")".' },
  DS207: { severity: 'hint', summary: 'Empty (&) or (|): absolute true or false (RFC 4526); allowed, but rarely meant.' },
  DS208: { severity: 'warning', summary: 'A bitwise matching rule (803/804) needs a decimal integer value.' },
  DS209: { severity: 'error', summary: 'Whitespace where RFC 4515 does not allow it (filters are whitespace-sensitive).' },
  DS210: { severity: 'error', summary: 'The filter is not enclosed in parentheses.' },
  DS211: { severity: 'warning', summary: 'Empty substring between two "*" (write \\2a for a literal asterisk).' },
  DS212: {
    severity: 'error',
    summary: 'Invalid attribute description: names start with a letter and hold letters, digits and "-", or are numeric OIDs.',
  },
  DS213: { severity: 'warning', summary: 'The value of a DN matching rule (in-chain, DN-with-data) is not a distinguished name.' },
  DS214: { severity: 'error', summary: 'Empty filter.' },
  DS215: { severity: 'warning', summary: 'Wildcard on a distinguished-name attribute: Active Directory does not match substrings of DNs.' },
  DS216: {
    severity: 'warning',
    summary: 'objectGUID compared with GUID text: Active Directory compares the 16 bytes, written as \\XX escapes.',
  },
  DS217: { severity: 'hint', summary: 'The value starts or ends with a space, which is part of the value in RFC 4515.' },
  DS218: { severity: 'error', summary: 'Filter nesting deeper than 64 levels: the filter is not checked further.' },
} as const satisfies Record<string, DiagnosticCodeInfo>;

export type LdapFilterCode = keyof typeof LDAP_FILTER_CODES;
