/**
 * The example directory entry hovers evaluate expressions, filters and avatar patterns on, when no
 * live directory entry is given (the extension's live previews pass a real one).
 */
import type { DirectoryEntry } from '../domain/entry';

const text = (v: string) => [v];

export const EXAMPLE_ENTRY: DirectoryEntry = {
  dn: 'CN=Alice Example,OU=Staff,DC=example,DC=com',
  attributes: {
    objectclass: ['top', 'person', 'organizationalPerson', 'user'],
    objectcategory: text('CN=Person,CN=Schema,CN=Configuration,DC=example,DC=com'),
    cn: text('Alice Example'),
    name: text('Alice Example'),
    displayname: text('Alice Example'),
    givenname: text('Alice'),
    sn: text('Example'),
    initials: text('A'),
    mail: text('alice.example@example.com'),
    userprincipalname: text('alice@corp.example.com'),
    samaccountname: text('alice'),
    title: text('Identity Engineer'),
    department: text('IT'),
    departmentnumber: text('4711'),
    company: text('Example Corp'),
    employeeid: text('E1234'),
    employeenumber: text('1234'),
    employeetype: text('Employee'),
    telephonenumber: text('+1 408 555 0100'),
    mobile: text('+1 408 555 0199'),
    facsimiletelephonenumber: text('+1 408 555 0101'),
    ipphone: text('sip:alice@example.com'),
    'msrtcsip-primaryuseraddress': text('sip:alice@example.com'),
    streetaddress: text('170 West Tasman Drive'),
    l: text('San Jose'),
    st: text('CA'),
    postalcode: text('95134'),
    c: text('US'),
    co: text('United States'),
    physicaldeliveryofficename: text('Building 10'),
    preferredlanguage: text('en_US'),
    manager: text('CN=Bob Boss,OU=Staff,DC=example,DC=com'),
    memberof: text('CN=Example-manager,OU=Groups,DC=example,DC=com'),
    useraccountcontrol: text('512'),
    proxyaddresses: ['SMTP:alice.example@example.com', 'smtp:alice@corp.example.com'],
    objectguid: [Uint8Array.from([0x4f, 0x3c, 0x2a, 0x1b, 0x8d, 0x7e, 0x4a, 0x47, 0x9b, 0x1c, 0x5e, 0x6f, 0x70, 0x81, 0x92, 0xa3])],
  },
};
