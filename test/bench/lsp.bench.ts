/**
 * The language server's cost per edit, over the wire (prints; never fails). Two real server
 * processes, driven alike over stdio JSON-RPC:
 *  - dirsync's (`dist/server.js --stdio`, the default 150 ms validation delay, as the extension starts it);
 *  - VS Code's JSON language server (`vscode-json-language-server --stdio`, vscode-langservers-extracted),
 *    the shipped JSON Schema associated through `json/schemaAssociations` (as an extension's
 *    `jsonValidation` contribution does) and `json.validate.enable`.
 * Both open the same clean 5,000-line config and get the same series of incremental didChange
 * edits (one character typed or deleted inside a list value); after each edit the bench waits for
 * both servers' publishDiagnostics. The CPU time (user + system, /proc/<pid>/stat) each process
 * used over the measured edits, divided by their number, is the cost per edit → ratio dirsync/JSON
 * (target ≤ 0.5). A second pass adds, after each edit, the requests VS Code sends for the visible
 * editor with each server's capabilities (document symbols, folding ranges; code lenses and inlay
 * hints for dirsync; colours and links for JSON). Then completion latency over the wire, one server
 * at a time while the other is idle (an editor runs one of them on a .dirsync document): a space
 * typed, a completion request right away (before the validation delay is over, as when typing),
 * the next keystroke after that server's diagnostics; the response time p50/p95 (target p95 ≤ 15 ms),
 * and for the slowest answers how long the server's main thread and the bench waited for a CPU
 * (/proc/<pid>/task/<tid>/schedstat) — on a shared machine that is most of a slow answer.
 *
 * BENCH_LSP_EDITS (default 60), BENCH_LSP_COMPLETIONS (default 60); BENCH_LSP_CPU_PROF=<dir> starts
 * the dirsync server with `--cpu-prof` into that folder (its profile is written when it exits);
 * BENCH_LSP_SERVER=<file> runs another build of the server (e.g. a copy of an older dist/server.js).
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bigConfig } from './support/bigConfig';
import { runQueueWaitMs, WireServer } from './support/wireServer';

const ROOT = join(__dirname, '../..');
const DIRSYNC_SERVER = process.env['BENCH_LSP_SERVER'] ?? join(ROOT, 'dist/server.js');
const JSON_SERVER = join(ROOT, 'node_modules/vscode-langservers-extracted/bin/vscode-json-language-server');
const SCHEMA_URI = pathToFileURL(join(ROOT, 'server/schemas/dirsync.schema.json')).href;
const EDITS = Number(process.env['BENCH_LSP_EDITS'] ?? 60);
const COMPLETIONS = Number(process.env['BENCH_LSP_COMPLETIONS'] ?? 60);
const WARMUP_EDITS = 10;
const VISIBLE_LINES = 60;

interface Pos {
  line: number;
  character: number;
}
interface Change {
  range: { start: Pos; end: Pos };
  text: string;
}

interface CompletionSample {
  /** From sending the request to its answer. */
  readonly ms: number;
  /** How long the server's main thread, and the bench's, waited for a CPU from the keystroke to the answer. */
  readonly serverWait: number;
  readonly benchWait: number;
}

interface Side {
  readonly server: WireServer;
  readonly uri: string;
  version: number;
  /** The requests VS Code sends after an edit for the visible editor, given this server's capabilities. */
  readonly followUps: (firstVisibleLine: number) => Array<[string, unknown]>;
}

