import { strict as assert } from 'node:assert';
import { serialize } from 'node:v8';
import { WaitingCodec } from '../../../../server/src/sync/engine/waitingRecord';
import type { WaitingUser } from '../../../../server/src/sync/plan/types';

const ref = (line: number) => ({ file: 'a.dirsync', line, column: 5, path: `attributes.x${line}` });

describe('a waiting user as bytes', () => {
  it('comes back equal: every field, values of each type, text with any character, binary values byte for byte', () => {
    const codec = new WaitingCodec();
    const shared = ref(3);
    const users: WaitingUser[] = [
      {
        mapped: {
          objectType: 'user',
          dn: 'CN=Muñoz\\, Álvaro,OU=Ünits,DC=corp,DC=example,DC=com',
          externalId: 'e623b508-53f8-4e51-9914-dde848100288',
          objectSid: 'S-1-5-21-1-2-3-1104',
          userName: 'alvaro@corp.example.com',
          displayName: 'Álvaro "Al" Muñoz \u{1F600}',
          active: false,
          values: [
            { attribute: 'title', scimPath: 'title', value: 'a\u0000b\nc\ud800 lone', configRef: shared },
            { attribute: 'manager', scimPath: 'manager', value: 'CN=Boss,DC=corp,DC=example,DC=com', resolvesDn: true, configRef: ref(4) },
            { attribute: 'active', scimPath: 'active', value: true },
            { attribute: 'mobile', scimPath: 'phoneNumbers[type eq "mobile"].value', value: null, configRef: shared },
          ],
          errors: ['e1'],
          warnings: ['w1', 'w2'],
          identityOnly: true,
        },
        entry: {
          dn: 'CN=Muñoz\\, Álvaro,OU=Ünits,DC=corp,DC=example,DC=com',
          attributes: {
            thumbnailphoto: [new Uint8Array([255, 216, 0, 1]), new Uint8Array(0)],
            objectsid: [new Uint8Array(new Uint8Array([9, 1, 2, 3, 9]).buffer, 1, 3)],
            memberof: ['CN=G1,DC=corp', 'CN=G2,DC=corp'],
          },
        },
      },
      {
        mapped: {
          objectType: 'group',
          dn: 'CN=G1,DC=corp',
          externalId: '',
          userName: 'G1',
          active: true,
          values: [],
          members: ['CN=A', 'CN=B'],
          errors: [],
          warnings: [],
        },
      },
      {
        mapped: { objectType: 'contact', dn: 'CN=C', externalId: 'x', userName: 'c@x', active: true, values: [], errors: [], warnings: [] },
        entry: { dn: 'CN=C', attributes: {} },
      },
    ];
    const records = users.map((u) => codec.encode(u));
    // Decoded from a reused buffer: binary values must not be views of it.
    const scratch = Buffer.alloc(Math.max(...records.map((r) => r.length)) + 8);
    for (const [i, record] of records.entries()) {
      record.copy(scratch, 8);
      const back = codec.decode(scratch.subarray(8, 8 + record.length));
      scratch.fill(0x55);
      const bytesOf = (u: WaitingUser) =>
        Object.fromEntries(
          Object.entries(u.entry?.attributes ?? {}).map(([k, vs]) => [k, vs.map((v) => (typeof v === 'string' ? v : [...v]))]),
        );
      assert.deepEqual(back.mapped, users[i]!.mapped, `user ${i}`);
      assert.equal(
        JSON.stringify(back.mapped.values),
        JSON.stringify(users[i]!.mapped.values),
        `user ${i}: each value's fields in their order`,
      );
      assert.equal(back.entry?.dn, users[i]!.entry?.dn);
      assert.deepEqual(bytesOf(back), bytesOf(users[i]!), `user ${i}: entry values`);
      for (const vs of Object.values(back.entry?.attributes ?? {}))
        for (const v of vs) if (typeof v !== 'string') assert.ok(v instanceof Uint8Array);
      assert.equal('entry' in back, 'entry' in users[i]!);
    }
    const first = codec.decode(records[0]!);
    assert.equal(first.mapped.values[0]!.configRef, shared, 'a config reference comes back as the object the config has');
    assert.ok(records[0]!.length < serialize(users[0]).length, 'smaller than V8 serialization');
  });

  it('numbers config references by what they say when each value has its own copy', () => {
    const codec = new WaitingCodec();
    const user = (i: number): WaitingUser => ({
      mapped: {
        objectType: 'user',
        dn: `CN=U${i}`,
        externalId: `${i}`,
        userName: `u${i}@x`,
        active: true,
        values: [{ attribute: 'title', scimPath: 'title', value: `T${i}`, configRef: ref(7) }],
        errors: [],
        warnings: [],
      },
    });
    const sizes = new Set<number>();
    for (let i = 1000; i < 1100; i++) {
      const record = codec.encode(user(i));
      sizes.add(record.length);
      assert.deepEqual(codec.decode(record).mapped, user(i).mapped);
    }
    assert.equal(sizes.size, 1, 'one number for one reference, whatever its object');
  });

  it('tells apart values that share a config reference but not their other fields', () => {
    const codec = new WaitingCodec();
    const shared = ref(9);
    const user: WaitingUser = {
      mapped: {
        objectType: 'user',
        dn: 'CN=U',
        externalId: 'x',
        userName: 'u@x',
        active: true,
        values: [
          { attribute: 'a', scimPath: 'title', value: 'one', configRef: shared },
          { attribute: 'b', scimPath: 'title', value: 'two', configRef: shared },
          { attribute: 'a', scimPath: 'title', value: 'three', resolvesDn: true, configRef: shared },
          { attribute: 'a', scimPath: 'title', value: null },
          { scimPath: 'title', attribute: 'a', value: 'order' },
        ],
        errors: [],
        warnings: [],
      },
    };
    for (let round = 0; round < 2; round++) {
      const back = codec.decode(codec.encode(user));
      assert.deepEqual(back.mapped, user.mapped);
      assert.equal(JSON.stringify(back.mapped), JSON.stringify(user.mapped));
    }
  });
});
