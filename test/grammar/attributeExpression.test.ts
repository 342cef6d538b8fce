/**
 * Attribute expressions: the seed's table (exact results), precedence, associativity, escapes,
 * names with hyphens, and every error with its code and range.
 */
import { strict as assert } from 'node:assert';
import type { DirectoryEntry } from '../../server/src/domain/entry';
import {
  ATTRIBUTE_EXPRESSION_CODES,
  evaluateExpression,
  formatExpression,
  parseAttributeExpression,
  type Expression,
} from '../../server/src/language/attrExpr';

const entry: DirectoryEntry = {
  dn: 'CN=Ada Lovelace,OU=People,DC=corp,DC=example,DC=com',
  attributes: {
    mail: ['ada@example.com'],
    givenname: ['Ada'],
    sn: ['Lovelace'],
    proxyaddresses: ['SMTP:ada@example.com', 'smtp:a.lovelace@example.com'],
    'msrtcsip-primaryuseraddress': ['sip:ada@example.com'],
    'ds-pwp-account-disabled': ['false'],
    extensionattribute1: [''],
  },
};

const value = (text: string): string => {
  const r = parseAttributeExpression(text);
  if (!r.ok) assert.fail(`${text}: ${JSON.stringify(r.problems)}`);
  return evaluateExpression(r.value, entry);
};

/** Shape of the tree: binary nodes as [op, left, right], groups as ['()', inner], leaves as text. */
function shape(e: Expression): unknown {
  switch (e.type) {
    case 'string':
      return `'${e.value}'`;
    case 'attribute':
      return e.name;
    case 'group':
      return ['()', shape(e.expression)];
    case 'binary':
      return [e.op, shape(e.left), shape(e.right)];
  }
}
const tree = (text: string) => {
  const r = parseAttributeExpression(text);
  if (!r.ok) assert.fail(JSON.stringify(r.problems));
  return shape(r.value);
};

