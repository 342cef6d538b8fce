import assert from 'node:assert/strict';
import { byDn, config, guid, items, person, plan } from '../../../support/planBuilders';
import type { Contact } from '../../../../server/src/cloud/contacts';
import { bulkResults, nextLink } from '../../../../server/src/cloud/contacts';
import type { PlanOperation } from '../../../../server/src/sync/contract';
import { contactCreateBody, contactUpdate, fieldsOfContact } from '../../../../server/src/sync/plan/contacts';

const WEBEX = {
  cloud: { type: 'webex', url: 'http://127.0.0.1:9/identity/scim/o/v2' },
  objects: { contacts: { enabled: true } },
  contactAttributes: { uid: 'mail', displayName: 'displayName', o: 'company', telephoneNumber: 'telephoneNumber', mobile: 'mobile' },
};

/** An AD contact: mail at partner.example.net, objectGUID from `n`. */
function adContact(n: number, cn: string, attrs: Record<string, string> = {}) {
  return person(n, cn, { mail: `${cn.toLowerCase()}@partner.example.net`, useraccountcontrol: '', ...attrs }, 'OU=Contacts');
}

function contact(id: string, email: string, extra: Partial<Contact> = {}): Contact {
  return {
    schemas: 'urn:cisco:codev:identity:contact:core:1.0',
    contactId: id,
    source: 'CH',
    meta: { created: '2026-01-01T00:00:00.000Z', lastModified: '2026-01-01T00:00:00.000Z' },
    emails: [{ type: 'work', value: email }],
    ...extra,
  };
}

const kinds = (ops: readonly PlanOperation[]) => ops.map((o) => o.kind);

