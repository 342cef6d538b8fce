/** Hover, table-driven with `|` cursor markers. */
import { strict as assert } from 'node:assert';
import { analyze } from '../../../server/src/language/analysis';
import { hover } from '../../../server/src/language/hover';
import { cursor } from '../../support/languageCases';

function hoverAt(src: string) {
  const { text, offset } = cursor(src);
  const h = hover(analyze(text), offset);
  return { h, text };
}

const CASES: Array<{ name: string; src: string; contains: readonly string[]; covers?: string }> = [
  { name: 'a top-level key', src: '{ "dir|ectory": {} }', contains: ['on-premises directory'], covers: '"directory"' },
  {
    name: 'a nested key with its default',
    src: '{ "directory": { "page|Size": 500 } }',
    contains: ['directory.pageSize', 'Default: `1000`'],
  },
  { name: 'schedule default 4h', src: '{ "schedule": { "incremental|Interval": "2h" } }', contains: ['Default: `"4h"`'] },
  { name: 'a cloud attribute key with its SCIM path', src: '{ "attributes": { "sn|": "sn" } }', contains: ['name.familyName'] },
  {
    name: 'ds-pwp-account-disabled notes',
    src: '{ "attributes": { "ds-pwp-account|-disabled": "userAccountControl" } }',
    contains: ['userAccountControl', 'active'],
  },
  {
    name: 'manager: enterprise extension, DN',
    src: '{ "attributes": { "mana|ger": "manager" } }',
    contains: ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value', 'DN'],
  },
  { name: 'an enum value', src: '{ "policy": { "mismatched": "ret|ain" } }', contains: ['retain objects'] },
  {
    name: 'rooms on a generic target: the key and a value',
    src: '{ "objects": { "rooms": { "genericTarget": "sk|ip" } } }',
    contains: ['reported as skipped with the reason'],
  },
  {
    name: 'rooms on a generic target: the key with its default',
    src: '{ "objects": { "rooms": { "generic|Target": "users" } } }',
    contains: ['generic SCIM target', 'Default: `"users"`'],
  },
  {
    name: 'a secret reference',
    src: '{ "cloud": { "token": "${secret:web|ex-token}" } }',
    contains: ['SecretStorage', 'DIRSYNC_SECRET_WEBEX_TOKEN'],
  },
  { name: 'cloud.auth explains renewing', src: '{ "cloud": { "au|th": {} } }', contains: ['Service App', 'renews', '90 days'] },
  {
    name: 'cloud.auth.tokenUrl names the default endpoint',
    src: '{ "cloud": { "auth": { "token|Url": "" } } }',
    contains: ['https://webexapis.com/v1/access_token'],
  },
  { name: 'a duration', src: '{ "schedule": { "fullInterval": "1d1|2h" } }', contains: ['1 day 12 hours'] },
  { name: 'an avatar attribute', src: '{ "avatar": { "attribute": "thumb|nailPhoto" } }', contains: ['thumbnailPhoto', 'binary'] },
  {
    name: 'a bare attribute expression shows its value on the example entry',
    src: '{ "attributes": { "uid": "ma|il" } }',
    contains: ['mail', 'alice.example@example.com'],
  },
  { name: 'a number value shows the key docs', src: '{ "cloud": { "maxRetries": |3 } }', contains: ['cloud.maxRetries', 'Retry-After'] },
];

describe('language/hover', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { h, text } = hoverAt(c.src);
      assert.ok(h, 'no hover');
      for (const s of c.contains) assert.ok(h.contents.includes(s), `${JSON.stringify(s)} not in ${h.contents}`);
      if (c.covers) assert.equal(text.slice(h.range.start, h.range.end), c.covers);
    });
  }

  it('a filter claims no match without a directory (the example entry is made up)', () => {
    const src = '{ "objects": { "users": { "filter": "(objectClass=us|er)" } } }';
    const unbound = hoverAt(src);
    assert.ok(unbound.h, 'no hover');
    assert.doesNotMatch(unbound.h.contents, /: (matches|does not match)|CN=Alice/);
    assert.match(unbound.h.contents, /Bind a directory/);
    const { text, offset } = cursor(src);
    const entry = { dn: 'CN=Bob,DC=example,DC=com', attributes: { objectclass: ['top', 'person', 'user'] } };
    const bound = hover(analyze(text), offset, { entry, entryLabel: 'the sample user' });
    assert.match(bound!.contents, /On the sample user `CN=Bob,DC=example,DC=com`: matches\./);
  });

  it('no hover on punctuation outside values', () => {
    const { h } = hoverAt('{ "directory": {} |}');
    assert.equal(h, undefined);
  });
});
