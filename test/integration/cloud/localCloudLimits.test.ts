/**
 * The local cloud refuses abuse with a 4xx, never a 500, and keeps serving: JSON nested 3,000
 * deep, filters with 1,000 nested parentheses or 5,000 `or` terms, a body that is not JSON by its
 * media type. Raw HTTP against the real server.
 */
import { strict as assert } from 'node:assert';
import { request } from 'undici';
import { startCloudFixture, TOKEN, USER_SCHEMA, type CloudFixture } from '../../support/cloud';

describe('local cloud: limits answer 4xx, not 500', () => {
  let fx: CloudFixture;
  before(async () => {
    fx = await startCloudFixture();
  });
  after(async () => fx.close());

  async function call(
    method: 'GET' | 'POST',
    path: string,
    body?: string,
    contentType = 'application/scim+json',
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await request(`${fx.cloud.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  const search = (filter: string) => JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter });

  it('JSON nested 3,000 deep: 400 invalidSyntax', async () => {
    const deep = `{"schemas":["${USER_SCHEMA}"],"userName":"deep@corp.example.com","x":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    const r = await call('POST', '/Users', deep);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.equal(r.json['scimType'], 'invalidSyntax');
    assert.match(String(r.json['detail']), /nests deeper than 32 levels/);
  });

  it('a filter with 1,000 nested parentheses: 400 invalidFilter', async () => {
    const filter = `${'('.repeat(1000)}userName eq "a"${')'.repeat(1000)}`;
    const r = await call('GET', `/Users?filter=${encodeURIComponent(filter)}`);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.equal(r.json['scimType'], 'invalidFilter');
  });

  it('a filter with 5,000 `or` terms: 400 invalidFilter', async () => {
    const filter = Array.from({ length: 5000 }, (_, i) => `userName eq "u${i}"`).join(' or ');
    const r = await call('POST', '/Users/.search', search(filter));
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.equal(r.json['scimType'], 'invalidFilter');
    assert.match(String(r.json['detail']), /more than 200 terms|characters/);
  });

  it('a body that is not JSON by its media type: 415', async () => {
    const body = JSON.stringify({ schemas: [USER_SCHEMA], userName: 'plain@corp.example.com' });
    const r = await call('POST', '/Users', body, 'text/plain');
    assert.equal(r.status, 415, JSON.stringify(r.json));
    assert.equal((await call('POST', '/Users', body, 'application/json; charset=utf-8')).status, 201);
  });

  it('filters and bodies within the limits still work, and the server keeps serving', async () => {
    const filter = Array.from({ length: 50 }, (_, i) => `userName eq "u${i}"`).join(' or ');
    const r = await call('POST', '/Users/.search', search(`(${filter}) and active eq true`));
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const all = await call('GET', '/Users?filter=userName%20eq%20%22plain@corp.example.com%22');
    assert.equal(all.json['totalResults'], 1);
  });
});
