import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { InvalidCredentialsError, NoSuchObjectError, StrongAuthRequiredError, UnknownStatusCodeError } from 'ldapts';
import { toDirectoryError } from '../../../server/src/directory/ldapErrors';
import { decodeAdBindData } from '../../../server/src/directory/errors';

const ctx = {
  url: 'ldap://dc1.corp.example.com:389',
  bindDn: 'CN=svc-dirsync,OU=Service,DC=corp',
  operation: 'bind' as const,
  password: 'hunter2-Secret',
};

describe('directory error mapping', () => {
  it('decodes AD bind sub-codes', () => {
    const msg = '80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data 775, v4563';
    assert.deepEqual(decodeAdBindData(msg), { code: '775', meaning: 'the account is locked out' });
    const e = toDirectoryError(new InvalidCredentialsError(msg), ctx);
    assert.equal(e.code, 'accountRestricted');
    assert.match(e.message, /ldap:\/\/dc1.*svc-dirsync.*data 775: the account is locked out/);
  });

  it("explains strongAuthRequired (AD's LDAP signing policy) without the password", () => {
    const e = toDirectoryError(
      new StrongAuthRequiredError(
        '00002028: LdapErr: DSID-0C090259, comment: The server requires binds to turn on integrity checking if SSL\\TLS are not already active on the connection, data 0, v4563 hunter2-Secret',
      ),
      ctx,
    );
    assert.equal(e.code, 'strongAuthRequired');
    assert.match(e.message, /ldaps:\/\/|startTls/);
    assert.ok(!e.message.includes('hunter2-Secret'));
  });

  it('names the base DN that does not exist', () => {
    const e = toDirectoryError(new NoSuchObjectError('0000208D: NameErr: DSID-03100241, problem 2001 (NO_OBJECT)'), {
      ...ctx,
      operation: 'search',
      baseDn: 'OU=Gone,DC=corp',
    });
    assert.equal(e.code, 'noSuchBase');
    assert.match(e.message, /"OU=Gone,DC=corp" does not exist on ldap:\/\/dc1/);
  });

  it("translates the server's internals: no Samba source file, no hex result code; AD's best match kept", () => {
    const samba = toDirectoryError(
      new NoSuchObjectError(
        'acl_read: Error retrieving instanceType for base. at ../../source4/dsdb/samdb/ldb_modules/acl_read.c:967 Code: 0x20',
      ),
      { ...ctx, operation: 'search', baseDn: 'OU=Gone,DC=corp' },
    );
    assert.equal(
      samba.message,
      'Base DN "OU=Gone,DC=corp" does not exist on ldap://dc1.corp.example.com:389. Check "baseDns". (bind DN CN=svc-dirsync,OU=Service,DC=corp)',
    );
    const ad = toDirectoryError(
      new NoSuchObjectError("0000208D: NameErr: DSID-03100241, problem 2001 (NO_OBJECT), data 0, best match of:\n\t'DC=corp'\n"),
      { ...ctx, operation: 'search', baseDn: 'OU=Gone,DC=corp' },
    );
    assert.match(
      ad.message,
      /does not exist on ldap:\/\/dc1\.corp\.example\.com:389 \(the closest entry that exists is "DC=corp"\)\. Check "baseDns"\./,
    );
    assert.doesNotMatch(ad.message, /DSID|0000208D/);
    const denied = toDirectoryError(Object.assign(new Error('acl_read.c:967 Code: 0x32 insufficient'), { code: 50 }), {
      ...ctx,
      operation: 'search',
      baseDn: 'OU=Secret,DC=corp',
    });
    assert.doesNotMatch(denied.message, /acl_read|0x32/);
    assert.match(denied.message, /may not read "OU=Secret,DC=corp"/);
    const other = toDirectoryError(Object.assign(new Error('ldb.c:12 Code: 0x35'), { code: 53 }), { ...ctx, operation: 'search' });
    assert.equal(
      other.message,
      'search on ldap://dc1.corp.example.com:389 as CN=svc-dirsync,OU=Service,DC=corp failed: the directory is unwilling to perform the operation (LDAP result 53).',
    );
  });

  it('reports a referral (result 10) without following it', () => {
    const e = toDirectoryError(new UnknownStatusCodeError(10, '0000202B: RefErr: DSID-0310084A, data 0, 1 access points'), {
      ...ctx,
      operation: 'search',
      baseDn: 'DC=emea,DC=corp',
    });
    assert.equal(e.code, 'referral');
    assert.match(e.message, /"DC=emea,DC=corp".*not followed/);
  });

  it('maps socket and TLS failures', () => {
    const err = (code: string, message = code) => Object.assign(new Error(message), { code });
    assert.equal(toDirectoryError(err('ECONNREFUSED'), ctx).code, 'unreachable');
    assert.equal(toDirectoryError(err('ENOTFOUND'), ctx).code, 'unreachable');
    assert.equal(toDirectoryError(err('SELF_SIGNED_CERT_IN_CHAIN'), ctx).code, 'tlsUntrusted');
    assert.equal(toDirectoryError(err('ERR_TLS_CERT_ALTNAME_INVALID'), ctx).code, 'tlsHostMismatch');
    assert.equal(toDirectoryError(new Error('Connection timeout'), ctx).code, 'timeout');
    assert.equal(toDirectoryError(new Error('Connection closed before message response was received.'), ctx).code, 'connectionLost');
  });

  it("redacts the server's text only: a password that is a word leaves dirsync's sentence whole", () => {
    const refused = toDirectoryError(
      new InvalidCredentialsError('80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 52e, v3839'),
      { ...ctx, bindDn: 'CN=svc,DC=example,DC=com', password: 'wrong' },
    );
    assert.equal(
      refused.message,
      'Bind to ldap://dc1.corp.example.com:389 as CN=svc,DC=example,DC=com was refused: invalid credentials — AD says data 52e: ' +
        'the password is wrong or the bind DN is unknown. Check directory.bindDn and the secret directory.password refers to.',
    );
    // The same password echoed by the server is gone, even inside a word; dirsync's words around it stay.
    const echoed = toDirectoryError(Object.assign(new Error('bind wrong refused for wrong-user (wrongly)'), { code: 53 }), {
      ...ctx,
      password: 'wrong',
    });
    assert.equal(
      echoed.message,
      'bind on ldap://dc1.corp.example.com:389 as CN=svc-dirsync,OU=Service,DC=corp failed: the directory is unwilling to perform ' +
        'the operation (LDAP result 53: bind [redacted] refused for [redacted]-user ([redacted]ly)).',
    );
    // A one-letter password is removed from the server's text too; the bind DN dirsync adds is not touched.
    const short = toDirectoryError(new Error('no such thing as x'), { ...ctx, bindDn: 'CN=svc,DC=example,DC=com', password: 'x' });
    assert.match(short.message, /failed: no such thing as \[redacted\]$/);
    assert.match(short.message, /as CN=svc,DC=example,DC=com /);
  });

  it("the cause keeps no password: util.inspect (and Node's printer of an uncaught error) shows none", () => {
    const password = 'Hunter2-§-Secret';
    const echoed = Object.assign(new Error(`unwilling: simple bind with ${password} refused`), { code: 53 });
    const e = toDirectoryError(echoed, { ...ctx, password });
    const printed = inspect(e, { depth: 5 });
    assert.ok(!printed.includes(password), printed);
    assert.match(printed, /\[cause\]: Error: unwilling: simple bind with \[redacted\] refused/);
    assert.equal((e.cause as { code?: unknown }).code, 53);
    // A cause without the password is kept as it is (its class and fields intact).
    const plain = new InvalidCredentialsError('80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 52e, v3839');
    assert.equal(toDirectoryError(plain, { ...ctx, password }).cause, plain);
  });
});
