/**
 * Avatar URI patterns: placeholder structure, URL checks, and the .NET → JavaScript regex
 * translation with an error, at the construct's exact range, for everything JavaScript cannot run.
 */
import { strict as assert } from 'node:assert';
import { AVATAR_URI_CODES, parseAvatarUriPattern } from '../../server/src/language/avatarUri';

const URL = 'https://photos.example.com/p/';

/** Range of `needle` inside `haystack` (first occurrence). */
function rangeOf(haystack: string, needle: string): [number, number] {
  const i = haystack.indexOf(needle);
  assert.ok(i >= 0, `${needle} not in ${haystack}`);
  return [i, i + needle.length];
}

describe('avatar URI pattern grammar', () => {
  it("parses the seed's pattern into literal, placeholder with regex, literal", () => {
    const text = 'http://www.example.com/dir/photo/zoom/{mail: .*?(?=@.*)}.jpg';
    const r = parseAvatarUriPattern(text);
    if (!r.ok) return assert.fail(JSON.stringify(r.problems));
    assert.deepEqual(r.problems, []);
    const [a, b, c] = r.value.parts;
    assert.deepEqual(a, { type: 'literal', text: 'http://www.example.com/dir/photo/zoom/', range: { start: 0, end: 38 } });
    assert.equal(b?.type, 'placeholder');
    if (b?.type !== 'placeholder') return;
    assert.equal(b.attribute, 'mail');
    assert.deepEqual(b.attributeRange, { start: 39, end: 43 });
    // The blank after ':' is layout, not part of the regex.
    assert.deepEqual(b.regex, { source: '.*?(?=@.*)', jsSource: '.*?(?=@.*)', flags: '', range: { start: 45, end: 55 } });
    assert.deepEqual(b.range, { start: 38, end: 56 });
    assert.deepEqual(c, { type: 'literal', text: '.jpg', range: { start: 56, end: 60 } });
  });

  describe('regex translation (.NET → JavaScript)', () => {
    const table: Array<[dotnet: string, js: string, flags: string]> = [
      ['[^@]+', '[^@]+', ''],
      ['\\d{2,4}', '\\d{2,4}', ''],
      ['a{2}b{1,}', 'a{2}b{1,}', ''],
      ['\\{x\\}', '\\{x\\}', ''],
      ['a{y}', 'a\\{y\\}', ''],
      ['[{}]+', '[{}]+', ''],
      ['(?i)^[a-z]+', '^[a-z]+', 'i'],
      ['(?is)a.b', 'a.b', 'is'],
      ['(?i)(?m)^a', '^a', 'im'],
      ['(?-i)a', 'a', ''],
      ['\\A\\w+\\z', '^\\w+$', ''],
      ['(?m)\\Aa\\z', '(?<![\\s\\S])a(?![\\s\\S])', 'm'],
      ['a\\Z', 'a(?=\\n?$)', ''],
      ["(?'user'[^@]+)@\\k'user'", '(?<user>[^@]+)@\\k<user>', ''],
      ['(?<user>[^@]+)', '(?<user>[^@]+)', ''],
      ['(?<=@)\\w+(?!x)(?<!y)', '(?<=@)\\w+(?!x)(?<!y)', ''],
      ['(?#skip this)\\w+', '\\w+', ''],
      ['\\p{Lu}\\P{Ll}', '\\p{Lu}\\P{Ll}', 'u'],
      ['\\p{L}+\\@', '\\p{L}+@', 'u'],
      ['\\e\\a\\040', '\\x1B\\x07\\x20', ''],
      ['[]a]', '[\\]a]', ''],
      ['.*?(?=@.*)', '.*?(?=@.*)', ''],
    ];
    for (const [dotnet, js, flags] of table) {
      it(`${dotnet} → /${js}/${flags}`, () => {
        const r = parseAvatarUriPattern(`${URL}{mail: ${dotnet}}`);
        if (!r.ok) return assert.fail(JSON.stringify(r.problems));
        const ph = r.value.parts.find((p) => p.type === 'placeholder');
        assert.equal(ph?.type === 'placeholder' && ph.regex?.jsSource, js);
        assert.equal(ph?.type === 'placeholder' && ph.regex?.flags, flags);
        assert.doesNotThrow(() => new RegExp(js, flags));
      });
    }
  });

  describe('rejects .NET constructs JavaScript cannot run, at their exact range', () => {
    const table: Array<[dotnet: string, construct: string, code: string]> = [
      ['(?>abc)d', '(?>abc)', 'DS410'],
      ['(?<open-close>x)', '(?<open-close>x)', 'DS410'],
      ["(?'-close'x)", "(?'-close'x)", 'DS410'],
      ['(?(x)a|b)', '(?(x)a|b)', 'DS410'],
      ['(?(?=a)ab|cd)', '(?(?=a)ab|cd)', 'DS410'],
      ['a(?i)b', '(?i)', 'DS410'],
      ['(?i:ab)c', '(?i:ab)', 'DS410'],
      ['\\Gabc', '\\G', 'DS410'],
      ['[a-z-[aeiou]]+', '-[aeiou]', 'DS410'],
      ['\\p{IsGreek}+', '\\p{IsGreek}', 'DS410'],
      ['\\P{IsBasicLatin}', '\\P{IsBasicLatin}', 'DS410'],
      ['(?x) a b', 'x', 'DS410'],
      ['(?n)(a)', 'n', 'DS410'],
      ['(?<2>a)', '(?<2>', 'DS410'],
      ['a*+', '*+', 'DS410'],
      ['a{2}+', '{2}+', 'DS410'],
      ['\\q', '\\q', 'DS411'],
      ['\\p{Nope}', '\\p{Nope}', 'DS411'],
      ['(?z)a', 'z', 'DS411'],
      ['(abc', '(abc', 'DS411'],
      ['a)', 'a)', 'DS411'],
      ['*a', '*a', 'DS411'],
    ];
    for (const [dotnet, construct, code] of table) {
      it(`${dotnet} → ${code} at ${construct}`, () => {
        const text = `${URL}{mail: ${dotnet}}`;
        const r = parseAvatarUriPattern(text);
        assert.equal(r.ok, false);
        const p = r.problems.find((x) => x.code === code);
        assert.ok(p, JSON.stringify(r.problems));
        const regexStart = text.indexOf(dotnet);
        const [s, e] = rangeOf(dotnet, construct);
        assert.deepEqual([p.start, p.end], [regexStart + s, regexStart + e], `${text.slice(p.start, p.end)} vs ${construct}`);
        assert.equal(p.severity, 'error');
      });
    }
  });

  describe('checks the URL and placeholders', () => {
    const table: Array<[text: string, code: string, marked: string]> = [
      [`${URL}{mail`, 'DS402', '{mail'],
      [`${URL}{mail: a{2}`, 'DS402', '{mail: a{2}'],
      [`${URL}x}.jpg`, 'DS403', '}'],
      [`${URL}{}.jpg`, 'DS404', '{}'],
      [`${URL}{mail Q}`, 'DS404', 'Q'],
      [`${URL}{1mail}`, 'DS404', '{1'],
      ['ftp://photos.example.com/{mail}', 'DS405', 'ftp:'],
      ['photos.example.com/{mail}', 'DS405', 'photos.example.com:'],
      ['{photoUrl}', 'DS405', '{photoUrl}'],
      ['https://photos.example.com/my photos/{mail}', 'DS406', ' '],
      ['https://photos.example.com/a|b/{mail}', 'DS406', '|'],
      ['https://photos.example.com:99999/{mail}', 'DS407', 'https://photos.example.com:99999/{mail}'],
    ];
    for (const [text, code, marked] of table) {
      it(`${text} → ${code}`, () => {
        const r = parseAvatarUriPattern(text);
        assert.equal(r.ok, false);
        const p = r.problems.find((x) => x.code === code);
        assert.ok(p, JSON.stringify(r.problems));
        // `photos.example.com:` has no scheme; the range then is the first literal's scheme-like prefix or all of it.
        if (marked.endsWith(':') && !text.includes(marked)) assert.equal(p.start, 0);
        else assert.deepEqual([p.start, p.end], rangeOf(text, marked));
      });
    }

    it('warns about placeholders in the host and patterns without placeholders', () => {
      const host = parseAvatarUriPattern('https://{company}.photos.example.com/{mail}.jpg');
      assert.equal(host.ok, true);
      assert.deepEqual(
        host.problems.map((p) => [p.code, p.start, p.end]),
        [['DS408', 8, 17]],
      );
      const none = parseAvatarUriPattern('https://photos.example.com/default.jpg');
      assert.equal(none.ok, true);
      assert.deepEqual(
        none.problems.map((p) => p.code),
        ['DS409'],
      );
      const empty = parseAvatarUriPattern(`${URL}{mail:}`);
      assert.equal(empty.ok, true);
      assert.deepEqual(
        empty.problems.map((p) => p.code),
        ['DS412'],
      );
    });

    it('accepts OIDs and hyphenated names as attributes, and placeholders in the query', () => {
      const r = parseAvatarUriPattern(
        'https://p.example.com/photo?id={employeeID}&sip={msRTCSIP-PrimaryUserAddress: [^:]+$}&x={1.2.840.113556.1.4.221}',
      );
      if (!r.ok) return assert.fail(JSON.stringify(r.problems));
      assert.deepEqual(
        r.value.parts.filter((p) => p.type === 'placeholder').map((p) => p.type === 'placeholder' && p.attribute),
        ['employeeID', 'msRTCSIP-PrimaryUserAddress', '1.2.840.113556.1.4.221'],
      );
    });
  });

  it('uses only codes from the DS4xx table, with the table’s severity', () => {
    for (const text of [`${URL}{mail: (?>a)}`, `${URL}{mail`, 'ftp://x/{a}', 'https://x.example.com/']) {
      for (const p of parseAvatarUriPattern(text).problems) {
        assert.equal(p.severity, AVATAR_URI_CODES[p.code as keyof typeof AVATAR_URI_CODES].severity);
      }
    }
  });
});
