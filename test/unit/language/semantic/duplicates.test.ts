/**
 * DuplicateFinder keeps each list's keys from one call to the next and updates them by the items
 * that changed: after any sequence of lists its answer is the one of a fresh walk (each item whose
 * key an earlier item has).
 */
import { strict as assert } from 'node:assert';
import { DuplicateFinder } from '../../../../server/src/language/semantic/duplicates';
import { mulberry32 as prng } from '../../../support/random';

function fresh(values: readonly string[], key: (v: string) => string): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  values.forEach((v, i) => {
    if (seen.has(key(v))) out.push(i);
    seen.add(key(v));
  });
  return out;
}

const lower = (v: string) => v.toLowerCase();

describe('DuplicateFinder (duplicate list items across keystrokes)', () => {
  it('reports the later items of a repeated key, by the key', () => {
    const f = new DuplicateFinder();
    assert.deepEqual(f.repeats('l', ['a', 'B', 'b', 'c', 'A'], lower), [2, 4]);
    assert.deepEqual(f.repeats('l', ['a', 'B', 'x', 'c', 'A'], lower), [4]);
    assert.deepEqual(f.repeats('l', ['a', 'B', 'x', 'c', 'y'], lower), []);
    assert.deepEqual(f.repeats('l', ['c', 'B', 'x', 'c', 'y'], lower), [3]);
    assert.deepEqual(f.repeats('other', ['q', 'q'], lower), [1]);
  });

  it('answers as a fresh walk after random changes of a few items or of the length', () => {
    const rnd = prng(42);
    const f = new DuplicateFinder();
    let values = Array.from({ length: 200 }, (_, i) => `user${i}@example.com`);
    for (let step = 0; step < 500; step++) {
      const r = rnd();
      values = [...values];
      if (r < 0.8) {
        const n = 1 + Math.floor(rnd() * (r < 0.05 ? 40 : 3));
        for (let k = 0; k < n; k++) values[Math.floor(rnd() * values.length)] = `USER${Math.floor(rnd() * 220)}@example.com`;
      } else if (r < 0.9) values.push(`user${Math.floor(rnd() * 220)}@example.com`);
      else values.splice(Math.floor(rnd() * values.length), 1);
      assert.deepEqual(f.repeats('list', values, lower), fresh(values, lower), `step ${step}`);
    }
  });

  it('reads the text of model items with textOf, item objects replaced or kept (the model keeps unchanged ones)', () => {
    const rnd = prng(7);
    const f = new DuplicateFinder();
    let items = Array.from({ length: 100 }, (_, i) => ({ value: `CN=User ${i},DC=x` }));
    for (let step = 0; step < 300; step++) {
      items = [...items];
      const n = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < n; k++) items[Math.floor(rnd() * items.length)] = { value: `cn=user ${Math.floor(rnd() * 110)},DC=x` };
      const values = items.map((i) => i.value);
      assert.deepEqual(
        f.repeats('items', items, lower, (i) => i.value),
        fresh(values, lower),
        `step ${step}`,
      );
    }
  });

  it("with the model's changes of the same list (walk by walk), reads only the changed items; any other change is found by a walk", () => {
    const rnd = prng(11);
    const f = new DuplicateFinder();
    const items = Array.from({ length: 100 }, (_, i) => ({ value: `user${i}@example.com` }));
    let walk = 0;
    f.repeats('l', items, lower, (i) => i.value, { walk });
    for (let step = 0; step < 300; step++) {
      const changed = new Set<number>();
      for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
        const i = Math.floor(rnd() * items.length);
        items[i] = { value: `USER${Math.floor(rnd() * 110)}@example.com` };
        changed.add(i);
      }
      // Now and then a walk is missed (the list was not checked): the next delta does not follow on.
      if (rnd() < 0.1) walk++;
      walk++;
      const got = f.repeats('l', items, lower, (i) => i.value, { walk, changed: [...changed] });
      assert.deepEqual(
        got,
        fresh(
          items.map((i) => i.value),
          lower,
        ),
        `step ${step}`,
      );
    }
    // A delta that says nothing changed when something did is believed only for the same list one walk on.
    const other = items.map((i) => ({ ...i }));
    other[0] = { value: other[1]!.value };
    assert.deepEqual(
      f.repeats('l', other, lower, (i) => i.value, { walk: walk + 1, changed: [] }),
      fresh(
        other.map((i) => i.value),
        lower,
      ),
    );
  });
});
