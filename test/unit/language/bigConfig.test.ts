/** The benchmarks' big config is clean: the benches measure a config without a diagnostic, as their docs say. */
import { strict as assert } from 'node:assert';
import { analyze } from '../../../server/src/language/analysis';
import { bigConfig } from '../../bench/support/bigConfig';

describe("the benchmarks' big config", () => {
  for (const lines of [60, 700, 5000]) {
    it(`${lines} lines: no diagnostic, and as many lines as asked for`, () => {
      const text = bigConfig(lines);
      assert.deepEqual(
        analyze(text).diagnostics.map((d) => `${d.code}: ${d.message}`),
        [],
      );
      assert.equal(text.split('\n').length, lines);
    });
  }
});
