/** The SCIM client's events in the sync's event log say what happened, not their own name again. */
import { strict as assert } from 'node:assert';
import { cloudEventMessage } from '../../../../server/src/sync/engine/cloudClient';

describe('cloud events in the event log', () => {
  const CASES = [
    {
      e: { level: 'debug' as const, event: 'scim.request', operation: 'list users', method: 'GET', path: '/Users', status: 200, ms: 12.5 },
      want: 'list users: GET /Users → HTTP 200 in 12.5 ms',
    },
    {
      e: {
        level: 'warn' as const,
        event: 'scim.retry',
        operation: 'create user',
        method: 'POST',
        path: '/Users',
        reason: 'HTTP 503',
        delayMs: 400,
        attempt: 1,
      },
      want: 'create user: POST /Users: HTTP 503; attempt 2 in 400 ms',
    },
    {
      e: { level: 'error' as const, event: 'scim.error', message: 'create user "a@x": HTTP 409 uniqueness' },
      want: 'create user "a@x": HTTP 409 uniqueness',
    },
  ];
  for (const c of CASES) {
    it(`${c.e.event}: ${c.want}`, () => {
      const m = cloudEventMessage(c.e);
      assert.equal(m, c.want);
      assert.notEqual(m, c.e.event);
    });
  }
});
