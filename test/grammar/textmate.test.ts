/**
 * The TextMate colouring: both JSON files parse, every pattern compiles with Oniguruma (the regex
 * engine VS Code uses for TextMate), and a sample config tokenizes with the scopes a theme needs,
 * including inside the strings that hold the three embedded languages.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = join(__dirname, '..', '..');
const grammarPath = join(root, 'syntaxes', 'dirsync.tmLanguage.json');
const configPath = join(root, 'syntaxes', 'language-configuration.json');

let onigReady: Promise<void> | undefined;
function loadOniguruma(): Promise<void> {
  const wasm = readFileSync(join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  onigReady ??= oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  return onigReady;
}

/** Every regex in a TextMate grammar (match, begin, end, while), with where it is. */
function regexesOf(node: unknown, path: string, out: Array<[string, string]>): Array<[string, string]> {
  if (Array.isArray(node)) node.forEach((n, i) => regexesOf(n, `${path}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (['match', 'begin', 'end', 'while'].includes(k) && typeof v === 'string') out.push([`${path}.${k}`, v]);
      else regexesOf(v, `${path}.${k}`, out);
    }
  }
  return out;
}

interface Tokenized {
  line: string;
  tokens: textmate.IToken[];
}

async function tokenize(lines: string[]): Promise<Tokenized[]> {
  await loadOniguruma();
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.dirsync' ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const grammar = await registry.loadGrammar('source.dirsync');
  assert.ok(grammar);
  let state = textmate.INITIAL;
  return lines.map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return { line, tokens: r.tokens };
  });
}

const SAMPLE = String.raw`// Corp users into Webex
{
  /* where to read */
  "directory": { "url": "ldaps://dc1.corp.example.com", "password": "§{env:AD_BIND_PASSWORD}" },
  "objects": {
    "users": { "filter": "(&(objectCategory=person)(!(userAccountControl:1.2.840.113556.1.4.803:=2))(cn=Ex\\2a*))" },
    "groups": {
      "enabled": true,
      "filter": "(|(cn;lang-en=A*)(ou:dn:=Sales))"
    }
  },
  "attributes": {
    "displayName": "givenName + ' ' + sn",
    "uid": "mail - \"@\" | sAMAccountName",
    "sipAddresses;type=enterprise": "msRTCSIP-PrimaryUserAddress % 'sip:' & x"
  },
  "avatar": { "source": "resourceServer", "uriPattern": "http://www.example.com/dir/photo/zoom/{mail: .*?(?=@.*)}.jpg" },
  "policy": { "deleteThreshold": { "percent": 10 } }
}`
  .replace('§{', '${')
  .split('\n');

describe('TextMate colouring (syntaxes/)', () => {
  let lines: Tokenized[];
  before(async () => {
    lines = await tokenize(SAMPLE);
  });

  /** The scopes of the token that starts `needle` (the nth occurrence) on the line containing `lineHint`. */
  function scopes(lineHint: string, needle: string, nth = 0): string[] {
    const l = lines.find((x) => x.line.includes(lineHint));
    assert.ok(l, `no line with ${lineHint}`);
    let at = -1;
    for (let i = 0; i <= nth; i++) at = l.line.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${needle} not on line ${l.line}`);
    const token = l.tokens.find((t) => t.startIndex <= at && at < t.endIndex)!;
    return token.scopes;
  }
  /** The exact text of the token that starts at `needle`. */
  function tokenText(lineHint: string, needle: string): string {
    const l = lines.find((x) => x.line.includes(lineHint))!;
    const at = l.line.indexOf(needle);
    const token = l.tokens.find((t) => t.startIndex <= at && at < t.endIndex)!;
    return l.line.slice(token.startIndex, token.endIndex);
  }
  const has = (s: string[], scope: string) =>
    assert.ok(
      s.some((x) => x.startsWith(scope)),
      `${scope} not in ${s.join(' ')}`,
    );
  const hasNot = (s: string[], scope: string) => assert.ok(!s.some((x) => x.startsWith(scope)), `${scope} in ${s.join(' ')}`);

  it('both files parse (the language configuration as JSON with comments)', () => {
    const grammar = JSON.parse(readFileSync(grammarPath, 'utf8'));
    assert.equal(grammar.scopeName, 'source.dirsync');
    const errors: ParseError[] = [];
    const config = parseJsonc(readFileSync(configPath, 'utf8'), errors);
    assert.deepEqual(errors, []);
    assert.deepEqual(config.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
    for (const pattern of [
      config.wordPattern,
      config.indentationRules.increaseIndentPattern,
      config.indentationRules.decreaseIndentPattern,
    ]) {
      assert.doesNotThrow(() => new RegExp(pattern));
    }
    assert.ok(new RegExp(config.wordPattern).exec('msRTCSIP-PrimaryUserAddress')?.[0] === 'msRTCSIP-PrimaryUserAddress');
  });

  it('every pattern compiles with Oniguruma, and every include resolves', async () => {
    await loadOniguruma();
    const grammar = JSON.parse(readFileSync(grammarPath, 'utf8'));
    const regexes = regexesOf(grammar, '$', []);
    assert.ok(regexes.length > 40);
    for (const [where, source] of regexes) {
      assert.doesNotThrow(() => new oniguruma.OnigScanner([source]), `${where}: ${source}`);
    }
    const includes = JSON.stringify(grammar).match(/"include":"#[^"]+"/g) ?? [];
    for (const inc of includes) {
      const name = inc.slice('"include":"#'.length, -1);
      assert.ok(grammar.repository[name], `include #${name} has no repository entry`);
    }
  });

  it('package.json contributes the grammar for the dirsync language', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const g = pkg.contributes.grammars.find((x: { language: string }) => x.language === 'dirsync');
    assert.equal(g.scopeName, 'source.dirsync');
    assert.equal(join(root, g.path), grammarPath);
    assert.equal(pkg.contributes.languages[0].configuration, './syntaxes/language-configuration.json');
  });

  it('colours JSON with comments', () => {
    has(scopes('// Corp', '//'), 'comment.line.double-slash');
    has(scopes('/* where', 'where'), 'comment.block');
    has(scopes('"directory"', 'directory'), 'support.type.property-name');
    has(scopes('"directory"', 'ldaps'), 'string.quoted.double');
    hasNot(scopes('"directory"', 'ldaps'), 'support.type.property-name');
    has(scopes('"enabled"', 'true'), 'constant.language');
    has(scopes('"percent"', '10'), 'constant.numeric');
    has(scopes('"source"', 'resourceServer'), 'string.quoted.double');
    hasNot(scopes('"source"', 'resourceServer'), 'meta.embedded');
  });

  it('colours secret references', () => {
    has(scopes('"password"', 'env'), 'keyword.other.secret-source');
    has(scopes('"password"', 'AD_BIND_PASSWORD'), 'variable.other.constant.secret-name');
  });

  it('colours LDAP filters inside "filter" values', () => {
    const l = '"users"';
    has(scopes(l, 'filter'), 'support.type.property-name');
    has(scopes(l, '&'), 'keyword.operator.logical.ldap-filter');
    has(scopes(l, '!'), 'keyword.operator.logical.ldap-filter');
    has(scopes(l, 'objectCategory'), 'variable.other.attribute.ldap-filter');
    assert.equal(tokenText(l, 'objectCategory'), 'objectCategory');
    has(scopes(l, '=person'), 'keyword.operator.comparison.ldap-filter');
    has(scopes(l, '1.2.840.113556.1.4.803'), 'support.function.matching-rule.ldap-filter');
    has(scopes(l, ':=2'), 'keyword.operator.comparison.ldap-filter');
    has(scopes(l, '\\\\2a'), 'constant.character.escape.ldap-filter');
    has(scopes(l, '*))'), 'keyword.operator.wildcard.ldap-filter');
    has(scopes(l, '(&'), 'meta.embedded.ldap-filter');
    const g = '"filter": "(|';
    has(scopes(g, '|'), 'keyword.operator.logical.ldap-filter');
    assert.equal(tokenText(g, 'cn;lang-en'), 'cn;lang-en');
    has(scopes(g, ':dn'), 'keyword.other.dn-attributes.ldap-filter');
  });

  it('colours attribute expressions inside "attributes" values, not their keys', () => {
    has(scopes('"displayName"', 'displayName'), 'support.type.property-name');
    hasNot(scopes('"displayName"', 'displayName'), 'variable.other.attribute');
    has(scopes('"displayName"', 'givenName'), 'variable.other.attribute.attribute-expression');
    has(scopes('"displayName"', '+'), 'keyword.operator.attribute-expression');
    has(scopes('"displayName"', "' '"), 'string.quoted.single.attribute-expression');
    has(scopes('"uid"', '- '), 'keyword.operator.attribute-expression');
    has(scopes('"uid"', '\\"@'), 'string.quoted.double.attribute-expression');
    has(scopes('"uid"', '|'), 'keyword.operator.attribute-expression');
    assert.equal(tokenText('"sipAddresses', 'msRTCSIP'), 'msRTCSIP-PrimaryUserAddress');
    has(scopes('"sipAddresses', '%'), 'keyword.operator.attribute-expression');
    has(scopes('"sipAddresses', '&'), 'invalid.illegal.unknown-operator.attribute-expression');
  });

  it('colours avatar URI patterns inside "uriPattern" values', () => {
    const l = '"uriPattern"';
    has(scopes(l, '{mail'), 'punctuation.definition.placeholder.begin.avatar-uri');
    has(scopes(l, 'mail:'), 'variable.other.attribute.avatar-uri');
    has(scopes(l, '.*?'), 'string.regexp.avatar-uri');
    has(scopes(l, '*?('), 'keyword.operator.quantifier.regexp');
    has(scopes(l, '(?='), 'punctuation.definition.group.regexp');
    has(scopes(l, '}.jpg'), 'punctuation.definition.placeholder.end.avatar-uri');
    hasNot(scopes(l, '.jpg'), 'meta.placeholder');
    has(scopes(l, 'http://'), 'meta.embedded.avatar-uri');
  });

  it('returns to plain JSON after the embedded strings', () => {
    has(scopes('"policy"', 'deleteThreshold'), 'support.type.property-name');
    hasNot(scopes('"policy"', 'deleteThreshold'), 'meta.embedded');
    const last = lines[lines.length - 1]!;
    assert.deepEqual(last.tokens[0]!.scopes.slice(-1), ['punctuation.definition.dictionary.end.json.dirsync']);
  });
});
