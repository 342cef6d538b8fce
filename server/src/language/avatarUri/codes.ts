/**
 * Diagnostic codes of avatar URI patterns (DS4xx). Codes are stable; wording may change.
 */
import type { DiagnosticCodeInfo } from '../problems';

export const AVATAR_URI_CODES = {
  DS401: { severity: 'error', summary: 'Syntax error in an avatar URI pattern.' },
  DS402: { severity: 'error', summary: 'Unclosed placeholder: a "{" has no matching "}".' },
  DS403: { severity: 'error', summary: 'Unmatched "}" in the URL (write %7D for a literal brace).' },
  DS404: { severity: 'error', summary: 'Bad placeholder: expected {attribute} or {attribute: regex}.' },
  DS405: { severity: 'error', summary: 'The URL must start with http:// or https://.' },
  DS406: { severity: 'error', summary: 'A character that must be percent-encoded in a URL (space, ", <, >, \\, ^, `, |).' },
  DS407: { severity: 'error', summary: 'Not a valid URL once placeholders are filled in.' },
  DS408: { severity: 'warning', summary: 'A placeholder in the host name: directory data chooses the server avatars are fetched from.' },
  DS409: { severity: 'warning', summary: 'No placeholder: every user would get the same avatar.' },
  DS410: { severity: 'error', summary: '.NET regular-expression construct that JavaScript cannot run.' },
  DS411: { severity: 'error', summary: 'Invalid regular expression.' },
  DS412: { severity: 'hint', summary: 'Empty regex after ":": the whole attribute value is used.' },
} as const satisfies Record<string, DiagnosticCodeInfo>;

export type AvatarUriCode = keyof typeof AVATAR_URI_CODES;
