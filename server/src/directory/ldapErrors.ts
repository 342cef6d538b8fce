/**
 * Maps what ldapts, Node's net/tls and the server throw to DirectoryError with a message that
 * names the URL and the bind DN (never the password) and says what to check.
 */
import { redactSecrets } from '../../../common/redact';
import { DirectoryError, decodeAdBindData } from './errors';

/** What the message may name. */
export interface LdapErrorContext {
  readonly url: string;
  readonly bindDn?: string;
  readonly baseDn?: string;
  readonly filter?: string;
  /** The operation that failed: connect, bind, StartTLS, search. */
  readonly operation: 'connect' | 'bind' | 'starttls' | 'search';
  readonly caFile?: string;
  readonly serverName?: string;
  /** The search's time limit in seconds (0 = none), for explaining a server's cut-off. */
  readonly timeLimitSeconds?: number;
  /** The failure happened before an ldaps:// TLS handshake completed. */
  readonly duringTlsHandshake?: boolean;
  /** Never shown; removed from any text that might echo it. */
  readonly password?: string;
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const who = (c: LdapErrorContext) => (c.bindDn ? ` as ${c.bindDn}` : '');

/** Names of LDAP result codes (RFC 4511 §4.1.9) a user may meet, in words. */
const RESULT_WORDS: Record<number, string> = {
  1: 'the directory could not perform the operation',
  2: 'the directory did not understand the request',
  11: 'an administrative limit of the directory was exceeded',
  12: 'the directory does not support a control the request needs',
  16: 'an attribute the request names does not exist',
  17: 'an attribute type is not defined in the directory',
  19: 'a constraint of the directory was violated',
  21: 'a value has the wrong syntax',
  34: 'a DN is not valid',
  51: 'the directory is busy',
  52: 'the directory is unavailable',
  53: 'the directory is unwilling to perform the operation',
  80: 'the directory had an internal error',
};

/**
 * What the server's diagnostic text adds for a user: AD's "best match" (the closest entry that
 * exists), or the text itself; nothing for a server's internals — Samba's source locations
 * ("acl_read.c:967 Code: 0x20") and AD's DSIDs name code, not the problem.
 */
function serverDetail(text: string): string {
  const best = /best match of:\s*'([^']*)'/i.exec(text)?.[1];
  if (best) return `the closest entry that exists is "${best}"`;
  const first = text.split('\n')[0]!.trim();
  if (/\.c:\d+|Code: 0x[0-9a-f]+|DSID-[0-9A-F]+|^[0-9A-F]{8}:/i.test(first)) return '';
  return first;
}
const inParens = (s: string) => (s ? ` (${s})` : '');

/**
 * `err`, or — when its text holds the password — a copy with the password redacted from its
 * message and stack (name and code kept). dirsync prints a DirectoryError's message only, but
 * `util.inspect` and Node's printer of an uncaught error print the cause too.
 */
function redactedCause(err: unknown, password: string | undefined): unknown {
  if (!password || !(err instanceof Error)) return err;
  const { message, stack } = err;
  if (!message.includes(password) && !stack?.includes(password)) return err;
  const copy = new Error(redactSecrets(message, [password]));
  copy.name = err.name;
  copy.stack = stack === undefined ? undefined : redactSecrets(stack, [password]);
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}

