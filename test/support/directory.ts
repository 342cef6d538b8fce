/**
 * Shared set-up of the directory integration tests: the machine-wide Samba AD DC (started when
 * not running, stopped at the end of the run only if this run started it), the baseline's
 * generated records (the same seed, so the tests know what was loaded), and connections.
 */
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { atEndOfRun } from './rootHooks';
import { BASELINE, ensureTestDc, type SambaFixture } from '../fixtures/samba/index';
import { generateDirectory, ouDns } from '../fixtures/samba/seed/generate';
import type { LdifRecord } from '../../server/src/directory/ldifWriter';
import { LdapSource, type LdapSourceOptions } from '../../server/src/directory/ldapSource';
import { normalizeDn } from '../../server/src/domain/dn';

export const run = promisify(execFile);

/** The fixture DC, started once per run. Provisioning the first time takes ~10 s. */
export function testDc(): Promise<SambaFixture> {
  return ensureTestDc({ onEndOfRun: atEndOfRun, log: (s) => console.error(`      [samba] ${s}`) });
}

let records: LdifRecord[] | undefined;
/** The baseline's records exactly as the fixture loaded them. */
export function baseline(): LdifRecord[] {
  records ??= [...generateDirectory(BASELINE)];
  return records;
}

export const OU = ouDns('DC=corp,DC=example,DC=com');
export const kindOf = (r: LdifRecord) => String(r.attributes.objectClass?.[0] ?? '');
export const first = (r: LdifRecord, a: string) => r.attributes[a]?.[0];
export const keys = (dns: Iterable<string>) => new Set([...dns].map((d) => normalizeDn(d) ?? `not a DN: ${d}`));

/** Connects to the fixture DC (plain LDAP unless overridden). */
export async function connect(f: SambaFixture, over: Partial<LdapSourceOptions> = {}): Promise<LdapSource> {
  return LdapSource.connect({ url: f.ldapUrl, bindDn: f.bindDn, password: f.password, baseDns: [f.baseDn], ...over });
}

export const ca = (f: SambaFixture) => readFileSync(f.caFile);

/** Collects a stream's entries. */
export async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** ldapsearch as an administrator would run it, paged, unwrapped LDIF. */
export async function ldapsearch(f: SambaFixture, args: string[]): Promise<string> {
  const { stdout } = await run(
    'ldapsearch',
    [
      '-LLL',
      '-o',
      'ldif-wrap=no',
      '-x',
      '-H',
      f.ldapUrl,
      '-D',
      f.bindDn,
      '-w',
      f.password,
      '-b',
      f.baseDn,
      '-E',
      'pr=1000/noprompt',
      ...args,
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  return stdout;
}
