import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpoolFile } from '../../../../server/src/sync/engine/spoolFile';

describe('sync engine: a spool file', () => {
  it('keeps text and bytes in the order appended, across its megabyte blocks, and says how many bytes each was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dirsync-spool-'));
    const spool = new SpoolFile(join(dir, '.items-1-1.jsonl'));
    const expected: Buffer[] = [];
    const add = (chunk: string | Uint8Array) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
      assert.equal(spool.append(chunk), bytes.length);
      expected.push(bytes);
    };
    // Text of 1-, 2-, 3- and 4-byte characters, a lone surrogate (3 bytes, as Buffer.from writes it),
    // chunks that end a block exactly or do not fit what is left of it, and chunks larger than a block.
    for (let i = 0; i < 3000; i++) add(`{"n":${i},"name":"Zoë 東京 😀 ${'x'.repeat(i % 700)}"},\n`);
    add('\ud800 alone');
    add(Buffer.alloc(1 << 20, 7));
    add('é'.repeat(400_000));
    add(new Uint8Array([1, 2, 3]));
    add(Buffer.alloc(3 << 20, 9));
    add('end\n');
    assert.ok(spool.flushedBytes < Buffer.concat(expected).length, 'the last block is not written before a flush');
    spool.flush();
    assert.equal(spool.flushedBytes, Buffer.concat(expected).length);
    assert.ok(readFileSync(spool.file).equals(Buffer.concat(expected)));
    spool.close();
    assert.equal(existsSync(spool.file), false);
    assert.throws(() => spool.append('x'), /is closed/);
  });
});
