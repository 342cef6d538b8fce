/**
 * Incremental re-analysis (`reanalyze`, config/treeEdit.ts) against a full analysis of the same
 * text: after every step of random edits — typing and deleting inside strings, whitespace between
 * tokens, punctuation, quotes, line breaks, several changes at once — the diagnostics, the model,
 * the embedded values and the parse tree are those of `analyze(text)`, and completion at random
 * offsets and the folding ranges (which read the edited tree) are those from a fresh parse. The
 * same with the checks of some steps put off (`editTree` now, `checkTree` after later edits), as
 * the language server does when a completion comes between keystrokes.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import type { Node } from 'jsonc-parser';
import {
  analyze,
  checkTree,
  editTree,
  reanalyze,
  type Analysis,
  type EditedTree,
  type TextChange,
} from '../../../server/src/language/analysis';
import { parseCleanTree } from '../../../server/src/language/config/fastTree';
import { listDelta } from '../../../server/src/language/config/modelLists';
import { foldingByScan } from '../../../server/src/language/outline';
import { completionsAt, folding, parseForCompletion } from '../../../server/src/language/service';
import { ChunkedText } from '../../../server/src/language/text';
import { bigConfig } from '../../bench/support/bigConfig';
import { sampleFiles } from '../../support/languageCases';
import { mulberry32 as prng } from '../../support/random';

/** A node without cycles, for deepEqual. */
function plain(node: Node | undefined): unknown {
  if (!node) return node;
  const { parent: _parent, children, ...rest } = node;
  return { ...rest, ...(children ? { children: children.map(plain) } : {}) };
}

function assertSame(inc: Analysis, full: Analysis, what: string): void {
  assert.deepEqual(inc.diagnostics, full.diagnostics, `diagnostics differ ${what}`);
  assert.deepEqual(inc.config, full.config, `model differs ${what}`);
  // The lists' ranges are read from their nodes (config/modelLists.ts), which deepEqual does not see: compare them as JSON too.
  assert.deepEqual(JSON.parse(JSON.stringify(inc.config)), JSON.parse(JSON.stringify(full.config)), `model's ranges differ ${what}`);
  assert.deepEqual(inc.embedded, full.embedded, `embedded values differ ${what}`);
  assert.deepEqual(plain(inc.root), plain(full.root), `tree differs ${what}`);
  assert.deepEqual(inc.internalErrors, full.internalErrors, `internal errors differ ${what}`);
  assert.equal(inc.lines.lineCount, full.lines.lineCount);
}

const INSERTS = ['q', 'x', '7', ' ', '  ', '\t', '\n', '\r\n', ',', ':', '"', '\\', '\\n', '{', '}', '[', ']', '//', '/*', 'é', '=', ''];

/**
 * One random change of `text`. Typing (most steps): a letter typed or deleted just inside a string,
 * or a blank typed before a quote. Otherwise anything: a random insert or deletion anywhere.
 */
function randomChange(text: string, rnd: () => number): { change: TextChange; typing: boolean } {
  const at = Math.floor(rnd() * (text.length + 1));
  const q = text.indexOf('"', at);
  if (rnd() < 0.7 && q >= 0) {
    const r = rnd();
    const start = r < 0.2 ? q : q + 1 + Math.floor(rnd() * 3);
    const end = r > 0.6 ? Math.min(text.length, start + 1) : start;
    const insert = r < 0.2 ? ' ' : r <= 0.6 ? 'q' : '';
    return { change: { start, end, text: insert, removed: text.slice(start, end) }, typing: true };
  }
  const r = rnd();
  const end = Math.min(text.length, at + (r < 0.5 ? 0 : r < 0.85 ? 1 : Math.floor(rnd() * 8)));
  const insert = r < 0.5 || rnd() < 0.4 ? INSERTS[Math.floor(rnd() * INSERTS.length)]! : '';
  return { change: { start: at, end, text: insert, removed: text.slice(at, end) }, typing: false };
}

function apply(text: string, c: TextChange): string {
  return text.slice(0, c.start) + c.text + text.slice(c.end);
}

