/**
 * Reading all users from AD: dirsync's LdapSource against `ldapsearch -E pr=1000/noprompt`
 * dumping the same entries and attributes, in the same run, at 10k and 100k users (the Samba
 * fixture's cached bench directories; built on first use, which takes minutes for 100k).
 * Target: ratio ≤ 1.2. Also prints dirsync's peak RSS and sampled live heap (it streams: the live
 * heap must not grow with N; RSS also holds garbage V8 has not collected yet).
 *
 *   npm run bench -- directory
 *   DIRSYNC_BENCH_SIZES=10000 npm run bench -- directory
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_FILTERS, DEFAULT_USER_ATTRIBUTES } from '../../server/src/language/config/defaults';
import { ADMIN_BIND_DN, ADMIN_PASSWORD, BASE_DN } from '../fixtures/samba/constants';
import { answers, runningPid } from '../fixtures/samba/dc';
import { BENCH_HOST, benchLayout, startBenchDc } from '../fixtures/samba/benchDc';
import { timedLdapsearch } from './support/ldapsearch';

const run = promisify(execFile);
const ROUNDS = 3;
/** What the sample config maps (Directory Connector's defaults plus the usual extras) and the avatar. */
const ATTRIBUTES = [
  ...new Set([
    ...DEFAULT_USER_ATTRIBUTES.map(([, ad]) => ad),
    'userPrincipalName',
    'department',
    'title',
    'telephoneNumber',
    'mobile',
    'manager',
    'employeeNumber',
    'preferredLanguage',
    'l',
    'c',
    'physicalDeliveryOfficeName',
    'msRTCSIP-PrimaryUserAddress',
    'thumbnailPhoto',
  ]),
];

async function timeLdapsearch(url: string, out: string): Promise<{ seconds: number; entries: number }> {
  return timedLdapsearch({
    url,
    bindDn: ADMIN_BIND_DN,
    password: ADMIN_PASSWORD,
    base: BASE_DN,
    filter: DEFAULT_FILTERS.users,
    attributes: ATTRIBUTES,
    out,
  });
}

async function timeDirsync(url: string): Promise<{ seconds: number; entries: number; maxRssMb: number; maxHeapMb: number }> {
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      join(__dirname, 'support', 'readAllUsers.ts'),
      url,
      ADMIN_BIND_DN,
      BASE_DN,
      DEFAULT_FILTERS.users,
      ATTRIBUTES.join(','),
    ],
    { env: { ...process.env, DIRSYNC_BENCH_PASSWORD: ADMIN_PASSWORD }, maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const sizes = (process.env.DIRSYNC_BENCH_SIZES ?? '10000,100000').split(',').map(Number);
  const log = (s: string) => console.log(`  ${s}`);
  for (const users of sizes) {
    if (!runningPid(benchLayout(users)) && (await answers(BENCH_HOST))) {
      console.log(
        `  skipped ${users}: another DC (the tests' fixture?) holds ${BENCH_HOST}:389. ` +
          'Stop it when no one is testing (`npm run samba -- stop`) and rerun; the bench never stops a DC it did not start.',
      );
      continue;
    }
    const dc = await startBenchDc(users, log);
    const dir = mkdtempSync(join(tmpdir(), 'dirsync-bench-'));
    try {
      // One warm-up read of each, so both measure a DC with a warm cache.
      await timeLdapsearch(dc.url, join(dir, 'warm.ldif'));
      await timeDirsync(dc.url);
      const base: number[] = [];
      const ours: number[] = [];
      let rss = 0;
      let heap = 0;
      let counts = '';
      for (let i = 0; i < ROUNDS; i++) {
        const a = await timeLdapsearch(dc.url, join(dir, 'dump.ldif'));
        const b = await timeDirsync(dc.url);
        if (a.entries !== b.entries) throw new Error(`entry counts differ: ldapsearch ${a.entries}, dirsync ${b.entries}`);
        base.push(a.seconds);
        ours.push(b.seconds);
        rss = Math.max(rss, b.maxRssMb);
        heap = Math.max(heap, b.maxHeapMb);
        counts = `${b.entries} entries`;
      }
      const ratio = median(ours) / median(base);
      console.log(
        `  read all users, ${users} people (${counts}, ${ATTRIBUTES.length} attributes incl. thumbnailPhoto): ` +
          `ldapsearch ${median(base).toFixed(2)} s, dirsync ${median(ours).toFixed(2)} s, ` +
          `ratio ${ratio.toFixed(3)} (target ≤ 1.2) ${ratio <= 1.2 ? 'OK' : 'OVER'}, dirsync peak RSS ${rss.toFixed(0)} MB ` +
          `(live heap ≤ ${heap.toFixed(0)} MB) ` +
          `[median of ${ROUNDS}]`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await dc.stop();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
