/**
 * The clean-document fast path (config/fastTree.ts) against jsonc-parser's parseTree: wherever the
 * fast path answers, its tree is jsonc-parser's tree node for node (types, offsets, lengths,
 * colonOffset, values, parent links), and it never answers for a document jsonc-parser finds errors
 * in. Sample configs plus seeded mutations of them.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { parseCleanTree } from '../../../../server/src/language/config/fastTree';
import { parseConfigTree } from '../../../../server/src/language/config/tree';
import { sampleFiles } from '../../../support/languageCases';
import { mulberry32 as prng } from '../../../support/random';

const OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

/** A node without cycles, for deepEqual; parent links are checked separately. */
function plain(node: Node): unknown {
  const { parent: _parent, children, ...rest } = node;
  return { ...rest, hasParentKey: 'parent' in node, ...(children ? { children: children.map(plain) } : {}) };
}

function assertParents(node: Node): void {
  for (const c of node.children ?? []) {
    assert.equal(c.parent, node, `parent of the ${c.type} at ${c.offset}`);
    assertParents(c);
  }
}

function reference(text: string): { root: Node | undefined; errors: ParseError[] } {
  const errors: ParseError[] = [];
  return { root: parseTree(text, errors, OPTIONS), errors };
}

/** Checks one text; returns whether the fast path answered. */
function check(text: string): boolean {
  const fast = parseCleanTree(text);
  const ref = reference(text);
  if (fast === undefined) return false;
  assert.deepEqual(ref.errors, [], `fast path accepted a text with errors: ${JSON.stringify(text.slice(0, 200))}`);
  assert.ok(ref.root);
  assert.deepEqual(plain(fast), plain(ref.root), `tree differs for ${JSON.stringify(text.slice(0, 200))}`);
  assert.ok(!('parent' in fast), 'the root has no parent key');
  assertParents(fast);
  return true;
}

const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  '\\\\',
  '\\u00e9',
  '\\u00',
  '\\"',
  '\\/',
  '\\n',
  '//',
  '/*',
  '*/',
  '\n',
  '\r',
  '\t',
  '\u00a0',
  '\ufeff',
  ' ',
  'null',
  'true',
  'false',
  'truex',
  '-',
  '-1',
  '0',
  '01',
  '1.',
  '1.5',
  '1e',
  '1e+3',
  '-0.5E-2',
  '1e999',
  '"x"',
  '"a":1,',
  '\u0001',
  'é',
  '\u{1F600}',
  '\r\n',
];

function mutate(text: string, rnd: () => number): string {
  let t = text;
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rnd() * (t.length + 1));
    const op = rnd();
    if (op < 0.3) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rnd() * 4));
    else if (op < 0.85) t = t.slice(0, at) + TOKENS[Math.floor(rnd() * TOKENS.length)] + t.slice(at);
    else t = t.slice(0, at);
  }
  return t;
}

describe('config fast tree (jsonc-parser fast path)', () => {
  it('builds jsonc-parser’s tree for every sample config', () => {
    for (const f of sampleFiles()) {
      const text = readFileSync(f, 'utf8');
      if (reference(text).errors.length === 0) assert.ok(check(text), `fast path declined the clean sample ${f}`);
      else assert.equal(parseCleanTree(text), undefined, f);
    }
  });

  const table: Array<[string, boolean]> = [
    ['{}', true],
    ['  {"a": [1, -2.5e3, true, false, null, "x\\"y\\u00e9\\n"],}  // end', true],
    ['/* c */ [1,2,] ', true],
    ['"just a string"', true],
    ['-0', true],
    ['{"a": {"b": {"c": []}}}', true],
    ['', false], // empty content: jsonc-parser decides (no root, no error)
    ['// only a comment', false],
    ['\ufeff{}', false],
    ['{"a" 1}', false],
    ['{"a": 01}', false],
    ['{"a": 1.}', false],
    ['{"a": tru}', false],
    ['{"a": truex}', false],
    ['[1 2]', false],
    ['[,]', false],
    ['{,}', false],
    ['{"a": "x\ny"}', false],
    ['{"a": "\\x"}', false],
    ['{"a": "\\u12"}', false],
    ['{"a": 1} x', false],
    ['{"a": 1 /* open', false],
    ['{"a":\u00a01}', false],
  ];
  for (const [text, answers] of table) {
    it(`${answers ? 'answers' : 'defers to jsonc-parser'} for ${JSON.stringify(text)}`, () => {
      assert.equal(check(text), answers);
      // Either way, parseConfigTree's result is jsonc-parser's.
      const ref = reference(text);
      const ours = parseConfigTree(text);
      assert.deepEqual(ours.root && plain(ours.root), ref.root && plain(ref.root));
      assert.equal(ours.syntaxDiagnostics.length, ref.errors.length);
    });
  }

  it('matches jsonc-parser on 4,000 seeded mutants of the samples', () => {
    const seeds = sampleFiles().map((f) => readFileSync(f, 'utf8'));
    const rnd = prng(20261123);
    let answered = 0;
    let declined = 0;
    for (let i = 0; i < 4000; i++) {
      const text = mutate(seeds[Math.floor(rnd() * seeds.length)]!, rnd);
      if (check(text)) answered++;
      else declined++;
    }
    // Both paths are exercised (a mutation often leaves the document valid: in a string, a comment).
    assert.ok(answered > 100 && declined > 100, `answered ${answered}, declined ${declined}`);
  });
});