/** The change that undoes `c` (in the text after it). */
function undo(c: TextChange): TextChange {
  return { start: c.start, end: c.start + c.text.length, text: c.removed, removed: c.text };
}

/**
 * Runs `steps` steps of 1–3 changes from `text`; a step that is not typing or leaves a syntax error
 * is undone by the next one (so the document keeps coming back to a clean one), other steps now and
 * then. With `putOff`, about half the steps only edit the tree (`editTree`, what completion reads)
 * and leave the checks to a later step, which then checks the changes of several steps at once.
 * Returns how many steps took the incremental path.
 */
function run(text: string, seed: number, steps: number, putOff = false): number {
  const rnd = prng(seed);
  let current = analyze(text);
  /** A tree edited by the last steps whose checks were put off. */
  let edited: EditedTree | undefined;
  // The text as the language server keeps it, in pieces: the analyses and completions read it.
  let pieces = ChunkedText.of(text);
  let incremental = 0;
  let undoNext: TextChange[] | undefined;
  for (let step = 0; step < steps; step++) {
    const changes: TextChange[] = [];
    if (undoNext) {
      for (const c of undoNext) {
        changes.push(c);
        text = apply(text, c);
        pieces = pieces.replace(c.start, c.end, c.text);
      }
      undoNext = undefined;
    } else {
      const n = rnd() < 0.8 ? 1 : 2 + Math.floor(rnd() * 2);
      let typing = true;
      for (let i = 0; i < n; i++) {
        const r = randomChange(text, rnd);
        changes.push(r.change);
        typing &&= r.typing;
        text = apply(text, r.change);
        pieces = pieces.replace(r.change.start, r.change.end, r.change.text);
      }
      // Typing that keeps the document clean stays; anything else is undone by the next step.
      if (!typing || !parseCleanTree(text) || rnd() < 0.3) undoNext = changes.map(undo).reverse();
    }
    const previousRoot = current.root;
    const source = step % 2 ? pieces : text;
    let next: Analysis | undefined;
    if (putOff) {
      const tree = editTree(edited ?? current, source, changes);
      edited = tree && rnd() < 0.5 ? tree : undefined;
      if (!edited) next = tree ? checkTree(tree) : analyze(text);
      if (tree) incremental++;
    } else {
      next = reanalyze(current, source, changes);
      if (next.root && next.root === previousRoot) incremental++;
    }
    if (next) {
      assertSame(next, analyze(text), `at step ${step} (seed ${seed}, changes ${JSON.stringify(changes)})`);
      assert.deepEqual(folding(next), foldingByScan(analyze(text)), `folding at step ${step} (seed ${seed})`);
    }
    const fresh = parseForCompletion(text);
    for (const offset of [changes[0]!.start, ...[0, 1, 2].map(() => Math.floor(rnd() * (text.length + 1)))]) {
      assert.deepEqual(
        completionsAt(next ?? edited!, offset),
        completionsAt(fresh, offset),
        `completion at ${offset}, step ${step} (seed ${seed})`,
      );
    }
    if (next) current = next;
  }
  return incremental;
}

