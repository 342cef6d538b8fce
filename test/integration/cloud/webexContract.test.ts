/**
 * Webex's published API contract: `sample-configs/demo.dirsync` with `cloud.type: "webex"` goes
 * plan → apply → plan, then a modify, a delete and a disable go plan → apply → plan, every request
 * through `prism proxy --errors` holding Webex's SCIM 2 Users, Groups and Bulk documents (merged
 * into one) in front of the local cloud — and every contacts request through a second Prism holding
 * the Organization Contacts document (one origin in front of both, as webexapis.com serves both).
 * Prism checks each request and each of the local cloud's answers; nothing may be rejected except
 * the few artifacts of the documents listed below.
 */
import { strict as assert } from 'node:assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOUNT_STATES } from '../../../server/src/localCloud/webexDialect';
import { startCloudFixture, type CloudFixture } from '../../support/cloud';
import { runCli, ROOT } from '../../support/syncCli';
import {
  startPrismProxy,
  startRouter,
  writeContactsContract,
  writeScimContract,
  type DocumentCorrection,
  type PrismProxy,
  type Violation,
} from '../../support/webexContract';

/**
 * Artifacts of the documents themselves, corrected in the merged document before Prism reads it
 * (Prism cannot let a single violation pass). Everything else must pass as published.
 */
const DOCUMENT_CORRECTIONS: readonly DocumentCorrection[] = [
  {
    // RFC 7644 §3.5.2: an operation's value is whatever its path's attribute holds (a string for
    // the enterprise `manager.value`, an array of photos for `photos`); PatchUser types every
    // value as an array of roles, copied from its role-assignment example.
    pointer: '/components/schemas/PatchUser/properties/Operations/items/properties/value',
    schema: {},
    why: "PatchUser types every operation's value as an array of roles",
  },
  {
    // The Schemas document declares accountStatus multi-valued (canonical values include
    // `marked_deleted`), and the Users document's own answer examples show `accountStatus:
    // [active]`; its AccountStatusObject types it as one string. Either form passes.
    pointer: '/components/schemas/AccountStatusObject',
    schema: {
      oneOf: [
        { type: 'string', enum: ACCOUNT_STATES },
        { type: 'array', items: { type: 'string', enum: [...ACCOUNT_STATES, 'marked_deleted'] } },
      ],
    },
    why: 'AccountStatusObject types accountStatus as one string; the Schemas document and the answer examples make it an array',
  },
];

/** Artifacts of the Organization Contacts document, corrected the same way (none so far). */
const CONTACTS_CORRECTIONS: readonly DocumentCorrection[] = [];

/**
 * The demo's export with a second round of AD changes: one user's title changed and a first mobile
 * number added (a modify), one
 * user disabled, one user removed (a soft delete in the cloud, and group memberships removed),
 * one group removed (a delete). Returns the DNs' first lines, for messages.
 */
