/**
 * `dirsync plan` on 200 generated LDIF exports (seeded, replayable): Latin-1 and invalid UTF-8,
 * control characters raw and in base64, objectGUIDs and objectSids of every length, huge DNs and
 * values, broken folding and base64, change records, BOMs (UTF-8 and UTF-16), CRLF, truncation.
 * The CLI runs in-process against one local cloud over HTTP. No export may crash it, none may
 * pass an internal error off as success, messages stay bounded, and no planned operation carries
 * a control character, a U+FFFD replacement character or an externalId that is not a GUID.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../server/src/cli/main';
import type { SavedPlan } from '../../server/src/sync/contract';
import { startCloudFixture, TOKEN, type CloudFixture } from '../support/cloud';
import { mulberry32 } from '../support/random';
import { e2eConfig, writeLdif } from '../support/syncCli';
import { capturedOutput } from '../support/capture';

const FILES = 200;
const SEED = 0x1d1f_2026;
const STEERING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const GUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Rng = () => number;
const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes as Uint8Array).toString('base64');
const randomBytes = (r: Rng, n: number) => Uint8Array.from({ length: n }, () => int(r, 0, 255));

/** Mutations of the export's text, one line or record at a time. */
const TEXT_MUTATIONS: ReadonlyArray<(r: Rng, lines: string[]) => void> = [
  (r, l) => {
    const i = int(r, 0, l.length - 1);
    l[i] = `${l[i]}${pick(r, ['\u001b[31m', '\u0000', '\u0007', '\u009b2J', '\u007f', '\u202e', '\r', '\u001b]0;x\u0007'])}`;
  },
  (r, l) => {
    const i = l.findIndex((x, k) => k >= int(r, 0, l.length - 1) && /^(displayName|title|sn|givenName|mail): /.test(x));
    if (i >= 0)
      l[i] =
        `${l[i]!.split(':')[0]}:: ${b64(pick(r, [randomBytes(r, int(r, 1, 40)), Buffer.from(`A\u0001B\u001b[2J`), Buffer.from('M\xfcller', 'latin1')]))}`;
  },
  (r, l) => {
    const i = l.findIndex((x, k) => k >= int(r, 0, l.length - 1) && /^objectGUID::/.test(x));
    if (i >= 0) l[i] = `objectGUID:: ${b64(randomBytes(r, pick(r, [0, 1, 3, 15, 16, 17, 32])))}`;
  },
  (r, l) => {
    const i = l.findIndex((x, k) => k >= int(r, 0, l.length - 1) && /^objectSid::/.test(x));
    if (i >= 0) l[i] = `objectSid:: ${b64(randomBytes(r, pick(r, [0, 4, 8, 12, 28, 100])))}`;
  },
  (r, l) => {
    const i = l.findIndex((x, k) => k >= int(r, 0, l.length - 1) && /^dn:/.test(x));
    if (i >= 0)
      l[i] = `dn: CN=${'x'.repeat(pick(r, [10, 100_000, 2_000_000]))}${pick(r, [',OU', '\\q,', ',,', '', '=='])},DC=corp,DC=example,DC=com`;
  },
  (r, l) => {
    const i = int(r, 0, l.length - 1);
    l.splice(i, 0, `description: ${'v'.repeat(pick(r, [1_000, 1_000_000]))}`);
  },
  (r, l) => {
    const i = int(r, 0, l.length - 1);
    l.splice(
      i,
      0,
      pick(r, [
        ' continuation',
        'no colon here',
        'bad attr!: x',
        'title:: ###',
        'changetype: modify',
        'control: 1.2.3',
        'dn: CN=Second',
        'jpegPhoto:< file:///etc/passwd',
        'version: 2',
      ]),
    );
  },
  (r, l) => {
    const i = int(r, 0, l.length - 1);
    if (l[i]!.length > 10) l.splice(i, 1, l[i]!.slice(0, 5), ` ${l[i]!.slice(5)}`);
  },
  (r, l) => l.splice(int(r, 0, l.length - 1), int(r, 1, 10)),
];

function generate(r: Rng, base: string): Buffer {
  const lines = base.split('\n');
  for (let i = int(r, 1, 4); i > 0; i--) pick(r, TEXT_MUTATIONS)(r, lines);
  let text = lines.join(r() < 0.2 ? '\r\n' : '\n');
  if (r() < 0.1) text = `\ufeff${text}`;
  let bytes = r() < 0.05 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : Buffer.from(text, 'utf8');
  const roll = r();
  if (roll < 0.1) bytes = Buffer.from(text, 'latin1');
  else if (roll < 0.2) {
    const at = int(r, 0, bytes.length);
    bytes = Buffer.concat([
      bytes.subarray(0, at),
      Buffer.from(pick(r, [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xe2, 0x82]])),
      bytes.subarray(at),
    ]);
  } else if (roll < 0.25) bytes = bytes.subarray(0, int(r, 0, bytes.length));
  return bytes;
}

