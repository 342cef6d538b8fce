/**
 * The raw-read baseline of the directory benchmarks: OpenLDAP's `ldapsearch`, paged 1,000 at a time
 * (RFC 2696), dumping one filter's entries with the given attributes to a file.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';

export interface LdapsearchOptions {
  readonly url: string;
  readonly bindDn: string;
  readonly password: string;
  readonly base: string;
  readonly filter: string;
  readonly attributes: readonly string[];
  /** Where the LDIF dump goes. */
  readonly out: string;
}

/** Runs the search; its wall time and how many entries it dumped. Throws when ldapsearch fails. */
export async function timedLdapsearch(o: LdapsearchOptions): Promise<{ seconds: number; entries: number }> {
  const t0 = process.hrtime.bigint();
  const args = [
    '-LLL',
    '-x',
    '-H',
    o.url,
    '-D',
    o.bindDn,
    '-w',
    o.password,
    '-b',
    o.base,
    '-E',
    'pr=1000/noprompt',
    o.filter,
    ...o.attributes,
  ];
  const child = spawn('ldapsearch', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const file = child.stdout.pipe(createWriteStream(o.out));
  // Both: ldapsearch done and its dump on disk (subscribed before either can happen).
  const [[code]] = await Promise.all([once(child, 'close') as Promise<[number | null]>, once(file, 'finish')]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (code !== 0) throw new Error(`ldapsearch exited with ${code}`);
  const entries = (readFileSync(o.out, 'latin1').match(/^dn::? /gm) ?? []).length;
  return { seconds, entries };
}
