/**
 * The format checks of plain string values (emails, DNs, URLs, durations, secret references …):
 * pure functions of a value, kept across keystrokes by value.
 */
import { checkHttpUrl, isDomain, isEmail, parseDirectoryUrl, parseDuration } from './formats';
import { checkDn } from '../../domain/dn';
import { parseSecretRef } from '../../../../common/secretRef';
import type { StringSpec } from './specTypes';
import { TextMemo } from '../memo';

export type Problem = { readonly code: string; readonly message: string } | undefined;

/**
 * Format checks by value, kept across keystrokes (the long lists of emails and DNs). Worth it
 * because an edited tree keeps its strings from one keystroke to the next (config/treeEdit.ts), and
 * V8 keeps a string's hash with it: looking a kept string up costs less than its regular expression.
 */
const formatMemos = new Map<string, TextMemo<Problem>>();

export function formatProblemOf(format: NonNullable<StringSpec['format']>, value: string, emailCode: string): Problem {
  const key = `${format} ${emailCode}`;
  let memo = formatMemos.get(key);
  if (!memo) formatMemos.set(key, (memo = new TextMemo((v) => formatProblem(format, v, emailCode))));
  return memo.get(value);
}

/** The format check of a plain string value (embedded languages are checked elsewhere). */
function formatProblem(format: StringSpec['format'], value: string, emailCode: string): Problem {
  switch (format) {
    case 'email':
      return isEmail(value) ? undefined : { code: emailCode, message: `\`${value}\` is not a valid email address` };
    case 'directoryUrl': {
      const r = parseDirectoryUrl(value);
      return 'error' in r ? { code: 'DS107', message: `Invalid directory URL: ${r.error}` } : undefined;
    }
    case 'httpUrl': {
      const e = checkHttpUrl(value);
      return e ? { code: 'DS107', message: `Invalid URL: ${e}` } : undefined;
    }
    case 'secretRef': {
      const r = parseSecretRef(value);
      if (r === 'literal')
        return {
          code: 'DS507',
          message: 'Literal secret: write a reference, `${env:NAME}` or `${secret:KEY}`, and keep the secret out of the file',
        };
      return 'error' in r ? { code: 'DS107', message: `Invalid secret reference: ${r.error}` } : undefined;
    }
    case 'duration':
      return parseDuration(value) === undefined
        ? { code: 'DS107', message: 'Invalid duration: expected e.g. `4h`, `30m`, `1h30m`, `7d`' }
        : undefined;
    case 'dn': {
      const e = checkDn(value);
      return e ? { code: 'DS522', message: `Invalid DN: ${e}` } : undefined;
    }
    case 'bindName': {
      // AD binds with a DN, a user principal name or a down-level logon name (DOMAIN\user).
      if (/^[^@\s=,]+@[^@\s=,]+$/.test(value) || /^[^\\\s=,]+\\[^\\\s=,]+$/.test(value)) return undefined;
      const e = checkDn(value);
      return e ? { code: 'DS522', message: `Invalid DN: ${e} (a user principal name like svc@example.com works too)` } : undefined;
    }
    case 'domain':
      return isDomain(value) ? undefined : { code: 'DS107', message: `\`${value}\` is not a DNS domain (e.g. example.com)` };
    case 'adAttribute':
      return /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$/.test(value)
        ? undefined
        : { code: 'DS107', message: `\`${value}\` is not an attribute name` };
    case 'path':
      return value.trim() ? undefined : { code: 'DS107', message: 'Empty path' };
    default:
      // ldapFilter, attrExpr, avatarUri: checked by their grammars (embedded.ts).
      return undefined;
  }
}