function stats(samples: number[]): { median: number; p95: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p95: at(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

/**
 * The edits: typing one letter inside a value of the long lists and deleting it again, at lines
 * spread over the document, so every edit keeps the config clean (a userName `userq12@…`, a DN
 * `CN=User q12,…`, both still unique and under the base).
 */
function editSeries(lines: string[], count: number): Change[] {
  const targets: Pos[] = [];
  for (const [i, l] of lines.entries()) {
    const at = l.indexOf('"user') >= 0 ? l.indexOf('"user') + 5 : l.indexOf('"CN=User ') >= 0 ? l.indexOf('"CN=User ') + 9 : -1;
    if (at >= 0) targets.push({ line: i, character: at });
  }
  const out: Change[] = [];
  for (let i = 0; i < count; i++) {
    const p = targets[Math.floor(((i >> 1) * 7919) % targets.length)]!;
    out.push(
      i % 2 === 0
        ? { range: { start: p, end: p }, text: 'q' }
        : { range: { start: p, end: { line: p.line, character: p.character + 1 } }, text: '' },
    );
  }
  return out;
}

async function change(side: Side, c: Change): Promise<void> {
  await side.server.notify('textDocument/didChange', { textDocument: { uri: side.uri, version: ++side.version }, contentChanges: [c] });
}

/** Sends each edit to both servers, waits for both servers' diagnostics; CPU per edit for each. */
async function measureEdits(sides: Side[], edits: Change[], withFollowUps: boolean): Promise<number[][]> {
  const perEdit: number[][] = sides.map(() => []);
  for (const c of edits) {
    await Promise.all(
      sides.map(async (side, k) => {
        const before = side.server.cpuMs();
        const published = side.server.nextDiagnostics(side.uri);
        await change(side, c);
        await published;
        if (withFollowUps) {
          const first = Math.max(0, c.range.start.line - VISIBLE_LINES / 2);
          await Promise.all(side.followUps(first).map(([m, p]) => side.server.request(m, p)));
        }
        perEdit[k]!.push(side.server.cpuMs() - before);
      }),
    );
  }
  return perEdit;
}

async function main(): Promise<void> {
  if (!existsSync(DIRSYNC_SERVER)) throw new Error('dist/server.js is missing: run `npm run build`');
  const text = bigConfig(5000);
  const lines = text.split('\n');
  const prof = process.env['BENCH_LSP_CPU_PROF'];
  const dirsync = await WireServer.start({
    name: 'dirsync',
    cwd: ROOT,
    args: [...(prof ? ['--cpu-prof', '--cpu-prof-dir', prof] : []), DIRSYNC_SERVER, '--stdio'],
    initializationOptions: { validationDelayMs: 150 },
  });
  const json = await WireServer.start({ name: 'json', cwd: ROOT, args: [JSON_SERVER, '--stdio'] });
  await json.notify('workspace/didChangeConfiguration', { settings: { json: { validate: { enable: true } } } });
  await json.notify('json/schemaAssociations', [{ fileMatch: ['*.dirsync'], uri: SCHEMA_URI }]);

  const visible = (first: number) => ({ start: { line: first, character: 0 }, end: { line: first + VISIBLE_LINES, character: 0 } });
  const sides: Side[] = [
    {
      server: dirsync,
      uri: 'file:///bench/big.dirsync',
      version: 1,
      followUps: (first) => [
        ['textDocument/documentSymbol', { textDocument: { uri: 'file:///bench/big.dirsync' } }],
        ['textDocument/foldingRange', { textDocument: { uri: 'file:///bench/big.dirsync' } }],
        ['textDocument/codeLens', { textDocument: { uri: 'file:///bench/big.dirsync' } }],
        ['textDocument/inlayHint', { textDocument: { uri: 'file:///bench/big.dirsync' }, range: visible(first) }],
      ],
    },
    {
      server: json,
      uri: 'file:///bench/json/big.dirsync',
      version: 1,
      followUps: () => [
        ['textDocument/documentSymbol', { textDocument: { uri: 'file:///bench/json/big.dirsync' } }],
        ['textDocument/foldingRange', { textDocument: { uri: 'file:///bench/json/big.dirsync' } }],
        ['textDocument/documentColor', { textDocument: { uri: 'file:///bench/json/big.dirsync' } }],
        ['textDocument/documentLink', { textDocument: { uri: 'file:///bench/json/big.dirsync' } }],
      ],
    },
  ];
  const opened = await Promise.all(
    sides.map(async (side) => {
      const published = side.server.nextDiagnostics(side.uri);
      await side.server.notify('textDocument/didOpen', {
        textDocument: { uri: side.uri, languageId: side.server === json ? 'jsonc' : 'dirsync', version: 1, text },
      });
      return published;
    }),
  );
  console.log(
    `a ${lines.length}-line config opened: dirsync ${opened[0]!.diagnostics.length} diagnostic(s), JSON server ${opened[1]!.diagnostics.length}`,
  );

  const all = editSeries(lines, WARMUP_EDITS + EDITS * 2);
  await measureEdits(sides, all.slice(0, WARMUP_EDITS), true);
  for (const [label, withFollowUps, edits] of [
    ['didChange → publishDiagnostics', false, all.slice(WARMUP_EDITS, WARMUP_EDITS + EDITS)],
    ['didChange → publishDiagnostics + the editor requests', true, all.slice(WARMUP_EDITS + EDITS)],
  ] as const) {
    const [ours, theirs] = await measureEdits(sides, edits, withFollowUps);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const o = sum(ours!) / edits.length;
    const t = sum(theirs!) / edits.length;
    const last = sides.map((s) => s.server.published.at(-1)!.diagnostics.length);
    console.log(`${label}, ${edits.length} incremental edits, CPU time per edit (total / edits):`);
    console.log(`  dirsync language server: ${o.toFixed(1)} ms (${last[0]} diagnostic(s) at the end)`);
    console.log(`  vscode-json-language-server + JSON Schema: ${t.toFixed(1)} ms (${last[1]} diagnostic(s) at the end)`);
    console.log(`  ratio dirsync/JSON: ${(o / t).toFixed(2)} (target ≤ 0.5)`);
  }

  // Completion as typing triggers it: a space typed, the request right away. Each server in a phase
  // of its own while the other is idle: an editor does not run the JSON server on a .dirsync
  // document, so dirsync's answer should not wait for the JSON server's handling of the same keystroke.
  const anchors = ['"attributes": {', '"directory": {', '"uid": "', '"filter": "(&(', '"userNames": [', '"policy": {'];
  const offsets = anchors.map((a) => text.indexOf(a) + a.length);
  for (let i = offsets.length; i < COMPLETIONS; i++) offsets.push(Math.floor((i / COMPLETIONS) * text.length));
  const positions = [...offsets]
    .sort((a, b) => a - b)
    .map((offset): Pos => {
      const before = text.slice(0, offset);
      return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
    });
  const results = [];
  for (const side of sides) {
    const load = loadavg()[0]!;
    const samples: CompletionSample[] = [];
    for (const p of positions) {
      const published = side.server.nextDiagnostics(side.uri);
      const serverWaited = side.server.runQueueWaitMs();
      const benchWaited = runQueueWaitMs(process.pid);
      await change(side, { range: { start: p, end: p }, text: ' ' });
      const s = performance.now();
      await side.server.request('textDocument/completion', {
        textDocument: { uri: side.uri },
        position: { line: p.line, character: p.character + 1 },
      });
      const ms = performance.now() - s;
      samples.push({ ms, serverWait: side.server.runQueueWaitMs() - serverWaited, benchWait: runQueueWaitMs(process.pid) - benchWaited });
      await published;
    }
    results.push({ side, samples, load: [load, loadavg()[0]!] as const });
  }
  for (const { side, samples, load } of results) {
    const { median, p95 } = stats(samples.map((x) => x.ms));
    const slowest = [...samples].sort((a, b) => b.ms - a.ms).slice(0, 3);
    const ours = side === sides[0];
    console.log(
      `completion right after a keystroke, over the wire, ${ours ? "dirsync's server" : 'the JSON server'} (the other idle; ${samples.length} positions, load average ${load[0].toFixed(1)} → ${load[1].toFixed(1)}): p50 ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms${ours ? ' (target p95 ≤ 15 ms)' : ''}`,
    );
    console.log(
      `  the 3 slowest (ms, of which the server's main thread / the bench waited for a CPU): ${slowest.map((x) => `${x.ms.toFixed(1)} (${x.serverWait.toFixed(1)} / ${x.benchWait.toFixed(1)})`).join(', ')}`,
    );
  }
  await Promise.all(sides.map((s) => s.server.stop()));
  if (dirsync.stderr.trim()) console.log(`dirsync server stderr: ${dirsync.stderr.trim().slice(0, 500)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
