/**
 * The dry run at scale: N users + N/50 groups in the directory against N cloud users, as a ratio
 * to the raw reads of both sides (every selection's entries with the same attributes, every cloud
 * user) in the same run — target ≤ 1.3 — and the dry run's peak RSS (target ≤ 600 MB).
 *
 * Directory side: an LDIF export generated here (cached under /var/tmp/dirsync-bench-sync/), not
 * the Samba bench DC: a 100k Samba DC needs 127.0.0.1:389, which the tests' fixture holds while
 * anyone is testing, and takes ~26 min to build (see README § Directory side). Cloud side: a real
 * local cloud in this process (SQLite file, cached), N users imported once: 98 % match AD exactly,
 * 1 % differ in title (modified), 1 % are cloud-only (mismatched).
 *
 *   npm run bench -- sync
 *   DIRSYNC_BENCH_SYNC_USERS=10000 npm run bench -- sync
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formatLdifRecord, LDIF_HEADER } from '../../server/src/directory/ldifWriter';
import { formatGuid } from '../../server/src/domain/adValues';
import { startLocalCloud } from '../../server/src/localCloud/index';

const run = promisify(execFile);
const ROUNDS = 3;
const DIR = '/var/tmp/dirsync-bench-sync';
const BASE = 'DC=corp,DC=example,DC=com';
const TOKEN = 'bench-token';

const guidBytes = (i: number) => createHash('md5').update(`bench-${i}`).digest().subarray(0, 16);
const person = (i: number) => ({
  dn: `CN=User ${i},OU=People,${BASE}`,
  mail: `user${i}@corp.example.com`,
  given: `Given${i}`,
  sn: `Family${i}`,
  title: `Title ${i % 97}`,
  dept: `Dept ${i % 31}`,
  disabled: i % 20 === 7,
});

async function writeLdif(file: string, users: number, groups: number): Promise<void> {
  if (existsSync(file)) return;
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(LDIF_HEADER);
  for (let i = 0; i < users; i++) {
    const p = person(i);
    await write(
      formatLdifRecord({
        dn: p.dn,
        attributes: {
          objectClass: ['top', 'person', 'organizationalPerson', 'user'],
          objectCategory: [`CN=Person,CN=Schema,CN=Configuration,${BASE}`],
          objectGUID: [guidBytes(i)],
          cn: [`User ${i}`],
          givenName: [p.given],
          sn: [p.sn],
          displayName: [`${p.given} ${p.sn}`],
          mail: [p.mail],
          title: [p.title],
          department: [p.dept],
          telephoneNumber: [`+1 555 ${String(i).padStart(6, '0')}`],
          userAccountControl: [p.disabled ? '514' : '512'],
        },
      }) + '\n',
    );
  }
  const per = Math.max(1, Math.floor(users / groups));
  for (let g = 0; g < groups; g++) {
    const members = Array.from({ length: Math.min(per, users) }, (_, k) => person((g * per + k) % users).dn);
    await write(
      formatLdifRecord({
        dn: `CN=Group ${g},OU=Groups,${BASE}`,
        attributes: {
          objectClass: ['top', 'group'],
          objectCategory: [`CN=Group,CN=Schema,CN=Configuration,${BASE}`],
          objectGUID: [guidBytes(10_000_000 + g)],
          cn: [`Group ${g}`],
          member: members,
        },
      }) + '\n',
    );
  }
  out.end();
  await once(out, 'finish');
  renameSync(tmp, file);
}

function cloudUsers(users: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < users; i++) {
    const p = person(i);
    const cloudOnly = i % 100 === 42;
    out.push({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      userName: cloudOnly ? `cloudonly${i}@corp.example.com` : p.mail,
      ...(cloudOnly ? {} : { externalId: formatGuid(guidBytes(i)) }),
      active: !p.disabled,
      displayName: `${p.given} ${p.sn}`,
      name: { givenName: p.given, familyName: p.sn },
      title: i % 100 === 13 ? 'Old title' : p.title,
      phoneNumbers: [{ type: 'work', value: `+1 555 ${String(i).padStart(6, '0')}` }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: p.dept },
    });
  }
  return out;
}

async function child(mode: 'raw' | 'plan', config: string): Promise<{ seconds: number; maxRssMb: number; [k: string]: unknown }> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(__dirname, 'support', 'syncDryRun.ts'), mode, config], {
    env: { ...process.env, DIRSYNC_BENCH_TOKEN: TOKEN },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const users = Number(process.env.DIRSYNC_BENCH_SYNC_USERS ?? 100_000);
  const groups = Math.max(1, Math.round(users / 50));
  mkdirSync(DIR, { recursive: true });
  const ldif = join(DIR, `corp-${users}.ldif`);
  const t0 = Date.now();
  await writeLdif(ldif, users, groups);
  const cloud = await startLocalCloud({ port: 0, dbPath: join(DIR, `cloud-${users}.db`), token: TOKEN, orgId: 'bench', dialect: 'scim' });
  try {
    if (cloud.admin.stats().users !== users) {
      cloud.admin.reset();
      const docs = cloudUsers(users);
      for (let i = 0; i < docs.length; i += 5000) cloud.admin.importUsers(docs.slice(i, i + 5000));
    }
    console.log(`  set-up ${((Date.now() - t0) / 1000).toFixed(1)} s (LDIF and cloud cached in ${DIR})`);
    const config = join(DIR, `bench-${users}.dirsync`);
    writeFileSync(
      config,
      JSON.stringify(
        {
          version: 1,
          name: 'bench',
          directory: { type: 'adds', url: `ldif:${ldif}`, baseDns: [BASE] },
          cloud: { type: 'scim', url: cloud.baseUrl, token: '${env:DIRSYNC_BENCH_TOKEN}', pageSize: 1000 },
          objects: { users: { enabled: true }, groups: { enabled: true } },
          attributes: {
            uid: 'mail',
            displayName: 'displayName',
            givenName: 'givenName',
            sn: 'sn',
            title: 'title',
            departmentNumber: 'department',
            telephoneNumber: 'telephoneNumber',
            'ds-pwp-account-disabled': 'userAccountControl',
            externalId: 'objectGUID',
          },
          policy: { deleteThreshold: { count: 5000, percent: 10 }, mismatched: 'retain' },
        },
        null,
        2,
      ),
    );
    await child('raw', config); // warm-up: page cache, SQLite cache
    const raw: number[] = [];
    const ours: number[] = [];
    let rss = 0;
    let rawRss = 0;
    let summary = '';
    for (let i = 0; i < ROUNDS; i++) {
      const a = await child('raw', config);
      const b = await child('plan', config);
      raw.push(a.seconds);
      ours.push(b.seconds);
      rawRss = Math.max(rawRss, a.maxRssMb);
      rss = Math.max(rss, b.maxRssMb);
      const s = b['summary'] as Record<string, number>;
      summary = `added ${s['added']}, modified ${s['modified']}, matched ${s['matched']}, mismatched ${s['mismatched']}, deactivated ${s['deactivated']}, groups ${s['groups']}; ${b['operations']} operations`;
    }
    const ratio = median(ours) / median(raw);
    console.log(
      `  dry run, ${users} users + ${groups} groups (LDIF source) vs ${users} cloud users: raw reads ${median(raw).toFixed(2)} s, ` +
        `dry run ${median(ours).toFixed(2)} s, ratio ${ratio.toFixed(3)} (target ≤ 1.3) ${ratio <= 1.3 ? 'OK' : 'OVER'}; ` +
        `dry run peak RSS ${rss.toFixed(0)} MB (target ≤ 600) ${rss <= 600 ? 'OK' : 'OVER'}, raw reads ${rawRss.toFixed(0)} MB [median of ${ROUNDS}]`,
    );
    console.log(`  plan: ${summary}`);
  } finally {
    await cloud.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
