/**
 * matchesFilter / evaluateFilter on realistic AD entries: what the offline LDIF source selects
 * must be what Active Directory would return for the same filter.
 */
import { strict as assert } from 'node:assert';
import { DEFAULT_FILTERS } from '../../../../server/src/language/config/defaults';
import type { DirectoryEntry } from '../../../../server/src/domain/entry';
import { evaluateFilter, matchesFilter, parseLdapFilter, type MatchOptions } from '../../../../server/src/language/ldapFilter';

const BASE = 'DC=corp,DC=example,DC=com';
const SCHEMA = `CN=Schema,CN=Configuration,${BASE}`;
const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
// objectGUID {830e0f4d-492c-41e8-9e96-0370daaa877b} as stored (seed 000's hex dump).
const ADA_GUID = hex('4d0f0e832c49e8419e960370daaa877b');
const ADA_SID = hex('01050000000000051500000050adcf899923227e7ffaa5b631050000');

const user = (cn: string, uac: string, extra: Record<string, Array<string | Uint8Array>> = {}): DirectoryEntry => ({
  dn: `CN=${cn},OU=People,${BASE}`,
  attributes: {
    objectclass: ['top', 'person', 'organizationalPerson', 'user'],
    objectcategory: [`CN=Person,${SCHEMA}`],
    cn: [cn],
    samaccounttype: ['805306368'],
    useraccountcontrol: [uac],
    ...extra,
  },
});

const ada = user('Ada Lovelace', '512', {
  mail: ['ada@example.com'],
  displayname: ['Ada Lovelace'],
  memberof: [`CN=Sales,OU=Groups,${BASE}`, `CN=Example-manager,OU=Example,OU=Security Group,${BASE}`],
  objectguid: [ADA_GUID],
  objectsid: [ADA_SID],
  usnchanged: ['10'],
  whenchanged: ['20240315120000.0Z'],
  samaccountname: ['ada'],
});
const bob = user('Bob', '514', { mail: ['bob@example.com'] });
const carol = user('Carol', '66050');
const computer: DirectoryEntry = {
  dn: `CN=WS01,OU=Computers,${BASE}`,
  attributes: {
    objectclass: ['top', 'person', 'organizationalPerson', 'user', 'computer'],
    objectcategory: [`CN=Computer,${SCHEMA}`],
    useraccountcontrol: ['4096'],
    samaccounttype: ['805306369'],
  },
};
const securityGroup: DirectoryEntry = {
  dn: `CN=Sales,OU=Groups,${BASE}`,
  attributes: {
    objectclass: ['top', 'group'],
    objectcategory: [`CN=Group,${SCHEMA}`],
    cn: ['Sales'],
    grouptype: ['-2147483646'],
    memberof: [`CN=All Staff,OU=Groups,${BASE}`],
  },
};
const distributionGroup: DirectoryEntry = {
  dn: `CN=Newsletter,OU=Groups,${BASE}`,
  attributes: { objectclass: ['top', 'group'], objectcategory: [`CN=Group,${SCHEMA}`], grouptype: ['2'] },
};
const adminsGroup: DirectoryEntry = {
  dn: `CN=Domain Admins,CN=Users,${BASE}`,
  attributes: { objectclass: ['top', 'group'], iscriticalsystemobject: ['TRUE'], grouptype: ['-2147483646'] },
};
const contact: DirectoryEntry = {
  dn: `CN=Partner,OU=Contacts,${BASE}`,
  attributes: {
    objectclass: ['top', 'person', 'organizationalPerson', 'contact'],
    objectcategory: [`CN=Person,${SCHEMA}`],
    mail: ['p@partner.example'],
  },
};
const ou: DirectoryEntry = {
  dn: `OU=People,${BASE}`,
  attributes: { objectclass: ['top', 'organizationalUnit'], objectcategory: [`CN=Organizational-Unit,${SCHEMA}`] },
};
const ALL = { ada, bob, carol, computer, securityGroup, distributionGroup, adminsGroup, contact, ou };

