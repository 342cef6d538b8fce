/**
 * Webex's published API contract: `sample-configs/demo.dirsync` with `cloud.type: "webex"` goes
 * plan → apply → plan, then a modify, a delete and a disable go plan → apply → plan, every request
 * through `prism proxy --errors` holding Webex's SCIM 2 Users, Groups and Bulk documents (merged
 * into one) in front of the local cloud. Prism checks each request and each of the local cloud's
 * answers; nothing may be rejected except the few artifacts of the documents listed below.
 */
import { strict as assert } from 'node:assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOUNT_STATES } from '../../../server/src/localCloud/webexDialect';
import { startCloudFixture, type CloudFixture } from '../../support/cloud';
import { runCli, ROOT } from '../../support/syncCli';
import { startPrismProxy, writeScimContract, type DocumentCorrection, type PrismProxy, type Violation } from '../../support/webexContract';

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
  // A new title (a replace) and a first mobile number (an add: Webex has no element to replace).
  const kept = modified.b.replace(/^(?:title|mobile)::? .*\n(?: .*\n)*/gm, '').replace(/\n+$/, '');
  blocks[modified.i] = `${kept}\ntitle: Contract Tester\nmobile: +1 555 0100`;
  blocks[disabled.i] = disabled.b.replace(/^userAccountControl: 512$/m, 'userAccountControl: 514');
  const firstLine = (b: string) => b.split('\n')[0]!;
  const changed = [modified.b, disabled.b, removed.b, blocks[groupAt]!].map(firstLine);
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
  let config: string;

  before(async () => {
    f = await startCloudFixture({ orgId: 'demo-org', dialect: 'webex' });
    prism = await startPrismProxy(writeScimContract(join(f.dir, 'webex-scim.json'), DOCUMENT_CORRECTIONS), f.cloud.url);
    cpSync(join(ROOT, 'sample-configs', 'data'), join(f.dir, 'data'), { recursive: true });
    // SCIM through Prism; pictures published to the local cloud's store (not part of Webex's API).
    const demo = readFileSync(join(ROOT, 'sample-configs', 'demo.dirsync'), 'utf8')
      .replace('http://127.0.0.1:8787/identity/scim/demo-org/v2', `${prism.url}/identity/scim/demo-org/v2`)
      .replaceAll('http://127.0.0.1:8787', f.cloud.url);
    assert.match(demo, /"type": "webex"/);
    assert.ok(demo.includes(`${f.cloud.url}/published`));
    config = join(f.dir, 'demo.dirsync');
    writeFileSync(config, demo);
  });
  after(async () => {
    await prism?.close();
    await f?.close();
  });

  function rejected(): Violation[] {
    return prism.violations.filter((v) => v.severity === 'error');
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
    const again = await runCli(['plan', 'demo.dirsync'], f.dir);
    assert.equal(describeViolations(rejected()), '');
    assert.equal(again.code, 0, again.stderr + again.stdout);
    // The second plan read the groups' members the Webex way.
    assert.ok(prism.requests.some((r) => r.method === 'GET' && /\/Groups\/[^/]+\/Members/.test(r.path)));
  });

  it('a modify, a disable, a soft delete and a group delete: plan → apply → plan, nothing rejected', async () => {
    const changed = changeDirectory(join(f.dir, 'data', 'corp.example.com.ldif'));
    const plan = await runCli(['plan', 'demo.dirsync', '-o', 'plan2.json', '--json'], f.dir);
    assert.equal(plan.code, 2, plan.stderr + plan.stdout);
    const apply = await runCli(['apply', 'plan2.json', '--json'], f.dir);
    const violations = describeViolations(rejected());
    assert.equal(violations, '', `Prism rejected:\n${violations}`);
    assert.equal(apply.code, 2, apply.stderr + apply.stdout);
    const result = JSON.parse(apply.stdout) as { failed: number; applied: number };
    assert.equal(result.failed, 0, apply.stdout);
    assert.ok(result.applied >= 4, `${result.applied} operations applied for ${changed.join(' | ')}`);
    assert.equal(f.cloud.admin.stats().softDeletedUsers, 1);
    const again = await runCli(['plan', 'demo.dirsync'], f.dir);
    assert.equal(describeViolations(rejected()), '');
    assert.equal(again.code, 0, again.stderr + again.stdout);
  });
});