function changeDirectory(ldif: string): string[] {
  const blocks = readFileSync(ldif, 'utf8').split('\n\n');
  const people = blocks
    .map((b, i) => ({ b, i }))
    .filter(({ b }) => /^objectClass: user$/m.test(b) && /^userAccountControl: 512$/m.test(b) && !/msExchResourceMetaData/.test(b));
  const groupAt = blocks.findIndex((b) => /^objectClass: group$/m.test(b) && /^member/m.test(b));
  const [modified, disabled, removed] = people.slice(-3);
  assert.ok(modified && disabled && removed && groupAt >= 0);
  // A contact with a new phone number and company (an update), two removed (a bulk delete), one new.
  const contacts = blocks.map((b, i) => ({ b, i })).filter(({ b }) => /^objectClass: contact$/m.test(b));
  const [contactModified, contactRemoved, contactRemoved2] = contacts.slice(-3);
  assert.ok(contactModified && contactRemoved && contactRemoved2);
  const contactKept = contactModified.b.replace(/^(?:telephoneNumber|company)::? .*\n(?: .*\n)*/gm, '').replace(/\n+$/, '');
  blocks[contactModified.i] = `${contactKept}\ntelephoneNumber: +1 555 0199\ncompany: Contract Testers Ltd`;
  // A new contact (one create alone: a plain POST, no bulk request).
  const added = [
    'dn: CN=Contract Newcomer (Prism Ltd),OU=Contacts,OU=Corp,DC=corp,DC=example,DC=com',
    'objectClass: top',
    'objectClass: person',
    'objectClass: organizationalPerson',
    'objectClass: contact',
    'cn: Contract Newcomer (Prism Ltd)',
    'givenName: Contract',
    'sn: Newcomer',
    'displayName: Contract Newcomer',
    'mail: contract.newcomer@prism.example.net',
    'company: Prism Ltd',
    'objectCategory: CN=Person,CN=Schema,CN=Configuration,DC=corp,DC=example,DC=com',
    `objectGUID:: ${Buffer.from('0123456789abcdef').toString('base64')}`,
  ].join('\n');
  blocks[contactRemoved.i] = added;
  blocks[contactRemoved2.i] = '';
  // A new title (a replace) and a first mobile number (an add: Webex has no element to replace).
  const kept = modified.b.replace(/^(?:title|mobile)::? .*\n(?: .*\n)*/gm, '').replace(/\n+$/, '');
  blocks[modified.i] = `${kept}\ntitle: Contract Tester\nmobile: +1 555 0100`;
  blocks[disabled.i] = disabled.b.replace(/^userAccountControl: 512$/m, 'userAccountControl: 514');
  const firstLine = (b: string) => b.split('\n')[0]!;
  const changed = [modified.b, disabled.b, removed.b, blocks[groupAt]!, contactModified.b, contactRemoved.b, contactRemoved2.b].map(
    firstLine,
  );
  blocks[removed.i] = '';
  blocks[groupAt] = '';
  writeFileSync(ldif, blocks.filter((b) => b !== '').join('\n\n'));
  return changed;
}

