/** The token provider's pure parts: when to renew, reading the token endpoint's answer, the expiry warning, redaction. */
import { strict as assert } from 'node:assert';
import {
  parseTokenAnswer,
  refreshDueAt,
  refreshGrantBody,
  refreshTokenWarning,
  tokenErrorText,
} from '../../../server/src/cloud/tokenProvider';

const DAY = 86_400_000;

describe('token provider: pure logic', () => {
  it('renews at 85% of the lifetime by default, at the given share otherwise', () => {
    assert.equal(refreshDueAt(1_000, 3600), 1_000 + 3_060_000);
    assert.equal(refreshDueAt(0, 2), 1700);
    assert.equal(refreshDueAt(0, 10, 0.5), 5000);
    assert.equal(refreshDueAt(500, -3), 500);
  });

  it("reads Webex's token answer; says what is missing otherwise", () => {
    assert.deepEqual(
      parseTokenAnswer({
        access_token: 'a',
        expires_in: 3600,
        refresh_token: 'r',
        refresh_token_expires_in: 7776000,
        token_type: 'Bearer',
      }),
      { accessToken: 'a', expiresIn: 3600, refreshToken: 'r', refreshTokenExpiresIn: 7776000 },
    );
    assert.deepEqual(parseTokenAnswer({ access_token: 'a', expires_in: '60' }), { accessToken: 'a', expiresIn: 60 });
    const table: Array<[unknown, RegExp]> = [
      [undefined, /not a JSON object/],
      ['text', /not a JSON object/],
      [{ expires_in: 60 }, /no access_token/],
      [{ access_token: '', expires_in: 60 }, /no access_token/],
      [{ access_token: 'a' }, /no positive expires_in/],
      [{ access_token: 'a', expires_in: 0 }, /no positive expires_in/],
    ];
    for (const [body, want] of table) {
      const r = parseTokenAnswer(body);
      assert.equal(typeof r, 'string', JSON.stringify(body));
      assert.match(r as string, want);
    }
  });

  it('warns with the date within 14 days of the refresh token expiring, not before', () => {
    const now = Date.UTC(2026, 11, 5, 6, 0, 0);
    assert.equal(refreshTokenWarning(now, now + 15 * DAY), undefined);
    assert.equal(refreshTokenWarning(now, now + 14 * DAY + 1), undefined);
    assert.match(refreshTokenWarning(now, now + 10 * DAY + 5)!, /cloud\.auth expires on 2026-12-15 \(in 10 days\)/);
    assert.match(refreshTokenWarning(now, now + DAY + 1)!, /on 2026-12-06 \(in 1 day\)/);
    assert.match(refreshTokenWarning(now, now + 3_600_000)!, /on 2026-12-05 \(today\)/);
    assert.match(refreshTokenWarning(now, now - DAY)!, /expired on 2026-12-04/);
    assert.equal(refreshTokenWarning(now, now + 20 * DAY, 30 * DAY)?.includes('in 20 days'), true);
  });

  it('the reason a token endpoint refused: OAuth error and description, or Webex message', () => {
    assert.equal(tokenErrorText(400, { error: 'invalid_grant', error_description: 'expired' }), 'HTTP 400 invalid_grant: expired');
    assert.equal(tokenErrorText(401, { message: 'Invalid client credentials', trackingId: 'X' }), 'HTTP 401: Invalid client credentials');
    assert.equal(tokenErrorText(503, undefined), 'HTTP 503');
  });

  it('removes every secret a token endpoint echoes, of any length, from its text only', () => {
    const secrets = ['s3cr3t-value', 'r1', undefined, ''];
    assert.equal(
      tokenErrorText(400, { error: 'invalid_grant', error_description: 'bad secret s3cr3t-value for s3cr3t-value, token r1' }, secrets),
      'HTTP 400 invalid_grant: bad secret [redacted] for [redacted], token [redacted]',
    );
    // A secret that is also one of dirsync's words ("HTTP") is removed from the server's text, not from dirsync's.
    assert.equal(tokenErrorText(401, { message: 'HTTP said no' }, ['HTTP']), 'HTTP 401: [redacted] said no');
  });

  it('the grant is form-encoded, escaping what a secret may contain', () => {
    const body = refreshGrantBody({ clientId: 'C1', clientSecret: 'a&b=c', refreshToken: 'r+/=' });
    const form = new URLSearchParams(body);
    assert.equal(form.get('grant_type'), 'refresh_token');
    assert.equal(form.get('client_secret'), 'a&b=c');
    assert.equal(form.get('refresh_token'), 'r+/=');
    assert.equal(form.get('client_id'), 'C1');
  });
});
