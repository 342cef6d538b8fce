import { strict as assert } from 'node:assert';
import { parseAvatarUriPattern, resolveAvatarUri } from '../../../../server/src/language/avatarUri';
import type { DirectoryEntry } from '../../../../server/src/domain/entry';

const entry = (attributes: DirectoryEntry['attributes']): DirectoryEntry => ({ dn: 'CN=x,DC=corp', attributes });
const resolve = (pattern: string, attributes: DirectoryEntry['attributes']) => {
  const r = parseAvatarUriPattern(pattern);
  if (!r.ok) assert.fail(JSON.stringify(r.problems));
  return resolveAvatarUri(r.value, entry(attributes));
};

describe('resolveAvatarUri', () => {
  it("resolves the seed's example", () => {
    assert.deepEqual(resolve('http://www.example.com/dir/photo/zoom/{mail: .*?(?=@.*)}.jpg', { mail: ['abcd@example.com'] }), {
      ok: true,
      url: 'http://www.example.com/dir/photo/zoom/abcd.jpg',
    });
  });
  it('takes the first match in the first value and URL-encodes it', () => {
    assert.deepEqual(resolve('https://p.example.com/{mail}', { mail: ['a b@example.com', 'x@y'] }), {
      ok: true,
      url: 'https://p.example.com/a%20b%40example.com',
    });
    assert.deepEqual(resolve('https://p.example.com/{employeeID: \\d+}.png', { employeeid: ['E-0042-7'] }), {
      ok: true,
      url: 'https://p.example.com/0042.png',
    });
    assert.deepEqual(resolve('https://p.example.com/{displayName: [^,]+}.png', { displayname: ['Lovelace/Ada, Countess'] }), {
      ok: true,
      url: 'https://p.example.com/Lovelace%2FAda.png',
    });
  });
  it('applies translated options and anchors', () => {
    assert.deepEqual(resolve('https://p.example.com/{sAMAccountName: (?i)\\A[A-Z]+\\z}.jpg', { samaccountname: ['ada'] }), {
      ok: true,
      url: 'https://p.example.com/ada.jpg',
    });
    assert.deepEqual(resolve("https://p.example.com/{mail: (?'user'[^@]+)}", { mail: ['ada@x'] }), {
      ok: true,
      url: 'https://p.example.com/ada',
    });
  });
  it('uses the AD text form of binary attributes', () => {
    const guid = Uint8Array.from(Buffer.from('4d0f0e832c49e8419e960370daaa877b', 'hex'));
    assert.deepEqual(resolve('https://p.example.com/{objectGUID}.jpg', { objectguid: [guid] }), {
      ok: true,
      url: 'https://p.example.com/830e0f4d-492c-41e8-9e96-0370daaa877b.jpg',
    });
  });
  it('reports a missing attribute or no match', () => {
    const p = 'http://www.example.com/dir/photo/zoom/{mail: .*?(?=@.*)}.jpg';
    assert.deepEqual(resolve(p, {}), { ok: false, reason: 'missingAttribute', attribute: 'mail' });
    assert.deepEqual(resolve(p, { mail: [''] }), { ok: false, reason: 'missingAttribute', attribute: 'mail' });
    assert.deepEqual(resolve(p, { mail: ['no-at-sign'] }), { ok: false, reason: 'noMatch', attribute: 'mail' });
    // A match of zero characters would leave an empty path segment: no match.
    assert.deepEqual(resolve('https://p.example.com/{mail: x*}', { mail: ['abc'] }), { ok: false, reason: 'noMatch', attribute: 'mail' });
  });
});