function describeViolations(list: readonly Violation[]): string {
  const seen = new Map<string, number>();
  for (const v of list) {
    const key = `${v.method} ${v.path.replace(/[0-9a-f-]{36}/g, '{id}').replace(/\?.*/, '')} → ${v.status} ${v.side} ${v.location}: ${v.message}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].map(([k, n]) => `${n}× ${k}`).join('\n');
}

describe("Webex contract: the demo through Prism holding Webex's published documents", function () {
  this.timeout(300_000);
  let f: CloudFixture;
  let prism: PrismProxy;
  let contactsPrism: PrismProxy;
  let router: { url: string; close(): Promise<void> };
  let config: string;

  before(async () => {
    f = await startCloudFixture({ orgId: 'demo-org', dialect: 'webex' });
    prism = await startPrismProxy(writeScimContract(join(f.dir, 'webex-scim.json'), DOCUMENT_CORRECTIONS), f.cloud.url);
    // The contacts document's paths start at /contacts; Webex (and the local cloud) serve them under /v1.
    contactsPrism = await startPrismProxy(
      writeContactsContract(join(f.dir, 'webex-contacts.json'), CONTACTS_CORRECTIONS),
      `${f.cloud.url}/v1`,
    );
    router = await startRouter([
      { prefix: '/v1/contacts/', target: `${contactsPrism.url}/contacts/` },
      { prefix: '/', target: `${prism.url}/` },
    ]);
    cpSync(join(ROOT, 'sample-configs', 'data'), join(f.dir, 'data'), { recursive: true });
    // SCIM through Prism; pictures published to the local cloud's store (not part of Webex's API).
    const demo = readFileSync(join(ROOT, 'sample-configs', 'demo.dirsync'), 'utf8')
      .replace('http://127.0.0.1:8787/identity/scim/demo-org/v2', `${router.url}/identity/scim/demo-org/v2`)
      .replaceAll('http://127.0.0.1:8787', f.cloud.url);
    assert.match(demo, /"type": "webex"/);
    assert.ok(demo.includes(`${f.cloud.url}/published`));
    config = join(f.dir, 'demo.dirsync');
    writeFileSync(config, demo);
  });
  after(async () => {
    await router?.close();
    await contactsPrism?.close();
    await prism?.close();
    await f?.close();
  });

  function rejected(): Violation[] {
    return [...prism.violations, ...contactsPrism.violations].filter((v) => v.severity === 'error');
  }

  /** `METHOD path-shape` of the contacts requests that went through (ids as {id}). */
  function contactCalls(): Set<string> {
    return new Set(contactsPrism.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/g, '{id}').replace(/\?.*/, '')}`));
  }

  it('plan → apply → plan of the demo: every request and answer passes, the second plan has nothing to do', async () => {
    const plan = await runCli(['plan', 'demo.dirsync', '-o', 'plan.json'], f.dir);
    assert.equal(plan.code, 2, plan.stderr + plan.stdout);
    const apply = await runCli(['apply', 'plan.json', '--json'], f.dir);
    const violations = describeViolations(rejected());
    assert.equal(violations, '', `Prism rejected:\n${violations}`);
    assert.equal(apply.code, 2, apply.stderr + apply.stdout);
    const users = [];
    for await (const u of f.client().users.list()) users.push(u);
    assert.equal(users.filter((u) => u.userType === 'room').length, 6);
    assert.ok(users.filter((u) => JSON.stringify(u.photos ?? []).includes('/published/')).length > 0, 'pictures published and linked');
    // The demo's AD contacts are Webex org contacts now, created through the contacts API.
    assert.equal(f.cloud.admin.stats().contacts, 12);
    assert.ok(contactCalls().has('POST /contacts/organizations/demo-org/contacts/bulk'), [...contactCalls()].join(', '));
    assert.ok(contactCalls().has('GET /contacts/organizations/demo-org/contacts/search'));
    const again = await runCli(['plan', 'demo.dirsync'], f.dir);
    assert.equal(describeViolations(rejected()), '');
    assert.equal(again.code, 0, again.stderr + again.stdout);
    // The second plan read the groups' members the Webex way.
    assert.ok(prism.requests.some((r) => r.method === 'GET' && /\/Groups\/[^/]+\/Members/.test(r.path)));
  });

  it('a modify, a disable, a soft delete, a group delete and contacts updated, created and deleted: plan → apply → plan, nothing rejected', async () => {
    const changed = changeDirectory(join(f.dir, 'data', 'corp.example.com.ldif'));
    const plan = await runCli(['plan', 'demo.dirsync', '-o', 'plan2.json', '--json'], f.dir);
    assert.equal(plan.code, 2, plan.stderr + plan.stdout);
    const kinds = (
      JSON.parse(readFileSync(join(f.dir, 'plan2.json'), 'utf8')) as { plan: { operations: Array<{ kind: string }> } }
    ).plan.operations.map((o) => o.kind);
    assert.equal(kinds.filter((k) => k === 'updateContact').length, 1, kinds.join(' '));
    assert.equal(kinds.filter((k) => k === 'deleteContact').length, 2, kinds.join(' '));
    assert.equal(kinds.filter((k) => k === 'createContact').length, 1, kinds.join(' '));
    const apply = await runCli(['apply', 'plan2.json', '--json'], f.dir);
    const violations = describeViolations(rejected());
    assert.equal(violations, '', `Prism rejected:\n${violations}`);
    assert.equal(apply.code, 2, apply.stderr + apply.stdout);
    const result = JSON.parse(apply.stdout) as { failed: number; applied: number };
    assert.equal(result.failed, 0, apply.stdout);
    assert.ok(result.applied >= 4, `${result.applied} operations applied for ${changed.join(' | ')}`);
    assert.equal(f.cloud.admin.stats().softDeletedUsers, 1);
    assert.equal(f.cloud.admin.stats().contacts, 11);
    assert.ok(contactCalls().has('POST /contacts/organizations/demo-org/contacts'), [...contactCalls()].join(', '));
    assert.ok(contactCalls().has('PATCH /contacts/organizations/demo-org/contacts/{id}'), [...contactCalls()].join(', '));
    assert.ok(contactCalls().has('POST /contacts/organizations/demo-org/contacts/bulk/delete'), [...contactCalls()].join(', '));
    const again = await runCli(['plan', 'demo.dirsync'], f.dir);
    assert.equal(describeViolations(rejected()), '');
    assert.equal(again.code, 0, again.stderr + again.stdout);
  });
});
