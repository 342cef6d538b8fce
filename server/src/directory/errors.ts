/**
 * One error type for everything that can go wrong reading a directory, with a stable code and a
 * message that says what failed, where (URL, bind DN, base DN, file:line) and what to check. A
 * message never contains the password: it is never put in, and the text a server or library
 * sends back is redacted (`redactSecrets`) before it is quoted, should it ever echo it; so is the
 * cause a DirectoryError keeps, when its text holds the password (`toDirectoryError`).
 */

export type DirectoryErrorCode =
  | 'unreachable'
  | 'timeout'
  | 'invalidCredentials'
  | 'accountRestricted'
  | 'tlsUntrusted'
  | 'tlsHostMismatch'
  | 'tlsHandshake'
  | 'strongAuthRequired'
  | 'noSuchBase'
  | 'connectionLost'
  | 'sizeLimitExceeded'
  | 'timeLimitExceeded'
  | 'referral'
  | 'insufficientAccess'
  | 'invalidFilter'
  | 'aborted'
  | 'server'
  | 'ldifSyntax'
  | 'fileNotFound'
  | 'config';

export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';
  constructor(
    readonly code: DirectoryErrorCode,
    message: string,
    /** Where it happened: the URL or the LDIF file. */
    readonly location: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * AD's sub-codes of invalidCredentials (49), the `data XXX` part of "AcceptSecurityContext error,
 * data 52e" (MS-ADTS / Win32 error codes).
 */
export const AD_BIND_DATA_CODES: Readonly<Record<string, string>> = {
  '525': 'the user (bind DN) does not exist',
  '52e': 'the password is wrong or the bind DN is unknown',
  '530': 'the account may not log on at this time',
  '531': 'the account may not log on from this workstation',
  '532': 'the password has expired',
  '533': 'the account is disabled',
  '568': 'too many security IDs (group memberships) in the token',
  '701': 'the account has expired',
  '773': 'the password must be changed before the first logon',
  '775': 'the account is locked out',
};

/** The decoded `data XXX` sub-code of an AD bind error message, if any. */
export function decodeAdBindData(serverMessage: string): { code: string; meaning: string } | undefined {
  const m = /\bdata ([0-9a-f]{3,8})\b/i.exec(serverMessage);
  if (!m) return undefined;
  const code = m[1]!.toLowerCase();
  return { code, meaning: AD_BIND_DATA_CODES[code] ?? 'unknown AD sub-code' };
}