describe('incremental re-analysis', () => {
  it('gives the full analysis after random edits of the sample configs', () => {
    let incremental = 0;
    let steps = 0;
    for (const [i, f] of sampleFiles().entries()) {
      incremental += run(readFileSync(f, 'utf8'), 1000 + i, 80);
      steps += 80;
    }
    // The edits are mostly what typing does: most steps must take the incremental path.
    assert.ok(incremental > steps / 4, `only ${incremental} of ${steps} steps were incremental`);
  });

  it('gives the full analysis after random edits of a big config with long lists', () => {
    const incremental = run(bigConfig(400), 7, 150);
    assert.ok(incremental > 40, `only ${incremental} of 150 steps were incremental`);
  });

  it('gives the full analysis when the checks of several steps run at once (completion between keystrokes)', () => {
    let incremental = 0;
    for (const [i, f] of sampleFiles().entries()) incremental += run(readFileSync(f, 'utf8'), 2000 + i, 80, true);
    incremental += run(bigConfig(400), 8, 150, true);
    assert.ok(incremental > 80, `only ${incremental} steps were incremental`);
  });

  it('edits only the latest tree: an edit or check of an older one analyses from scratch', () => {
    const text = '{"a": ["xy", "zz"]}';
    const first = analyze(text);
    const one: TextChange = { start: 9, end: 9, text: 'q', removed: '' };
    const tree = editTree(first, apply(text, one), [one])!;
    assert.equal(tree.root, first.root);
    assert.equal(editTree(first, apply(text, one), [one]), undefined, 'the analysis is out of date');
    const two: TextChange = { start: 15, end: 15, text: 'q', removed: '' };
    const text2 = apply(apply(text, one), two);
    const later = editTree(tree, text2, [two])!;
    assert.equal(later.root, first.root);
    assert.equal(editTree(tree, text2, [two]), undefined, 'the first edited tree is out of date');
    const stale = checkTree(tree);
    assert.notEqual(stale.root, first.root, 'an out-of-date edit is analysed from scratch');
    assertSame(checkTree(later), analyze(text2), 'both edits checked at once');
  });

  const table: Array<[string, string, TextChange['start'], number, string, boolean]> = [
    // [name, text, start, removed length, inserted, incremental?]
    ['a letter typed into a value', '{"a": ["xy", "z"]}', 9, 0, 'q', true],
    ['a letter deleted from a key', '{"ab": 1}', 3, 1, '', true],
    ['a space between tokens', '{"a": [1, 2]}', 9, 0, ' ', true],
    ['a line break between tokens', '{"a": [1, 2]}', 9, 0, '\n', true],
    ['a quote typed into a value', '{"a": "xy"}', 8, 0, '"', false],
    ['a line break typed into a value', '{"a": "xy"}', 8, 0, '\n', false],
    ['a backslash typed into a value', '{"a": "xy"}', 8, 0, '\\', false],
    ['an escape changed in a value', '{"a": "x\\\\y"}', 9, 1, 'n', true],
    ['a digit typed into a number', '{"a": 12}', 7, 0, '3', false],
    ['a comma deleted', '{"a": [1, 2]}', 8, 1, '', false],
    ['a space typed in a gap with a comment', '{"a": 1 /* c */, "b": 2}', 8, 0, ' ', false],
    ['a space typed before the root', ' {"a": 1}', 0, 0, ' ', false],
  ];
  for (const [name, text, start, length, insert, expected] of table) {
    it(`${expected ? 'takes' : 'declines'} the incremental path: ${name}`, () => {
      const before = analyze(text);
      const change: TextChange = { start, end: start + length, text: insert, removed: text.slice(start, start + length) };
      const after = apply(text, change);
      const next = reanalyze(before, after, [change]);
      assert.equal(next.root !== undefined && next.root === before.root, expected);
      assertSame(next, analyze(after), name);
    });
  }

  it('quick fixes asked for after later edits are those of their own version (they are made when asked)', () => {
    // A duplicate DN (DS527), no delete threshold (DS508), no directory or cloud (DS103): each with a fix.
    const text = '{"name": "x", "policy": {"protected": {"dns": ["CN=A,DC=x", "CN=A,DC=x"]}}}';
    const first = analyze(text);
    const codes = first.diagnostics.filter((d) => d.fixes?.length).map((d) => d.code);
    for (const code of ['DS527', 'DS508', 'DS103']) assert.ok(codes.includes(code), `${code} with a fix in ${codes.join(' ')}`);
    // An edit before them all: the tree (and the model's items) move on with the new version.
    const change: TextChange = { start: 10, end: 10, text: 'qq', removed: '' };
    const second = reanalyze(first, apply(text, change), [change]);
    assert.equal(second.root, first.root, 'the tree was edited in place');
    const edits = (a: Analysis) => a.diagnostics.map((d) => (d.fixes ?? []).map((f) => ({ title: f.title, edits: f.edits })));
    assert.deepEqual(edits(first), edits(analyze(text)));
    assert.deepEqual(edits(second), edits(analyze(apply(text, change))));
  });

  it("keeps the model's long lists: an edit changes only its item, the ranges move with the text, a diagnostic keeps its version's", () => {
    const text = '{"name": "x", "policy": {"protected": {"dns": ["CN=A,DC=x", "CN=B,DC=x", "CN=A,DC=x"]}}}';
    const first = analyze(text);
    const dns = first.config.policy.protected.dns;
    const duplicate = first.diagnostics.find((d) => d.code === 'DS527')!;
    assert.equal(text.slice(duplicate.range.start, duplicate.range.end), '"CN=A,DC=x"');
    // An edit before the list moves every item; the list is the same, nothing in it changed.
    const moved: TextChange = { start: 10, end: 10, text: 'qq', removed: '' };
    const second = reanalyze(first, apply(text, moved), [moved]);
    assert.equal(second.root, first.root, 'the tree was edited in place');
    assert.equal(second.config.policy.protected.dns, dns, 'the list is kept');
    assert.deepEqual(listDelta(dns)?.changed, []);
    const movedText = apply(text, moved);
    assert.deepEqual(
      dns.map((d) => movedText.slice(d.range.start, d.range.end)),
      ['"CN=A,DC=x"', '"CN=B,DC=x"', '"CN=A,DC=x"'],
    );
    assert.equal(text.slice(duplicate.range.start, duplicate.range.end), '"CN=A,DC=x"', "the first version's diagnostic did not move");
    assertSame(second, analyze(movedText), 'after an edit before the list');
    // An edit inside the second item: only that item is new, and the duplicate check sees it.
    const at = movedText.indexOf('CN=B') + 3;
    const renamed: TextChange = { start: at, end: at + 1, text: 'A', removed: 'B' };
    const third = reanalyze(second, apply(movedText, renamed), [renamed]);
    assert.equal(third.config.policy.protected.dns, dns);
    assert.deepEqual(listDelta(dns)?.changed, [1]);
    assert.deepEqual(
      third.diagnostics.filter((d) => d.code === 'DS527').map((d) => apply(movedText, renamed).slice(d.range.start, d.range.end)),
      ['"CN=A,DC=x"', '"CN=A,DC=x"'],
    );
    assertSame(third, analyze(apply(movedText, renamed)), 'after an edit inside an item');
    assert.deepEqual(JSON.parse(JSON.stringify(dns[1])), { value: 'CN=A,DC=x', range: { start: at - 4, end: at + 7 } });
  });

  it('finds the changed item of a list that also holds other values', () => {
    const text = '{"name": "x", "policy": {"protected": {"dns": [1, "CN=B,DC=x", "CN=A,DC=x", "CN=A,DC=x"]}}}';
    const first = analyze(text);
    const dns = first.config.policy.protected.dns;
    assert.equal(dns.length, 3);
    const at = text.lastIndexOf('CN=A') + 3;
    const change: TextChange = { start: at, end: at + 1, text: 'C', removed: 'A' };
    const second = reanalyze(first, apply(text, change), [change]);
    assert.equal(second.config.policy.protected.dns, dns);
    assert.deepEqual(listDelta(dns)?.changed, [2]);
    assert.equal(dns[2]!.value, 'CN=C,DC=x');
    assertSame(second, analyze(apply(text, change)), 'after an edit in a mixed list');
  });

  it('does not edit a tree twice: an out-of-date analysis is analysed from scratch', () => {
    const text = '{"a": ["xy"]}';
    const first = analyze(text);
    const change: TextChange = { start: 9, end: 9, text: 'q', removed: '' };
    const second = reanalyze(first, apply(text, change), [change]);
    assert.equal(second.root, first.root);
    const again = reanalyze(first, apply(text, change), [change]);
    assert.notEqual(again.root, first.root);
    assertSame(again, analyze(apply(text, change)), 'from the out-of-date analysis');
  });
});
