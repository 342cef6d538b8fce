import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportItem } from '../../../../common/report';
import { itemSourceOf, reportItemCount, reportItems, reportItemsWithActions, withReport } from '../../../../common/reportItems';
import { saveReport } from '../../../../server/src/sync/engine/dryRun';
import { PlanSpools } from '../../../../server/src/sync/engine/itemSpool';
import { HELD_WAITING_BYTES, WaitingSpool, waitingBytes } from '../../../../server/src/sync/engine/waitingSpool';
import { BASE, cloudUser, config, guid, items, person, plan } from '../../../support/planBuilders';

const tmp = () => mkdtempSync(join(tmpdir(), 'dirsync-spool-'));

/** A directory where every user's manager is read after the user, each with a picture. */
function managedDirectory(n: number) {
  const users = Array.from({ length: n }, (_, i) =>
    person(i + 1, `User ${i + 1} “ü” 🙂`, { manager: `CN=User ${i + 2} “ü” 🙂,OU=People,${BASE}`, title: 'é'.repeat(i % 7) }),
  );
  for (const [i, u] of users.entries())
    (u.attributes as Record<string, unknown[]>)['thumbnailphoto'] = [Buffer.from([0xff, 0xd8, i % 256, 0xff, 0xd9])];
  return users;
}

