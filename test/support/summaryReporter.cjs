'use strict';
// Mocha's spec output plus the one line CI reads: `N passed, N failed, N skipped`.
// It is printed after mocha's own epilogue so that it is always the last line of the run.
const Mocha = require('mocha');
const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    runner.on(EVENT_TEST_PASS, () => {
      passed++;
    });
    // A failing hook counts as a failure too: it means tests did not run.
    runner.on(EVENT_TEST_FAIL, () => {
      failed++;
    });
    runner.on(EVENT_TEST_PENDING, () => {
      skipped++;
    });
    runner.once(EVENT_RUN_END, () => {
      // Spec registered its epilogue on this event first (in super()), so this line comes last.
      process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
    });
  }
}

module.exports = SummaryReporter;
