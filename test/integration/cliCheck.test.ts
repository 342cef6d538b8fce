/**
 * `dirsync check` as a user runs it: `node bin/dirsync.js check …` on every sample config, in
 * text and JSON formats, with the documented exit codes.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { sampleFiles, SAMPLES_ROOT } from '../support/languageCases';

const ROOT = join(__dirname, '../..');

function dirsync(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/dirsync.js'), ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

interface Record {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

describe('dirsync check (bin/dirsync.js)', () => {
  const files = sampleFiles().map((f) => relative(ROOT, f));
  const valid = files.filter((f) => !f.includes('invalid'));
  const invalid = files.filter((f) => f.includes('invalid'));

  for (const f of valid) {
    it(`${f}: exit 0, no output`, async () => {
      const r = await dirsync(['check', f]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.stdout, '');
    });
  }

  for (const f of invalid) {
    it(`${f}: the expected codes, text and JSON agree`, async () => {
      const expected = /^\/\/ expect: (.+)$/m
        .exec(readFileSync(join(ROOT, f), 'utf8'))![1]!
        .trim()
        .split(/\s+/)
        .sort();
      const text = await dirsync(['check', f]);
      const json = await dirsync(['check', '--format', 'json', f]);
      const records = JSON.parse(json.stdout) as Record[];
      assert.ok(Array.isArray(records));
      const codes = [...new Set(records.filter((r) => r.code !== 'DS519').map((r) => r.code))].sort();
      assert.deepEqual(codes, expected);
      const hasError = records.some((r) => r.severity === 'error');
      assert.equal(text.code, hasError ? 1 : 0);
      assert.equal(json.code, text.code);
      // Every text line is `file:line:col severity code message`, 1-based, and matches a record.
      const lines = text.stdout.trimEnd().split('\n');
      assert.equal(lines.length, records.length);
      lines.forEach((line, i) => {
        const r = records[i]!;
        assert.equal(line, `${f}:${r.line}:${r.column} ${r.severity} ${r.code} ${r.message}`);
        assert.match(line, /^[^:]+:\d+:\d+ (error|warning|information|hint) DS\d{3} \S/);
        assert.ok(r.line >= 1 && r.column >= 1 && (r.endLine > r.line || (r.endLine === r.line && r.endColumn >= r.column)));
        assert.deepEqual(Object.keys(r), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
      });
    });
  }

  it('points at the exact line and column (1-based)', async () => {
    const r = await dirsync(['check', '--format', 'json', 'sample-configs/invalid/secrets.dirsync']);
    const literal = (JSON.parse(r.stdout) as Record[]).find((x) => x.code === 'DS507')!;
    const src = readFileSync(join(SAMPLES_ROOT, 'invalid/secrets.dirsync'), 'utf8').split('\n');
    const lineIdx = src.findIndex((l) => l.includes('"Winter2024!"'));
    assert.deepEqual(
      [literal.line, literal.column, literal.endLine, literal.endColumn],
      [lineIdx + 1, src[lineIdx]!.indexOf('"Winter2024!"') + 1, lineIdx + 1, src[lineIdx]!.indexOf('"Winter2024!"') + 14],
    );
  });

  it('checks several files in one run and prints ONE JSON array', async () => {
    const r = await dirsync(['check', '--format', 'json', ...valid, 'sample-configs/invalid/uid-missing.dirsync']);
    assert.equal(r.code, 1);
    const records = JSON.parse(r.stdout) as Record[];
    assert.deepEqual(
      records.map((x) => x.file),
      ['sample-configs/invalid/uid-missing.dirsync'],
    );
  });

  it('all valid samples together: exit 0 and an empty JSON array', async () => {
    const r = await dirsync(['check', '--format', 'json', ...valid]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });

  it('an unreadable file is a clear error, exit 1, and the other files are still checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dirsync-check-'));
    try {
      const bad = join(dir, 'bad.dirsync');
      writeFileSync(bad, '{ "directory": { "url": "ldaps://x.example.com" }, "cloud": {} }');
      const r = await dirsync(['check', join(dir, 'missing.dirsync'), bad]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /cannot read .*missing\.dirsync: no such file/);
      assert.match(r.stdout, /bad\.dirsync:1:1 error DS508/);
      const d = await dirsync(['check', dir]);
      assert.equal(d.code, 1);
      assert.match(d.stderr, /is a directory/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('text that is not JSON: one error saying so, at the line and column of the first offending word', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dirsync-check-'));
    try {
      const yaml = join(dir, 'yaml.dirsync');
      writeFileSync(yaml, '// exported by hand\n\n  directory:\n    url: ldaps://x.example.com\n');
      const empty = join(dir, 'empty.dirsync');
      writeFileSync(empty, '  \n');
      const r = await dirsync(['check', yaml, empty]);
      assert.equal(r.code, 1);
      const lines = r.stdout.trimEnd().split('\n');
      assert.deepEqual(lines, [
        `${yaml}:3:3 error DS109 Not JSON with comments (JSONC) at "directory:": a .dirsync file is a JSON object with \`directory\`, \`cloud\` and \`policy\``,
        `${empty}:1:1 error DS109 Empty file: a .dirsync file is a JSON object with \`directory\`, \`cloud\` and \`policy\``,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('usage errors exit 1 with the usage text', async () => {
    const none = await dirsync(['check']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /Usage: dirsync check/);
    const fmt = await dirsync(['check', '--format', 'xml', 'x.dirsync']);
    assert.equal(fmt.code, 1);
    assert.match(fmt.stderr, /--format must be text or json/);
  });

  it('--min-severity hides lower levels but not the exit code', async () => {
    const r = await dirsync(['check', '--min-severity', 'error', 'sample-configs/invalid/mappings.dirsync']);
    assert.equal(r.code, 1);
    assert.ok(
      r.stdout
        .trim()
        .split('\n')
        .every((l) => / error DS/.test(l)),
      r.stdout,
    );
  });

  it('is listed in `dirsync help`', async () => {
    const r = await dirsync(['help']);
    assert.match(r.stdout, /check\s+Check \.dirsync files/);
  });
});
