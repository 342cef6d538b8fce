import { strict as assert } from 'node:assert';
import { formatGuid, parseGuid, formatSid, isUacDisabled, toHex, valueToText } from '../../../server/src/domain/adValues';

describe('AD value formats', () => {
  it('formats objectGUID in Microsoft byte order and parses it back', () => {
    // Bytes as stored on the wire for {4d0f0e83-2c49-e841-9e96-0370daaa877b}'s hex dump in seed 000.
    const bytes = Uint8Array.from(Buffer.from('4d0f0e832c49e8419e960370daaa877b', 'hex'));
    assert.equal(formatGuid(bytes), '830e0f4d-492c-41e8-9e96-0370daaa877b');
    assert.deepEqual(parseGuid('{830e0f4d-492c-41e8-9e96-0370daaa877b}'), bytes);
    assert.equal(toHex(bytes), '4d0f0e832c49e8419e960370daaa877b');
    // Every byte value in every place: the first three groups byte-swapped, the last two as stored.
    for (let v = 0; v < 256; v++) {
      const g = Uint8Array.from({ length: 16 }, (_, i) => (v + i * 17) & 255);
      const hex = [...g].map((b) => b.toString(16).padStart(2, '0'));
      const want = `${hex.slice(0, 4).reverse().join('')}-${hex[5]}${hex[4]}-${hex[7]}${hex[6]}-${hex[8]}${hex[9]}-${hex.slice(10).join('')}`;
      assert.equal(formatGuid(g), want);
      assert.deepEqual(parseGuid(want), g);
    }
  });
  it('formats objectSid as S-1-5-21-…', () => {
    // The SID from seed 000's event log entry.
    const sid = Uint8Array.from(Buffer.from('01050000000000051500000050adcf899923227e7ffaa5b631050000', 'hex'));
    assert.equal(formatSid(sid), 'S-1-5-21-2312088912-2116166553-3064330879-1329');
    assert.throws(() => formatSid(sid.subarray(0, 20)), /does not match/);
    // Sub-authorities with the top bit set stay unsigned; a view into a larger buffer is read at its offset.
    const edges = Buffer.from('ff010500000000000515000000ffffffff0102030405060708800000807f', 'hex');
    assert.equal(formatSid(edges.subarray(1, 29)), 'S-1-5-21-4294967295-67305985-134678021-2147483776');
    assert.equal(formatSid(Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 5])), 'S-1-5');
  });
  it('reads the ACCOUNTDISABLE bit of userAccountControl', () => {
    assert.equal(isUacDisabled('514'), true);
    assert.equal(isUacDisabled('512'), false);
    assert.equal(isUacDisabled(66050), true);
    assert.equal(isUacDisabled('not a number'), false);
  });
  it('gives binary values a text form', () => {
    assert.equal(valueToText('thumbnailPhoto', new Uint8Array([0xff, 0xd8, 0xff])), '/9j/');
    assert.equal(valueToText('displayName', new TextEncoder().encode('Zoë')), 'Zoë');
  });
});