describe('dirsync plan: 200 generated LDIF exports (fuzz, seeded)', function () {
  this.timeout(600_000);
  let f: CloudFixture;
  let base: string;
  before(async () => {
    f = await startCloudFixture();
    const file = join(f.dir, 'base.ldif');
    await writeLdif(file, 6);
    base = readFileSync(file, 'utf8');
  });
  after(async () => f?.close());

  it(`no crash, bounded messages, nothing unsafe planned (seed ${SEED})`, async () => {
    const r = mulberry32(SEED);
    const problems: string[] = [];
    const outcomes = new Map<number, number>();
    for (let n = 0; n < FILES; n++) {
      const ldif = join(f.dir, `fuzz-${n}.ldif`);
      const config = join(f.dir, `fuzz-${n}.dirsync`);
      const planFile = join(f.dir, `fuzz-${n}.plan.json`);
      writeFileSync(ldif, generate(r, base));
      writeFileSync(config, e2eConfig(f.cloud.baseUrl, ldif));
      const { stdout, stderr, out: written, err: errors } = capturedOutput();
      let code: number;
      try {
        code = await runCli(['plan', config, '-o', planFile], {
          stdout,
          stderr,
          env: { DIRSYNC_CLOUD_TOKEN: TOKEN },
          cwd: f.dir,
          signal: new AbortController().signal,
        });
      } catch (e) {
        problems.push(`file ${n}: plan threw ${String(e).slice(0, 200)}`);
        continue;
      }
      const out = written();
      const err = errors();
      outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
      if (![0, 1, 2].includes(code)) problems.push(`file ${n}: exit ${code}`);
      if (/internal|RangeError|TypeError|at .*\.ts:\d+/.test(err)) problems.push(`file ${n}: ${err.slice(0, 300)}`);
      if (code === 1 && !err.trim()) problems.push(`file ${n}: exit 1 without a message`);
      if (err.length > 4000) problems.push(`file ${n}: ${err.length} characters on stderr`);
      if (STEERING.test(out) || STEERING.test(err)) problems.push(`file ${n}: a control character reached the terminal`);
      if (code === 1) continue;
      const saved = JSON.parse(readFileSync(planFile, 'utf8')) as SavedPlan;
      for (const op of saved.plan.operations) {
        const text = JSON.stringify(op);
        if (/\\u00[01][0-9a-f]|\\u007f|[\u0080-\u009f]|\ufffd/.test(text.replace(/\\[rnt]/g, '')))
          problems.push(`file ${n}: ${op.opId} carries a control or replacement character: ${text.slice(0, 200)}`);
        const ext = op.kind === 'createUser' ? op.body['externalId'] : undefined;
        if (ext !== undefined && !GUID_TEXT.test(String(ext))) problems.push(`file ${n}: externalId ${JSON.stringify(ext)}`);
      }
    }
    assert.deepEqual(problems.slice(0, 10), [], `${problems.length} problems (seed ${SEED})`);
    // Both outcomes occur: broken exports are refused, others planned.
    assert.ok((outcomes.get(1) ?? 0) > 20 && (outcomes.get(2) ?? 0) > 20, JSON.stringify([...outcomes]));
  });
});
