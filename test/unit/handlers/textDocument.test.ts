/**
 * The server's documents (`ChunkedDocument`, text in pieces) against vscode-languageserver-textdocument's
 * `TextDocument` (one string), after random editor changes over texts several pieces long: edits
 * inside a piece and across pieces, line breaks (LF, CR LF, a CR LF split by an edit), large pastes
 * and deletions, several changes in one update, full replacements. After every update the text,
 * slices, positions, offsets and line ranges must be the same.
 */
import { strict as assert } from 'node:assert';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ChunkedDocument } from '../../../server/src/handlers/textDocument';
import { ChunkedText } from '../../../server/src/language/text';
import { bigConfig } from '../../bench/support/bigConfig';
import { mulberry32 as prng } from '../../support/random';

const INSERTS = ['q', '', ' ', '\n', '\r\n', '\r', '"', 'é', '😀', 'abc\ndef\r\nghi', '\n\n\n'];

function randomText(rnd: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += INSERTS[Math.floor(rnd() * INSERTS.length)]! + 'x'.repeat(Math.floor(rnd() * 40));
  return s;
}

function randomChange(doc: TextDocument, rnd: () => number): TextDocumentContentChangeEvent {
  const text = doc.getText();
  const r = rnd();
  if (r < 0.02) return { text: randomText(rnd, Math.floor(rnd() * 40_000)) };
  const start = Math.floor(rnd() * (text.length + 1));
  const span = r < 0.5 ? 0 : r < 0.8 ? Math.floor(rnd() * 3) : r < 0.95 ? Math.floor(rnd() * 500) : Math.floor(rnd() * 30_000);
  const end = Math.min(text.length, start + span);
  const insert = rnd() < 0.9 ? INSERTS[Math.floor(rnd() * INSERTS.length)]! : randomText(rnd, Math.floor(rnd() * 25_000));
  // Ranges as an editor sends them, now and then backwards.
  const [a, b] = rnd() < 0.05 ? [end, start] : [start, end];
  return { range: { start: doc.positionAt(a), end: doc.positionAt(b) }, text: insert };
}

function assertSame(ours: ChunkedDocument, theirs: TextDocument, rnd: () => number, what: string): void {
  const text = theirs.getText();
  assert.equal(ours.version, theirs.version, what);
  assert.equal(ours.lineCount, theirs.lineCount, `line count ${what}`);
  assert.equal(ours.text.length, text.length, `length ${what}`);
  for (let k = 0; k < 20; k++) {
    const a = Math.floor(rnd() * (text.length + 2)) - 1;
    const b = a + Math.floor(rnd() * (rnd() < 0.5 ? 20 : 20_000));
    assert.equal(ours.slice(a, b), text.slice(Math.max(0, a), Math.max(0, b)), `slice(${a}, ${b}) ${what}`);
    assert.deepEqual(ours.positionAt(a), theirs.positionAt(a), `positionAt(${a}) ${what}`);
    const line = Math.floor(rnd() * (theirs.lineCount + 1));
    const p = { line, character: Math.floor(rnd() * 60) };
    assert.equal(ours.offsetAt(p), theirs.offsetAt(p), `offsetAt(${JSON.stringify(p)}) ${what}`);
    assert.deepEqual(ours.getLineRange(line), theirs.getLineRange(line), `getLineRange(${line}) ${what}`);
    assert.equal(ours.getEOLCharacters(line), theirs.getEOLCharacters(line), `getEOLCharacters(${line}) ${what}`);
    assert.equal(ours.text.charCodeAt(a), text.charCodeAt(a), `charCodeAt(${a}) ${what}`);
  }
  const r = { start: ours.positionAt(Math.floor(rnd() * text.length)), end: ours.positionAt(text.length) };
  assert.equal(ours.getText(r), theirs.getText(r), `getText(range) ${what}`);
  assert.equal(ours.getText(), text, `text ${what}`);
}

