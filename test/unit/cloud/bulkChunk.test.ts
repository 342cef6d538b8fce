import { strict as assert } from 'node:assert';
import { chunkBulkOperations, runBulk, type BulkOperation } from '../../../server/src/cloud/bulk';
import type { ScimTransport } from '../../../server/src/cloud/transport';

const user = (i: number): BulkOperation => ({
  method: 'POST',
  path: '/Users',
  bulkId: `u${i}`,
  data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `u${i}@example.com` },
});

describe('Bulk request splitting', () => {
  it('cuts at 100 operations (Webex maximum) and keeps order', () => {
    const chunks = chunkBulkOperations(
      Array.from({ length: 250 }, (_, i) => user(i)),
      { maxOperations: 100, maxPayloadBytes: 1 << 20 },
    );
    assert.deepEqual(
      chunks.map((c) => c.length),
      [100, 100, 50],
    );
    assert.deepEqual(
      chunks.flat(),
      Array.from({ length: 250 }, (_, i) => i),
    );
  });
  it('cuts by payload size too', () => {
    const big = (i: number): BulkOperation => ({ ...user(i), data: { userName: 'x', blob: 'y'.repeat(3000) } });
    const chunks = chunkBulkOperations(
      Array.from({ length: 10 }, (_, i) => big(i)),
      { maxOperations: 100, maxPayloadBytes: 10_000 },
    );
    assert.ok(chunks.length >= 4 && chunks.every((c) => c.length <= 3), JSON.stringify(chunks));
  });
  it('refuses references it cannot satisfy before sending anything', async () => {
    const transport = {
      send() {
        throw new Error('must not send');
      },
    } as unknown as ScimTransport;
    const limits = { maxOperations: 2, maxPayloadBytes: 1 << 20, maxRetries: 0 };
    const group = (ref: string): BulkOperation => ({
      method: 'POST',
      path: '/Groups',
      data: { displayName: 'g', members: [{ value: `bulkId:${ref}` }] },
    });
    await assert.rejects(runBulk(transport, [group('nope')], limits), /unknown bulkId "nope"/);
    // the group (op 0) would go in the first request, the user it refers to (op 2) in the second
    await assert.rejects(runBulk(transport, [group('u9'), user(1), { ...user(9) }], limits), /later request/);
    await assert.rejects(runBulk(transport, [user(1), user(1)], limits), /used by operations 0 and 1/);
  });
});