function selected(filter: string, options?: MatchOptions): string[] {
  const r = parseLdapFilter(filter);
  if (!r.ok) assert.fail(`${filter}: ${JSON.stringify(r.problems)}`);
  return Object.entries(ALL)
    .filter(([, e]) => matchesFilter(r.value, e, options))
    .map(([name]) => name);
}
function truth(filter: string, entry: DirectoryEntry, options?: MatchOptions) {
  const r = parseLdapFilter(filter);
  if (!r.ok) assert.fail(JSON.stringify(r.problems));
  return evaluateFilter(r.value, entry, options);
}

describe('matchesFilter', () => {
  it("Directory Connector's default filters select users, groups and contacts", () => {
    assert.deepEqual(selected(DEFAULT_FILTERS.users), ['ada', 'bob', 'carol']);
    assert.deepEqual(selected(DEFAULT_FILTERS.groups), ['securityGroup', 'distributionGroup']);
    assert.deepEqual(selected(DEFAULT_FILTERS.contacts), ['contact']);
  });

  it('bit-and on userAccountControl: 514 and 66050 are disabled, 512 is not', () => {
    assert.deepEqual(selected('(userAccountControl:1.2.840.113556.1.4.803:=2)'), ['bob', 'carol']);
    assert.deepEqual(selected('(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))'), ['ada']);
    // Both bits must be set for bit-and: 66050 = 0x10202 has 2 and 65536.
    assert.deepEqual(selected('(userAccountControl:1.2.840.113556.1.4.803:=65538)'), ['carol']);
  });

  it('bit-or matches any of the bits', () => {
    assert.deepEqual(selected('(userAccountControl:1.2.840.113556.1.4.804:=6144)'), ['computer']);
    assert.deepEqual(selected('(userAccountControl:1.2.840.113556.1.4.804:=4098)'), ['bob', 'carol', 'computer']);
  });

  it('bit-and on groupType: negative stored values are the same 32 bits as the unsigned flag', () => {
    assert.deepEqual(selected('(groupType:1.2.840.113556.1.4.803:=2147483648)'), ['securityGroup', 'adminsGroup']);
    assert.deepEqual(selected('(groupType:1.2.840.113556.1.4.803:=-2147483648)'), ['securityGroup', 'adminsGroup']);
    assert.deepEqual(selected('(groupType:1.2.840.113556.1.4.803:=2)'), ['securityGroup', 'distributionGroup', 'adminsGroup']);
    // An export that wrote the same bits unsigned still matches a signed assertion.
    const unsigned: DirectoryEntry = { dn: `CN=U,${BASE}`, attributes: { grouptype: ['2147483650'] } };
    assert.equal(truth('(groupType:1.2.840.113556.1.4.803:=-2147483648)', unsigned), 'true');
    assert.equal(truth('(groupType:1.2.840.113556.1.4.804:=-2147483648)', unsigned), 'true');
  });

  it('objectCategory shorthand names the class’s default category', () => {
    assert.deepEqual(selected('(objectCategory=person)'), ['ada', 'bob', 'carol', 'contact']);
    assert.deepEqual(selected('(objectCategory=user)'), ['ada', 'bob', 'carol', 'contact']);
    assert.deepEqual(selected('(objectCategory=computer)'), ['computer']);
    assert.deepEqual(selected('(objectCategory=organizationalUnit)'), ['ou']);
    assert.deepEqual(selected(`(objectCategory=cn=person, cn=schema,cn=configuration,dc=corp,dc=example,dc=com)`), [
      'ada',
      'bob',
      'carol',
      'contact',
    ]);
  });

  it('sAMAccountType equality', () => {
    assert.deepEqual(selected('(sAMAccountType=805306368)'), ['ada', 'bob', 'carol']);
  });

  it('multi-valued memberOf: any value, compared as DNs (case and spacing ignored)', () => {
    assert.deepEqual(selected(`(memberOf=cn=sales, ou=groups, dc=corp, dc=example, dc=com)`), ['ada']);
    assert.deepEqual(
      selected('(&(sAMAccountName=*)(memberOf=cn=Example-manager,ou=Example,ou=Security Group,dc=corp,dc=example,dc=com))'),
      ['ada'],
    );
    assert.deepEqual(selected(`(memberOf=CN=Marketing,OU=Groups,${BASE})`), []);
  });

  it('in-chain follows nesting only through the memberOfChain callback', () => {
    const allStaff = `CN=All Staff,OU=Groups,${BASE}`;
    const filter = `(memberOf:1.2.840.113556.1.4.1941:=${allStaff})`;
    // Direct value: the Sales group itself is in All Staff.
    assert.deepEqual(selected(filter), ['securityGroup']);
    // Ada is in Sales, which is in All Staff.
    const calls: string[] = [];
    const options: MatchOptions = {
      memberOfChain(entry, attribute, target) {
        calls.push(`${attribute}:${target}`);
        return entry === ada && target === allStaff;
      },
    };
    assert.deepEqual(selected(filter, options), ['ada', 'securityGroup']);
    assert.ok(calls.includes(`memberOf:${allStaff}`));
  });

  it('binary objectGUID compares the 16 bytes written as \\XX escapes', () => {
    assert.deepEqual(selected('(objectGUID=\\4d\\0f\\0e\\83\\2c\\49\\e8\\41\\9e\\96\\03\\70\\da\\aa\\87\\7b)'), ['ada']);
    assert.deepEqual(selected('(objectGUID=\\4D\\0F\\0E\\83\\2C\\49\\E8\\41\\9E\\96\\03\\70\\DA\\AA\\87\\7B)'), ['ada']);
    assert.deepEqual(selected('(objectGUID=\\4d\\0f\\0e\\83\\2c\\49\\e8\\41\\9e\\96\\03\\70\\da\\aa\\87\\7c)'), []);
    // AD compares bytes; the GUID text does not match (the checker warns, DS216).
    assert.deepEqual(selected('(objectGUID=830e0f4d-492c-41e8-9e96-0370daaa877b)'), []);
  });

  it('objectSid by bytes and by its S-1-5-… text, as AD accepts', () => {
    assert.deepEqual(selected('(objectSid=S-1-5-21-2312088912-2116166553-3064330879-1329)'), ['ada']);
    assert.deepEqual(selected('(objectSid=S-1-5-21-2312088912-2116166553-3064330879-1330)'), []);
    const escaped = Array.from(ADA_SID, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
    assert.deepEqual(selected(`(objectSid=${escaped})`), ['ada']);
  });

  it('case-insensitive attribute names and values', () => {
    assert.deepEqual(selected('(MAIL=ADA@EXAMPLE.COM)'), ['ada']);
    assert.deepEqual(selected('(ObjectClass=Contact)'), ['contact']);
    assert.deepEqual(selected('(2.5.4.3=ada lovelace)'), ['ada']);
  });

  it('substrings: initial, any in order, final', () => {
    assert.deepEqual(selected('(mail=*@example.com)'), ['ada', 'bob']);
    assert.deepEqual(selected('(cn=a*love*e)'), ['ada']);
    assert.deepEqual(selected('(cn=*lace*Ada*)'), []);
    assert.deepEqual(selected('(cn=Ada*Lovelace*)'), ['ada']);
    // The final substring may not overlap what the initial one consumed.
    assert.deepEqual(selected('(cn=Bob*ob)'), []);
    assert.deepEqual(selected('(cn=Bo*b)'), ['bob']);
  });

  it('>= and <= compare integers numerically, other values case-insensitively', () => {
    // As strings "10" < "9"; as integers 10 >= 9.
    assert.equal(truth('(uSNChanged>=9)', ada), 'true');
    assert.equal(truth('(uSNChanged<=9)', ada), 'false');
    assert.equal(truth('(whenChanged>=20240101000000.0Z)', ada), 'true');
    assert.equal(truth('(whenChanged<=20240101000000.0Z)', ada), 'false');
    assert.equal(truth('(cn>=ADA)', ada), 'true');
  });

  it('~= ignores case and whitespace', () => {
    assert.equal(truth('(displayName~=adalovelace)', ada), 'true');
    assert.equal(truth('(displayName~=ada lovelac)', ada), 'false');
  });

  it(':dn: also matches the attribute values of the entry’s DN', () => {
    assert.deepEqual(selected('(ou:dn:=People)'), ['ada', 'bob', 'carol', 'ou']);
    assert.deepEqual(selected('(ou=People)'), []);
    assert.deepEqual(selected('(ou:=People)'), []);
  });

  it('presence, absent attributes and negation', () => {
    assert.equal(truth('(mail=*)', carol), 'false');
    assert.equal(truth('(!(mail=*))', carol), 'true');
    assert.equal(truth('(!(mail=x@example.com))', carol), 'true');
  });

  it('three-valued logic: NOT UNDEFINED is still UNDEFINED, and only TRUE selects', () => {
    const schema: MatchOptions = { isKnownAttribute: (n) => n !== 'madeupattr' };
    assert.equal(truth('(madeUpAttr=x)', ada, schema), 'undefined');
    assert.equal(truth('(!(madeUpAttr=x))', ada, schema), 'undefined');
    assert.deepEqual(selected('(!(madeUpAttr=x))', schema), []);
    // Without schema knowledge the attribute is assumed known and merely absent.
    assert.equal(truth('(!(madeUpAttr=x))', ada), 'true');
    // OR with a TRUE branch is TRUE; AND with a FALSE branch is FALSE.
    assert.equal(truth('(|(madeUpAttr=x)(cn=Ada Lovelace))', ada, schema), 'true');
    assert.equal(truth('(&(madeUpAttr=x)(cn=Bob))', ada, schema), 'false');
    assert.equal(truth('(&(madeUpAttr=x)(cn=Ada Lovelace))', ada, schema), 'undefined');
    // Invalid assertion values and unknown rules are UNDEFINED too.
    assert.equal(truth('(!(userAccountControl:1.2.840.113556.1.4.803:=abc))', ada), 'undefined');
    assert.equal(truth('(!(cn:1.2.3.4:=x))', ada), 'undefined');
    // AD does not match wildcards in DNs.
    assert.equal(truth('(!(memberOf=CN=Sales*))', ada), 'undefined');
  });

  it('RFC 4526 absolute true and false', () => {
    assert.equal(selected('(&)').length, Object.keys(ALL).length);
    assert.deepEqual(selected('(|)'), []);
  });

  it('DN-with-data matches the DN and a data prefix', () => {
    const e: DirectoryEntry = {
      dn: `CN=Ada,${BASE}`,
      attributes: { 'msds-keycredentiallink': [`B:8:0102ABCD:CN=Ada,${BASE}`] },
    };
    assert.equal(truth(`(msDS-KeyCredentialLink:1.2.840.113556.1.4.2253:=B:4:0102:cn=ada,${BASE})`, e), 'true');
    assert.equal(truth(`(msDS-KeyCredentialLink:1.2.840.113556.1.4.2253:=B:0::CN=Ada,${BASE})`, e), 'true');
    assert.equal(truth(`(msDS-KeyCredentialLink:1.2.840.113556.1.4.2253:=B:4:0103:CN=Ada,${BASE})`, e), 'false');
    assert.equal(truth(`(msDS-KeyCredentialLink:1.2.840.113556.1.4.2253:=B:0::CN=Bob,${BASE})`, e), 'false');
  });
});