/** The DirectoryError for `err` (returned as is when it already is one). */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: one table from LDAP result codes and Samba/AD detail texts to the user's message; each case is a few lines.
export function toDirectoryError(err: unknown, c: LdapErrorContext): DirectoryError {
  if (err instanceof DirectoryError) return err;
  const e = err as { code?: unknown; message?: string; name?: string };
  // Only the text that came from outside is redacted: the messages below are dirsync's own words
  // around it, which a password that is a word ("wrong") must not blank out.
  const raw = redactSecrets(String(e?.message ?? err), [c.password]);
  const serverText = raw.split('\n')[0]!.trim();
  // Every message names the URL (each text below does) and, when there is one, the bind DN.
  const cause = redactedCause(err, c.password);
  const make = (code: ConstructorParameters<typeof DirectoryError>[0], message: string) =>
    new DirectoryError(code, c.bindDn && !message.includes(c.bindDn) ? `${message} (bind DN ${c.bindDn})` : message, c.url, {
      cause,
    });

  if (e?.name === 'AbortError') return make('aborted', `Directory read from ${c.url} was cancelled.`);
  // LDAP result codes (RFC 4511 §4.1.9), as ldapts' ResultCodeError subclasses carry them.
  if (typeof e?.code === 'number') {
    switch (e.code) {
      case 49: {
        const data = decodeAdBindData(serverText);
        const why = data ? ` — AD says data ${data.code}: ${data.meaning}` : '';
        const code = data && data.code !== '52e' && data.code !== '525' ? 'accountRestricted' : 'invalidCredentials';
        return make(
          code,
          `Bind to ${c.url}${who(c)} was refused: invalid credentials${why}. Check directory.bindDn and the secret directory.password refers to.`,
        );
      }
      case 8:
        return make(
          'strongAuthRequired',
          `${c.url} requires a secure connection for simple binds (strongAuthRequired). Use ldaps:// or "tls": { "startTls": true } ` +
            `(the DC's "LDAP server signing requirements" policy, or Samba's "ldap server require strong auth").`,
        );
      case 13:
        return make('strongAuthRequired', `${c.url} requires confidentiality (TLS) for this operation: use ldaps:// or StartTLS.`);
      case 32:
        return make('noSuchBase', `Base DN "${c.baseDn ?? ''}" does not exist on ${c.url}${inParens(serverDetail(raw))}. Check "baseDns".`);
      case 3:
        return make('timeLimitExceeded', `Search under "${c.baseDn ?? ''}" on ${c.url} exceeded the time limit; the result is incomplete.`);
      case 4:
        return make('sizeLimitExceeded', `Search under "${c.baseDn ?? ''}" on ${c.url} exceeded the size limit; the result is incomplete.`);
      case 10:
        return make(
          'referral',
          `${c.url} answered with a referral for "${c.baseDn ?? ''}" (${serverText}): the base DN is in another naming context or domain. Referrals are not followed; point "url" at a DC of that domain or a global catalog.`,
        );
      case 50:
        return make(
          'insufficientAccess',
          `${c.bindDn ?? 'The bind account'} may not read "${c.baseDn ?? ''}" on ${c.url}${inParens(serverDetail(raw))}. Grant it read access there, or use another base DN.`,
        );
      case 87:
      case 18:
        return make('invalidFilter', `${c.url} rejected the filter ${c.filter ?? ''}: ${serverText}`);
      case 1:
        if (/without authentication|successful bind/i.test(serverText)) {
          return make(
            'invalidCredentials',
            `${c.url} refused the operation on an unauthenticated connection (${serverText}). A bind DN and password are required.`,
          );
        }
        // Samba answers operationsError (not timeLimitExceeded) when a search outlives its time limit.
        if (c.timeLimitSeconds && /ldb_wait/i.test(serverText)) {
          return make(
            'timeLimitExceeded',
            `Search under "${c.baseDn ?? ''}" on ${c.url} was stopped by the server, most likely at the time limit of ${c.timeLimitSeconds} s ("timeLimitSeconds"); the result is incomplete. (${serverText})`,
          );
        }
        break;
      default:
        break;
    }
    const words = RESULT_WORDS[e.code];
    const detail = serverDetail(raw);
    return make(
      'server',
      `${c.operation} on ${c.url}${who(c)} failed: ${words ? `${words} (LDAP result ${e.code}${detail ? `: ${detail}` : ''})` : `LDAP result ${e.code}${inParens(detail)}`}.`,
    );
  }

  const code = typeof e?.code === 'string' ? e.code : '';
  // ldapts parses the filter before sending it; its syntax errors are the filter's fault.
  if (c.operation === 'search' && /filter|paren|Invalid (expression|attribute name)/i.test(raw) && !code) {
    return make('invalidFilter', `The filter ${c.filter ?? ''} is not valid LDAP filter syntax (RFC 4515): ${serverText}`);
  }
  if (UNTRUSTED.has(code)) {
    return make(
      'tlsUntrusted',
      `The certificate of ${c.url} is not trusted (${code})${c.caFile ? ` by the CA in ${c.caFile}` : ''}. ` +
        `Set "tls": { "caFile": "<the PEM of the CA that signed the DC's certificate>" }.`,
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return make(
      'tlsHostMismatch',
      `The certificate of ${c.url} does not name ${c.serverName ?? 'the host in the URL'}: ${serverText}. ` +
        `Connect by a name the certificate lists, or set "tls": { "serverName": "<that name>" }.`,
    );
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return make('tlsUntrusted', `The certificate of ${c.url} is not valid now (${code}).`);
  }
  if (
    code.startsWith('ERR_SSL') ||
    code === 'EPROTO' ||
    /wrong version number|handshake|SSL routines/i.test(raw) ||
    (c.duringTlsHandshake && (code === 'ECONNRESET' || /Connection closed|socket disconnected/i.test(raw)))
  ) {
    return make('tlsHandshake', `TLS handshake with ${c.url} failed (${serverText}). Is it an LDAPS port (636) and not plain LDAP (389)?`);
  }
  if (code === 'ECONNREFUSED')
    return make('unreachable', `Nothing accepts connections at ${c.url} (connection refused). Is the DC up and the port right?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return make('unreachable', `The host of ${c.url} cannot be resolved (${code}).`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return make('unreachable', `${c.url} is unreachable from here (${code}).`);
  if (code === 'ETIMEDOUT' || /Connection timeout/i.test(raw)) return make('timeout', `Connecting to ${c.url} timed out.`);
  if (/timeout/i.test(e?.name ?? '') || /timed? ?out/i.test(raw)) return make('timeout', `${c.operation} on ${c.url} timed out.`);
  if (code === 'ECONNRESET' || code === 'EPIPE' || /Connection closed|Socket error|socket hang up/i.test(raw)) {
    return make(
      'connectionLost',
      `The connection to ${c.url} was lost during ${c.operation}${c.baseDn ? ` under "${c.baseDn}"` : ''}; the result is incomplete.`,
    );
  }
  return make('server', `${c.operation} on ${c.url}${who(c)} failed: ${serverText}`);
}