describe('ChunkedDocument (the server documents, text in pieces)', () => {
  for (const [name, initial, seed] of [
    ['a 5,000-line config', bigConfig(5000), 1],
    ['a config with CR LF line ends', bigConfig(1500).replace(/\n/g, '\r\n'), 2],
    ['an empty document', '', 3],
  ] as const) {
    it(`matches vscode-languageserver-textdocument after random changes: ${name}`, () => {
      const rnd = prng(seed);
      const ours = new ChunkedDocument('file:///a', 'dirsync', 1, initial);
      const theirs = TextDocument.create('file:///a', 'dirsync', 1, initial);
      for (let step = 0; step < 300; step++) {
        const n = rnd() < 0.8 ? 1 : 2 + Math.floor(rnd() * 3);
        // Each change of an update is in the positions of the text after the previous ones.
        const scratch = TextDocument.create('file:///s', 'dirsync', 0, theirs.getText());
        const changes: TextDocumentContentChangeEvent[] = [];
        for (let i = 0; i < n; i++) {
          const c = randomChange(scratch, rnd);
          changes.push(c);
          TextDocument.update(scratch, [c], 0);
        }
        ours.update(changes, step + 2);
        TextDocument.update(theirs, changes, step + 2);
        // Read the whole text only now and then: most steps must work from the pieces alone.
        if (step % 25 === 0) assertSame(ours, theirs, rnd, `at step ${step} (seed ${seed})`);
        else assert.equal(ours.slice(0, 200), theirs.getText().slice(0, 200), `start of the text at step ${step}`);
      }
      assertSame(ours, theirs, rnd, `at the end (seed ${seed})`);
    });
  }

  it('keeps an old version readable after later edits (an analysis reads the version it was made of)', () => {
    const text = bigConfig(2000);
    const doc = new ChunkedDocument('file:///a', 'dirsync', 1, text);
    const before = doc.text;
    doc.update([{ range: { start: { line: 1000, character: 0 }, end: { line: 1200, character: 0 } }, text: 'x\n' }], 2);
    assert.equal(before.text(), text);
    assert.equal(before.slice(30_000, 30_050), text.slice(30_000, 30_050));
    assert.notEqual(doc.getText(), text);
  });

  it('edits a 269 KB text without building it whole', () => {
    const text = bigConfig(5000);
    let t = ChunkedText.of(text);
    let expected = text;
    for (let i = 0; i < 50; i++) {
      const at = (i * 7919) % text.length;
      // Now and then a comment's end, to be found across pieces below.
      const insert = i % 5 === 0 ? '*/' : 'q';
      t = t.replace(at, at + (i % 3), insert);
      expected = expected.slice(0, at) + insert + expected.slice(at + (i % 3));
      assert.equal(t.builtText, undefined, 'the whole text is not built by an edit');
      assert.equal(t.slice(Math.max(0, at - 10), at + 10), expected.slice(Math.max(0, at - 10), at + 10));
    }
    // Searches, also for matches across pieces (a comment's `*/` split by a piece's end).
    const rnd = prng(9);
    for (let k = 0; k < 300; k++) {
      const from = Math.floor(rnd() * (expected.length + 10)) - 5;
      const at = Math.floor(rnd() * expected.length);
      const search = ['/', '*/', '"', 'q', '\n', 'xyz'][k % 6]!;
      assert.equal(t.indexOf(search, from), expected.indexOf(search, from), `indexOf(${JSON.stringify(search)}, ${from})`);
      const long = expected.slice(at, at + 1 + Math.floor(rnd() * 30_000));
      assert.equal(
        t.indexOf(long, Math.max(0, at - 100)),
        expected.indexOf(long, Math.max(0, at - 100)),
        `indexOf of ${long.length} characters`,
      );
    }
    assert.equal(t.builtText, undefined, 'searching does not build the whole text');
    // A match split exactly by a piece's end.
    const split = ChunkedText.of(`${'a'.repeat(8 * 1024 - 1)}*/${'b'.repeat(20_000)}`).replace(25_000, 25_000, 'c');
    assert.equal(split.builtText, undefined);
    assert.equal(split.indexOf('*/'), 8 * 1024 - 1);
    assert.equal(split.indexOf('a*/b', 100), 8 * 1024 - 2);
    assert.equal(t.text(), expected);
  });
});
