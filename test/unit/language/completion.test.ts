/** Completion, table-driven with `|` cursor markers (`⌶` where the text itself contains `|`). */
import { strict as assert } from 'node:assert';
import { analyze } from '../../../server/src/language/analysis';
import { complete } from '../../../server/src/language/completion';
import { completionsAt, parseForCompletion } from '../../../server/src/language/service';
import { cursor } from '../../support/languageCases';

function labelsAt(src: string, marker = '|') {
  const { text, offset } = cursor(src, marker);
  const items = complete(analyze(text), offset);
  return { items, labels: items.map((i) => i.label), text, offset };
}

interface Case {
  readonly name: string;
  readonly src: string;
  readonly includes: readonly string[];
  readonly excludes?: readonly string[];
  readonly marker?: string;
}

const CASES: Case[] = [
  {
    name: 'top-level keys in an empty object',
    src: '{ | }',
    includes: ['directory', 'cloud', 'objects', 'attributes', 'avatar', 'policy', 'schedule', 'notification', 'contactAttributes'],
  },
  { name: 'top-level keys skip those present', src: '{ "directory": {}, | }', includes: ['cloud'], excludes: ['directory'] },
  {
    name: 'nested keys of directory',
    src: '{ "directory": { | } }',
    includes: ['type', 'url', 'bindDn', 'password', 'tls', 'baseDns', 'pageSize'],
  },
  { name: 'keys inside a started key string', src: '{ "directory": { "ur|" } }', includes: ['url'] },
  {
    name: 'keys of rooms include identifyBy',
    src: '{ "objects": { "rooms": { | } } }',
    includes: ['enabled', 'baseDns', 'filter', 'identifyBy', 'genericTarget'],
  },
  {
    name: 'what rooms become on a generic target',
    src: '{ "objects": { "rooms": { "genericTarget": "|" } } }',
    includes: ['users', 'skip'],
  },
  {
    name: 'cloud attribute names in attributes',
    src: '{ "attributes": { "uid": "mail", | } }',
    includes: ['displayName', 'sipAddresses;type=enterprise', 'emails;type-work', 'ds-pwp-account-disabled', 'extensionAttribute15'],
    excludes: ['uid'],
  },
  { name: 'cloud offers auth beside token', src: '{ "cloud": { | } }', includes: ['token', 'auth'] },
  {
    name: 'keys of cloud.auth',
    src: '{ "cloud": { "auth": { | } } }',
    includes: ['clientId', 'clientSecret', 'refreshToken', 'tokenUrl'],
  },
  { name: 'enum values after a colon', src: '{ "directory": { "type": | } }', includes: ['"adds"', '"adlds"'] },
  { name: 'enum values inside a string', src: '{ "cloud": { "type": "|" } }', includes: ['webex', 'scim'] },
  { name: 'booleans', src: '{ "avatar": { "enabled": | } }', includes: ['true', 'false'] },
  { name: 'deleteThreshold: snippet and "disabled"', src: '{ "policy": { "deleteThreshold": | } }', includes: ['"disabled"', '{…}'] },
  {
    name: 'secret reference snippets inside a password string',
    src: '{ "directory": { "password": "|" } }',
    includes: ['${env:NAME}', '${secret:KEY}'],
  },
  {
    name: 'AD attributes in an expression',
    src: '{ "attributes": { "displayName": "giv|" } }',
    includes: ['givenName', 'displayName', 'sn'],
  },
  { name: 'AD attributes after an operator', src: '{ "attributes": { "displayName": "givenName + \\" \\" + |" } }', includes: ['sn'] },
  {
    name: 'no AD attributes inside an expression string literal',
    src: '{ "attributes": { "displayName": "givenName + \\"a|\\"" } }',
    includes: [],
    excludes: ['sn'],
  },
  {
    name: 'AD attributes at a filter attribute position',
    src: '{ "objects": { "users": { "filter": "(&(objectClass=user)(|" } } }',
    includes: ['department', 'memberOf', 'userAccountControl'],
  },
  {
    name: 'object classes after objectClass=',
    src: '{ "objects": { "groups": { "filter": "(objectClass=gr|" } } }',
    includes: ['group', 'user'],
  },
  {
    name: 'AD attributes in an avatar placeholder',
    src: '{ "avatar": { "uriPattern": "https://p.example.com/{ma|}" } }',
    includes: ['mail'],
  },
  { name: 'avatar attribute values', src: '{ "avatar": { "attribute": "|" } }', includes: ['thumbnailPhoto', 'jpegPhoto'] },
  { name: 'an empty document offers a whole config', src: '|', includes: ['New .dirsync config'] },
];

describe('language/completion', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { labels } = labelsAt(c.src, c.marker);
      for (const l of c.includes) assert.ok(labels.includes(l), `missing ${l} in ${labels.slice(0, 30).join(', ')}`);
      for (const l of c.excludes ?? []) assert.ok(!labels.includes(l), `unexpected ${l}`);
    });
  }

  it('key completion inserts `"key": value` snippets and replaces the typed word', () => {
    const { items, text } = labelsAt('{ "directory": { url| } }');
    const url = items.find((i) => i.label === 'url')!;
    assert.equal(text.slice(url.replace.start, url.replace.end), 'url');
    assert.ok(url.insertText.startsWith('"url": "'));
    assert.equal(url.snippet, true);
  });

  it('whole-section snippets for sections', () => {
    const { items } = labelsAt('{ | }');
    const policy = items.find((i) => i.label === 'policy')!;
    assert.match(policy.insertText, /"deleteThreshold": \{ "count": \$\{1:50\}/);
  });

  it('inside an existing key only the key is replaced', () => {
    const { items, text } = labelsAt('{ "directory": { "ur|": "ldaps://x" } }');
    const url = items.find((i) => i.label === 'url')!;
    assert.equal(text.slice(url.replace.start, url.replace.end), '"ur"');
    assert.equal(url.insertText, '"url"');
  });

  it('the AD attributes Directory Connector suggests for a cloud attribute come first', () => {
    const { items } = labelsAt('{ "attributes": { "sipAddresses;type=enterprise": "|" } }');
    const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    assert.deepEqual(
      sorted.slice(0, 2).map((i) => i.label),
      ['msRTCSIP-PrimaryUserAddress', 'ipPhone'],
    );
  });

  it('expression completion replaces only the token, mapped through escapes', () => {
    const { items, text } = labelsAt('{ "attributes": { "displayName": "\\"x\\" + giv|en" } }');
    const item = items.find((i) => i.label === 'givenName')!;
    assert.equal(text.slice(item.replace.start, item.replace.end), 'given');
  });

  it('completion inside a filter with escapes replaces the right span', () => {
    const { items, text } = labelsAt('{ "objects": { "users": { "filter": "(&(cn=a\\\\2a)(dep|" } } }');
    const item = items.find((i) => i.label === 'department')!;
    assert.equal(text.slice(item.replace.start, item.replace.end), 'dep');
  });

  it('a bare parse (what the server uses right after an edit) completes like a full analysis', () => {
    for (const c of CASES) {
      const { text, offset } = cursor(c.src, c.marker);
      assert.deepEqual(completionsAt(parseForCompletion(text), offset), complete(analyze(text), offset), c.name);
    }
  });
});