describe('sync plan: Webex org contacts (pure)', () => {
  it('a new AD contact is created as a CH contact with its mapped fields', async () => {
    const p = await plan(config(WEBEX), items('contacts', [adContact(1, 'Ann', { company: 'Fjord AS', telephoneNumber: '+45 1' })]), [], {
      cloudContacts: [],
      contactLedger: new Map(),
    });
    const it = byDn(p, 'Ann')!;
    assert.equal(it.category, 'contacts');
    assert.equal(it.action, 'create');
    assert.equal(p.report.work!.contacts.create, 1);
    const op = p.payload.operations[0]!;
    assert.equal(op.kind, 'createContact');
    assert.deepEqual(op.kind === 'createContact' && op.body, {
      source: 'CH',
      displayName: 'Ann',
      companyName: 'Fjord AS',
      emails: [{ type: 'work', value: 'ann@partner.example.net', primary: true }],
      phoneNumbers: [{ type: 'work', value: '+45 1' }],
    });
    assert.equal(op.kind === 'createContact' && op.externalId, guid(1));
  });

  it('a contact matched by email is updated (only what differs) and a phone number emptied in AD is deleted', async () => {
    const cloud = contact('k1', 'ann@partner.example.net', {
      displayName: 'Ann',
      companyName: 'Old AS',
      phoneNumbers: [
        { type: 'work', value: '+45 1' },
        { type: 'mobile', value: '+45 9' },
        { type: 'home', value: '+45 7' },
      ],
    });
    const p = await plan(config(WEBEX), items('contacts', [adContact(1, 'Ann', { company: 'Fjord AS', telephoneNumber: '+45 1' })]), [], {
      cloudContacts: [cloud],
      contactLedger: new Map(),
    });
    const it = byDn(p, 'Ann')!;
    assert.equal(it.action, 'update');
    assert.equal(it.cloudId, 'k1');
    assert.match(it.reason!, /matched by email/);
    assert.deepEqual(
      it.changes!.map((c) => [c.attribute, c.old, c.new]),
      [
        ['companyName', 'Old AS', 'Fjord AS'],
        ['phone.mobile', '+45 9', null],
      ],
    );
    const op = p.payload.operations[0]!;
    assert.equal(op.kind, 'updateContact');
    assert.deepEqual(op.kind === 'updateContact' && op.target, { cloudId: 'k1', externalId: guid(1) });
    assert.deepEqual(op.kind === 'updateContact' && op.body, {
      source: 'CH',
      companyName: 'Fjord AS',
      phoneNumbers: [
        { type: 'work', value: '+45 1' },
        { value: '+45 7', type: 'home' },
        { value: '+45 9', type: 'mobile', operation: 'delete' },
      ],
    });
  });

  it('an unchanged contact has no operation; the ledger matches it even after its email changed in AD', async () => {
    const same = contact('k1', 'ann@partner.example.net', { displayName: 'Ann' });
    const moved = contact('k2', 'bo@old.example.net', { displayName: 'Bo' });
    const p = await plan(config(WEBEX), items('contacts', [adContact(1, 'Ann'), adContact(2, 'Bo')]), [], {
      cloudContacts: [same, moved],
      contactLedger: new Map([['k2', guid(2)]]),
    });
    assert.equal(byDn(p, 'Ann')!.action, 'none');
    const bo = byDn(p, 'Bo')!;
    assert.equal(bo.action, 'update');
    assert.match(bo.reason!, /synchronized before/);
    assert.deepEqual(kinds(p.payload.operations), ['updateContact']);
    const op = p.payload.operations[0]!;
    assert.deepEqual(op.kind === 'updateContact' && op.body.emails, [{ type: 'work', value: 'bo@partner.example.net', primary: true }]);
  });

  it('deletes only the contacts this config synchronized; the threshold counts them; others are left alone', async () => {
    const cloud = [
      contact('k1', 'gone@partner.example.net'),
      contact('k2', 'manual@partner.example.net'),
      contact('k3', 'broadworks@partner.example.net', { source: 'Webex4Broadworks' }),
    ];
    const p = await plan(config(WEBEX), [], [], {
      cloudContacts: cloud,
      contactLedger: new Map([
        ['k1', guid(9)],
        ['k3', guid(8)],
      ]),
    });
    assert.deepEqual(kinds(p.payload.operations), ['deleteContact']);
    const op = p.payload.operations[0]!;
    assert.deepEqual(op.kind === 'deleteContact' && op.target, { cloudId: 'k1', externalId: guid(9) });
    const it = p.report.items.find((i) => i.cloudId === 'k1')!;
    assert.equal(it.action, 'delete');
    assert.equal(it.objectType, 'contact');
    assert.equal(p.report.work!.contacts.delete, 1);
    assert.equal(p.report.threshold.deletions, 1);
    assert.equal(p.report.threshold.owned, 1, 'the one ledger contact of source CH');
    assert.equal(p.report.items.length, 1);
  });

  it('apply order: users first, then contact creates, then contact deletes', async () => {
    const cfg = config({ ...WEBEX, policy: { mismatched: 'delete', deleteThreshold: { count: 0, percent: 0 } } });
    const p = await plan(cfg, [...items('users', [person(1, 'Ada')]), ...items('contacts', [adContact(2, 'Ann')])], [], {
      cloudContacts: [contact('k9', 'old@partner.example.net')],
      contactLedger: new Map([['k9', guid(9)]]),
    });
    assert.deepEqual(kinds(p.payload.operations), ['createUser', 'createContact', 'deleteContact']);
  });

  it('without the contacts API (a generic SCIM target) AD contacts are reported and skipped, saying why', async () => {
    const cfg = config({ objects: { contacts: { enabled: true } } });
    const p = await plan(cfg, items('contacts', [adContact(1, 'Ann')]), [], { contactsUnavailable: 'no contacts API here' });
    const it = byDn(p, 'Ann')!;
    assert.equal(it.action, 'skip');
    assert.match(it.reason!, /no contacts API/);
    assert.equal(p.payload.operations.length, 0);
    assert.ok(p.report.messages.some((m) => m.severity === 'warning' && m.message === 'no contacts API here'));
  });

  it('a mapped attribute Webex contacts have no field for is not sent, said once', async () => {
    const cfg = config({ ...WEBEX, contactAttributes: { ...WEBEX.contactAttributes, departmentNumber: 'department' } });
    const p = await plan(
      cfg,
      items('contacts', [adContact(1, 'Ann', { department: 'Sales' }), adContact(2, 'Bo', { department: 'HR' })]),
      [],
      {
        cloudContacts: [],
        contactLedger: new Map(),
      },
    );
    const notes = p.report.messages.filter((m) => /departmentNumber/.test(m.message));
    assert.equal(notes.length, 1);
    assert.match(notes[0]!.message, /no such field; not sent/);
  });
});