describe('sync engine: report items and waiting users in spool files', () => {
  it('a plan with spools has the same report, items, operations and order as one in memory', async () => {
    const cfg = config({ attributes: { manager: 'manager', title: 'title' } });
    const entries = managedDirectory(1500);
    const cloud = [cloudUser('c1', 'user.1.“ü”.🙂@corp.example.com', { externalId: guid(1) })];
    const inMemory = await plan(cfg, items('users', entries), cloud);
    const dir = tmp();
    const spools = await PlanSpools.open(join(dir, 'reports'));
    try {
      const spooled = await plan(cfg, items('users', entries), cloud, {
        ...spools.sinks(),
        keptAttributes: ['thumbnailPhoto', 'objectGUID'],
      });
      assert.ok(itemSourceOf(spooled.report), 'the items are kept outside the report');
      assert.equal(reportItemCount(spooled.report), inMemory.report.items.length);
      assert.deepEqual([...reportItems(spooled.report)], inMemory.report.items);
      assert.deepEqual(spooled.payload, inMemory.payload);
      assert.deepEqual(spooled.report.summary, inMemory.report.summary);
      assert.deepEqual(spooled.report.work, inMemory.report.work);
      // The waiting users' file is gone once they are decided; the items' file until the report is saved.
      assert.deepEqual(
        readdirSync(join(dir, 'reports')).filter((f) => f.startsWith('.waiting-')),
        [],
      );
      spools.planned();
      const file = await saveReport(dir, spooled.report);
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), JSON.parse(JSON.stringify(inMemory.report)));
      assert.deepEqual(
        readdirSync(join(dir, 'reports')).filter((f) => f.startsWith('.')),
        [],
        'no spool file is left once the report is saved',
      );
      // Read back from the saved report from now on; `items` still works (read on first use).
      assert.deepEqual([...reportItems(spooled.report)], inMemory.report.items);
      // Saved again after an apply (another mode, another file): its items come from the first file.
      const applied = await saveReport(dir, withReport(spooled.report, { mode: 'full' }));
      assert.notEqual(applied, file);
      assert.deepEqual(JSON.parse(readFileSync(applied, 'utf8')), { ...JSON.parse(JSON.stringify(inMemory.report)), mode: 'full' });
      assert.deepEqual([...reportItems(spooled.report)], inMemory.report.items, 'read from the latest file');
      assert.deepEqual(spooled.report.items, inMemory.report.items);
    } finally {
      spools.close();
    }
  });

  it('withReport replaces fields without reading the items; a spread copy reads them', async () => {
    const dir = tmp();
    const spools = await PlanSpools.open(join(dir, 'reports'));
    const p = await plan(config(), items('users', [person(1, 'Ada'), person(2, 'Bo')]), [], spools.sinks());
    const full = withReport(p.report, { mode: 'full' });
    assert.equal(full.mode, 'full');
    assert.equal(p.report.mode, 'dryRun');
    assert.ok(itemSourceOf(full), 'still kept outside');
    assert.deepEqual(
      [...reportItems(full)].map((i: ReportItem) => i.dn),
      [`CN=Ada,OU=People,${BASE}`, `CN=Bo,OU=People,${BASE}`],
    );
    const copy = { ...p.report };
    assert.equal(itemSourceOf(copy), undefined);
    assert.equal(copy.items.length, 2);
    spools.close();
    assert.ok(!readdirSync(join(dir, 'reports')).some((f) => f.startsWith('.items-')));
  });

  it('a value longer than the read chunk and characters across chunk edges come back whole', async () => {
    const dir = tmp();
    const spools = await PlanSpools.open(join(dir, 'reports'));
    const long = `${'€'.repeat(700_000)}x`; // 2.1 MB as UTF-8: lines cross several 1 MB chunks
    const cfg = config({ attributes: { title: 'title' } });
    const entries = [person(1, 'Ada', { title: long }), person(2, 'Bo', { title: `ä${'ö'.repeat(400_001)}` }), person(3, 'Cy')];
    const p = await plan(cfg, items('users', entries), [], spools.sinks());
    const back = [...reportItems(p.report)];
    assert.equal(back.length, 3);
    assert.equal(back[0]!.changes!.find((c) => c.scimPath === 'title')!.new, long);
    assert.equal(back[1]!.changes!.find((c) => c.scimPath === 'title')!.new, `ä${'ö'.repeat(400_001)}`);
    spools.close();
  });

  it('the items of some actions are read without parsing the others, from the spool and from the saved report', async () => {
    const cfg = config({ attributes: { title: 'title' } });
    const entries = Array.from({ length: 400 }, (_, i) => person(i + 1, `User ${i + 1}`, { title: i % 3 ? 'same' : 'nëw 🙂' }));
    const cloud = entries.flatMap((_, i) =>
      i % 5
        ? [cloudUser(`c${i}`, `user.${i + 1}@corp.example.com`, { externalId: guid(i + 1), displayName: `User ${i + 1}`, title: 'same' })]
        : [],
    );
    const inMemory = await plan(cfg, items('users', entries), cloud);
    const dir = tmp();
    const spools = await PlanSpools.open(join(dir, 'reports'));
    try {
      const spooled = await plan(cfg, items('users', entries), cloud, spools.sinks());
      const wanted = new Set<ReportItem['action']>(['create', 'update']);
      const expected = inMemory.report.items.filter((i) => wanted.has(i.action));
      assert.ok(expected.length > 0 && expected.length < inMemory.report.items.length, 'some items, not all');
      assert.deepEqual([...reportItemsWithActions(spooled.report, wanted)], expected);
      assert.deepEqual([...reportItemsWithActions(inMemory.report, wanted)], expected);
      await saveReport(dir, spooled.report);
      assert.deepEqual([...reportItemsWithActions(spooled.report, wanted)], expected, 'from the saved report');
      assert.deepEqual(
        [...reportItemsWithActions(spooled.report, new Set(['delete']))],
        inMemory.report.items.filter((i) => i.action === 'delete'),
      );
    } finally {
      spools.close();
    }
  });

  // All in the file; the first 7 held and the rest in the file (the 8th has a 2.5 MB picture); all held.
  for (const [held, budget] of [
    ['none held', 0],
    ['some held', 1_000_000],
    ['all held', HELD_WAITING_BYTES],
  ] as const)
    it(`waiting users come back in order with their binary values (a Buffer, a Uint8Array view) byte for byte (${held})`, async () => {
      const dir = tmp();
      const waiting = await WaitingSpool.open(join(dir, 'reports'), budget);
      const backing = new Uint8Array([9, 9, 1, 2, 3, 250, 9]);
      const users = Array.from({ length: 3000 }, (_, i) => ({
        mapped: {
          objectType: 'user' as const,
          dn: `CN=U${i},${BASE}`,
          externalId: guid(i + 1),
          userName: `u${i}@x.example`,
          active: i % 2 === 0,
          values: [
            {
              attribute: 'title',
              scimPath: 'title',
              value: i % 3 ? `T${i}` : null,
              configRef: { file: 'a.dirsync', line: 3, column: 5, path: 'attributes.title' },
            },
          ],
          errors: [],
          warnings: [],
        },
        entry: {
          dn: `CN=U${i},${BASE}`,
          attributes: { thumbnailphoto: [Buffer.from([i % 256, 0, 255])], objectsid: [backing.subarray(2, 6)] },
        },
      }));
      // Pictures longer than a read chunk (1 MB), one of them across several.
      const big = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, k) => (k * 31 + seed) % 256));
      (users[7]!.entry.attributes as Record<string, unknown[]>)['thumbnailphoto'] = [big(2_500_000, 7)];
      (users[1500]!.entry.attributes as Record<string, unknown[]>)['thumbnailphoto'] = [big(1_048_573, 1500)];
      // Some taken back by ticket as they are added or later (their manager read): held ones, the big
      // picture, one still in the write buffer, the last one.
      const early = new Map<number, unknown>();
      for (const [i, u] of users.entries()) {
        assert.equal(waiting.add(u), i, 'tickets count from 0 in the order added');
        if (i === 2 || i === 2000) early.set(i, waiting.take(i));
      }
      for (const i of [5, 7, 1500, 2999]) early.set(i, waiting.take(i));
      assert.throws(() => waiting.take(7), /taken already/);
      assert.equal(waiting.heldCount, budget === 0 ? 0 : budget === HELD_WAITING_BYTES ? users.length - 6 : 5);
      if (budget === HELD_WAITING_BYTES) assert.ok(users.reduce((sum, u) => sum + waitingBytes(u), 0) < budget);
      for (const [i, u] of early) {
        assert.deepEqual((u as (typeof users)[number]).mapped, users[i]!.mapped, `taken ${i}`);
        assert.ok(
          Buffer.from((u as (typeof users)[number]).entry.attributes['thumbnailphoto']![0] as Uint8Array).equals(
            Buffer.from(users[i]!.entry.attributes['thumbnailphoto']![0] as Uint8Array),
          ),
          `taken ${i}: picture`,
        );
      }
      const drained = [...waiting.drain()];
      assert.equal(drained.length, users.length - early.size);
      const back = users.map((u, i) => (early.has(i) ? u : drained.shift()!));
      for (const [i, u] of back.entries()) {
        assert.deepEqual(u.mapped, users[i]!.mapped);
        const picture = u.entry!.attributes['thumbnailphoto']![0] as Uint8Array;
        if (i === 7 || i === 1500)
          assert.ok(Buffer.from(picture).equals(users[i]!.entry.attributes['thumbnailphoto']![0] as Buffer), `picture ${i}`);
        else assert.deepEqual([...picture], [i % 256, 0, 255]);
        assert.deepEqual([...(u.entry!.attributes['objectsid']![0] as Uint8Array)], [1, 2, 3, 250]);
        assert.ok(u.entry!.attributes['objectsid']![0] instanceof Uint8Array);
      }
      assert.ok(!readdirSync(join(dir, 'reports')).some((f) => f.startsWith('.waiting-')), 'drained: the file is removed');
    });

  it("spool files of a dry run or a sync that was killed are removed by the next one; a running one's are kept", async () => {
    const dir = tmp();
    const reports = join(dir, 'reports');
    mkdirSync(reports);
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const gone = Number(child.stdout.toString()); // a process that has exited
    const orphans = [
      `.items-${gone}-1.jsonl`,
      `.waiting-${gone}-2.bin`,
      `.waiting-${gone}-3.jsonl`,
      `.cloud-${gone}-4.bin`,
      `.ops-${gone}-5-create.jsonl`,
      `.ops-${gone}-6-avatar.jsonl`,
    ];
    const kept = [`.items-${process.ppid}-1.jsonl`, `.ops-${process.ppid}-3-create.jsonl`, 'last-dryRun.json', `.items-${gone}-1.json`];
    for (const f of [...orphans, ...kept]) writeFileSync(join(reports, f), '{}\n');
    const spools = await PlanSpools.open(reports);
    const left = readdirSync(reports);
    for (const f of orphans) assert.ok(!left.includes(f), `${f} removed`);
    for (const f of kept) assert.ok(left.includes(f), `${f} kept`);
    spools.close();
  });

  it('a file where the reports folder should be is named, with what to do', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'reports'), 'not a folder');
    await assert.rejects(PlanSpools.open(join(dir, 'reports')), (err: Error) => {
      assert.equal(
        err.message,
        `cannot create the reports folder ${join(dir, 'reports')}: a file is in the way of the folder (move or remove it: dirsync keeps its reports and state there)`,
      );
      return true;
    });
    await assert.rejects(saveReport(dir, (await plan(config(), [], [])).report), /cannot create the reports folder .*a file is in the way/);
  });

  it('a failed plan leaves no spool file behind', async () => {
    const dir = tmp();
    const spools = await PlanSpools.open(join(dir, 'reports'));
    async function* cloudUsers() {
      yield cloudUser('c1', 'a@corp.example.com');
      throw new Error('the cloud answered 500');
    }
    await assert.rejects(plan(config(), items('users', managedDirectory(10)), [], { ...spools.sinks(), cloudUsers: cloudUsers() }), /500/);
    spools.close();
    assert.deepEqual(readdirSync(join(dir, 'reports')), []);
    assert.ok(existsSync(join(dir, 'reports')));
  });
});