describe('attribute expression grammar', () => {
  describe("evaluates the seed's table exactly", () => {
    const table: Array<[string, string]> = [
      ['"abc@example.com" % "@"', 'example.com'],
      ['"abc@example.com" - "@"', 'abc'],
      ['"abc" + " " + "def"', 'abc def'],
      ['"" | "abc"', 'abc'],
    ];
    for (const [expr, result] of table) it(`${expr} → ${result}`, () => assert.equal(value(expr), result));
  });

  describe('evaluates on an entry', () => {
    const table: Array<[string, string]> = [
      ["givenName + ' ' + sn", 'Ada Lovelace'],
      ['mail - "@"', 'ada'],
      ["mail-'@'", 'ada'],
      ['mail % "@"', 'example.com'],
      ['mail % "#"', 'ada@example.com'],
      ['mail - "#"', 'ada@example.com'],
      ['mail % ""', 'ada@example.com'],
      ['mail - ""', 'ada@example.com'],
      ['"a@b@c" % "@"', 'b@c'],
      ['"a@b@c" - "@"', 'a'],
      ['"abcabc" % "bc"', 'abc'],
      ['"Example" % "e"', ''],
      ['"Example" % "E"', 'xample'],
      ['telephoneNumber | mobile | "none"', 'none'],
      ['extensionAttribute1 | mail', 'ada@example.com'],
      ['proxyAddresses % ":"', 'ada@example.com'],
      ['MSRTCSIP-PrimaryUserAddress % "sip:"', 'ada@example.com'],
      ['ds-pwp-account-disabled', 'false'],
      ['MAIL', 'ada@example.com'],
      ['notSet + "x"', 'x'],
    ];
    for (const [expr, result] of table) it(`${expr} → ${JSON.stringify(result)}`, () => assert.equal(value(expr), result));
  });

  describe('precedence (lowest | then + then % -) and left associativity', () => {
    const table: Array<[string, unknown]> = [
      ['a | b + c', ['|', 'a', ['+', 'b', 'c']]],
      ['a + b | c', ['|', ['+', 'a', 'b'], 'c']],
      ['a + b % c', ['+', 'a', ['%', 'b', 'c']]],
      ['a % b + c', ['+', ['%', 'a', 'b'], 'c']],
      ['a - b % c', ['%', ['-', 'a', 'b'], 'c']],
      ['a % b - c', ['-', ['%', 'a', 'b'], 'c']],
      ['a | b | c', ['|', ['|', 'a', 'b'], 'c']],
      ['a + b + c', ['+', ['+', 'a', 'b'], 'c']],
      ['a | b + c % d - e', ['|', 'a', ['+', 'b', ['-', ['%', 'c', 'd'], 'e']]]],
      ['(a | b) + c', ['+', ['()', ['|', 'a', 'b']], 'c']],
      ['a % (b + c)', ['%', 'a', ['()', ['+', 'b', 'c']]]],
      ['a-b - c', ['-', 'a-b', 'c']],
      ['1.2.840.113556.1.4.221 + x', ['+', '1.2.840.113556.1.4.221', 'x']],
    ];
    for (const [expr, expected] of table) it(expr, () => assert.deepEqual(tree(expr), expected));

    it('evaluation follows the tree', () => {
      // Left associative %: ("a.b.c" % ".") % "." = "c"; right grouping would give "b.c" % "" → unchanged.
      assert.equal(value('"a.b.c" % "." % "."'), 'c');
      assert.equal(value('"a.b.c" % ("." % ".")'), 'a.b.c');
      // + binds tighter than |: "" | ("x" + "y").
      assert.equal(value('"" | "x" + "y"'), 'xy');
      // % binds tighter than +: "a" + ("b@c" % "@").
      assert.equal(value('"a" + "b@c" % "@"'), 'ac');
      assert.equal(value('("a" + "b@c") % "@"'), 'c');
    });
  });

  describe('string literals', () => {
    const table: Array<[string, string]> = [
      ["'single'", 'single'],
      ['"double"', 'double'],
      ["'it\\'s'", "it's"],
      ['"say \\"hi\\""', 'say "hi"'],
      ["'a\"b'", 'a"b'],
      ['"a\'b"', "a'b"],
      ['"back\\\\slash"', 'back\\slash'],
      ['"tab\\tnew\\nline"', 'tab\tnew\nline'],
      ['"\\u00e9t\\u00C9"', 'étÉ'],
      ['"   "', '   '],
    ];
    for (const [expr, result] of table) it(`${expr} → ${JSON.stringify(result)}`, () => assert.equal(value(expr), result));
  });

  describe('rejects with code and range', () => {
    const table: Array<[text: string, code: string, start: number, end: number]> = [
      ['"abc', 'DS302', 0, 4],
      ["mail + 'x", 'DS302', 7, 9],
      ['"a\\qb"', 'DS306', 2, 4],
      ['"\\u12"', 'DS306', 1, 5],
      ['mail +', 'DS303', 5, 6],
      ['+ mail', 'DS303', 0, 1],
      ['mail + + sn', 'DS303', 5, 6],
      ['mail || sn', 'DS303', 5, 6],
      ['(| mail)', 'DS303', 1, 2],
      ['()', 'DS303', 0, 2],
      ['mail + (', 'DS303', 7, 8],
      ['(mail', 'DS304', 5, 5],
      ['mail)', 'DS304', 4, 5],
      ['(mail + sn))', 'DS304', 11, 12],
      ['mail & sn', 'DS305', 5, 6],
      ['mail * 2', 'DS305', 5, 6],
      ['mail . sn', 'DS305', 5, 6],
      ['', 'DS307', 0, 0],
      ['  ', 'DS307', 0, 2],
      ['givenName sn', 'DS308', 10, 12],
      ["givenName ' ' sn", 'DS308', 10, 13],
      ['“abc”', 'DS311', 0, 1],
      ['42', 'DS314', 0, 2],
    ];
    for (const [text, code, start, end] of table) {
      it(`${JSON.stringify(text)} → ${code} at ${start}-${end}`, () => {
        const r = parseAttributeExpression(text);
        assert.equal(r.ok, false);
        assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
        const p = r.problems[0]!;
        assert.deepEqual({ code: p.code, start: p.start, end: p.end }, { code, start, end });
        assert.equal(p.severity, ATTRIBUTE_EXPRESSION_CODES[code as keyof typeof ATTRIBUTE_EXPRESSION_CODES].severity);
      });
    }
  });

  describe('warns about legal but pointless constructs', () => {
    const table: Array<[text: string, codes: string[]]> = [
      ['mail % ""', ['DS310']],
      ["mail - ''", ['DS310']],
      ['"x" | mail', ['DS312']],
      ['givenName + "" + sn', ['DS313']],
      ['"" | mail', []],
      ["givenName + ' ' + sn", []],
    ];
    for (const [text, codes] of table) {
      it(`${text} → ${codes.join(', ') || 'clean'}`, () => {
        const r = parseAttributeExpression(text);
        assert.equal(r.ok, true);
        assert.deepEqual(
          r.problems.map((p) => p.code),
          codes,
        );
      });
    }
    it('hints that an unknown hyphenated name may be a cut without spaces (with schema knowledge)', () => {
      const known = new Set(['givenname', 'sn', 'ds-pwp-account-disabled']);
      const opts = { isKnownAttribute: (n: string) => known.has(n.toLowerCase()) };
      const r = parseAttributeExpression('givenName-sn', opts);
      assert.deepEqual(
        r.problems.map((p) => [p.code, p.start, p.end]),
        [['DS309', 0, 12]],
      );
      assert.deepEqual(parseAttributeExpression('ds-pwp-account-disabled', opts).problems, []);
      assert.deepEqual(parseAttributeExpression('givenName-sn').problems, []);
    });
  });

  describe('formats canonically', () => {
    const table: Array<[string, string]> = [
      ['givenName+" "+sn', "givenName + ' ' + sn"],
      ["mail-'@'", "mail - '@'"],
      ['("a"|b)+c', "('a' | b) + c"],
      ['"it\'s"', "'it\\'s'"],
      ['"tab\\t"', "'tab\\t'"],
    ];
    for (const [input, output] of table) {
      it(`${input} → ${output}`, () => {
        const r = parseAttributeExpression(input);
        if (!r.ok) return assert.fail();
        assert.equal(formatExpression(r.value), output);
        const again = parseAttributeExpression(output);
        if (!again.ok) return assert.fail();
        assert.deepEqual(shape(again.value), shape(r.value));
      });
    }
    it('adds parentheses a hand-built tree needs', () => {
      const at = { start: 0, end: 0 };
      const s = (v: string): Expression => ({ type: 'string', value: v, range: at });
      const tree: Expression = {
        type: 'binary',
        op: '%',
        left: s('a'),
        right: { type: 'binary', op: '+', left: s('b'), right: s('c'), range: at },
        range: at,
      };
      assert.equal(formatExpression(tree), "'a' % ('b' + 'c')");
      assert.equal(formatExpression(tree, { quote: '"' }), '"a" % ("b" + "c")');
    });
  });
});