describe('sync plan: Webex org contacts, incremental (pure)', () => {
  it('an identity-only contact with its org contact is unchanged; one without is read again in full and created', async () => {
    const identity = (e: ReturnType<typeof adContact>) => ({
      dn: e.dn,
      attributes: { objectguid: e.attributes['objectguid']!, mail: e.attributes['mail']! },
    });
    const reread: string[] = [];
    const p = await plan(
      config(WEBEX),
      [
        { selection: 'contacts', entry: identity(adContact(1, 'Ann')), identityOnly: true },
        { selection: 'contacts', entry: identity(adContact(2, 'Bo')), identityOnly: true },
      ],
      [],
      {
        cloudContacts: [contact('k1', 'ann@partner.example.net', { displayName: 'Someone else' })],
        contactLedger: new Map([['k1', guid(1)]]),
        incremental: {
          sinceUsn: '100',
          async *readInFull(list) {
            for (const it of list) {
              reread.push(it.entry.dn);
              yield { selection: it.selection, entry: adContact(2, 'Bo') };
            }
          },
        },
      },
    );
    const ann = byDn(p, 'Ann')!;
    assert.equal(ann.action, 'none');
    assert.match(ann.reason!, /unchanged since the last sync/);
    assert.deepEqual(reread, [adContact(2, 'Bo').dn]);
    assert.equal(byDn(p, 'Bo')!.action, 'create');
    assert.deepEqual(kinds(p.payload.operations), ['createContact']);
  });
});

describe('contact fields and bodies (pure)', () => {
  it('reads the address from addressInfo or the JSON text, and writes it back as JSON text', () => {
    const c = contact('k', 'a@b.example', { address: '{"city":"Milpitas","zipCode":"99212"}' });
    assert.deepEqual(fieldsOfContact(c), { email: 'a@b.example', 'address.city': 'Milpitas', 'address.zipCode': '99212' });
    const body = contactCreateBody({ email: 'a@b.example', 'address.city': 'Oslo', 'address.country': 'NO', title: null });
    assert.equal(body.address, '{"city":"Oslo","country":"NO"}');
    assert.equal(body.title, undefined);
  });

  it('a text emptied in AD is cleared with ""', () => {
    const { body } = contactUpdate({ email: 'a@b.example', title: null }, contact('k', 'a@b.example', { title: 'GM' }));
    assert.deepEqual(body, { source: 'CH', title: '' });
  });

  it('the next page of a search is the Link header\'s rel="next", when there is one', () => {
    const url = 'https://webexapis.com/v1/contacts/organizations/o/contacts/search?source=CH&limit=100&start=100';
    assert.equal(nextLink(`<${url}>; rel="next"`)?.searchParams.get('start'), '100');
    assert.equal(nextLink(`<https://x.example/a>; rel="prev", <${url}>; rel=next`)?.href, url);
    assert.equal(nextLink('<https://x.example/a>; rel="prev"'), undefined);
    assert.equal(nextLink(undefined), undefined);
  });

  it('bulk answers: failures by index, the created contacts in order (nulls allowed)', () => {
    const r = bulkResults(3, {
      contacts: [contact('a', 'a@x.example'), null, contact('c', 'c@x.example')],
      failedContacts: [{ id: '1', errorCode: 403, errorMessage: 'only sources [CH] are allowed' }],
    });
    assert.deepEqual(
      r.map((x) => (x.ok ? x.contact.contactId : `${x.status} ${x.message}`)),
      ['a', '403 only sources [CH] are allowed', 'c'],
    );
  });
});
