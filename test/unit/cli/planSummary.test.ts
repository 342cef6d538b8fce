/** `dirsync plan`'s text summary says each thing once. */
import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../server/src/cli/command';
import { printSummary } from '../../../server/src/cli/commands/plan';
import { computeThreshold } from '../../../server/src/sync/plan/threshold';
import { makePlan } from '../../support/syncApply';

function capture(): { io: CliIo; text: () => string } {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (b: Buffer) => (out += b.toString()));
  const io: CliIo = { stdout, stderr: new PassThrough(), env: {}, cwd: '/', signal: new AbortController().signal };
  return { io, text: () => out };
}

describe('dirsync plan summary', () => {
  it('prints the refusal over the deletion threshold once', () => {
    const threshold = computeThreshold({ policy: { count: 1 } as never, deletions: 3, owned: 10, fullAdmins: 0, fullAdminsDeleted: 0 });
    const plan = makePlan([], threshold);
    // The planner also lists the refusal among the report's messages.
    (plan.report.messages as unknown[]).push({ severity: 'error', message: threshold.refusal! });
    const { io, text } = capture();
    printSummary(io, plan.report, 10, 3);
    const times = text().split(threshold.refusal!).length - 1;
    assert.equal(times, 1, text());
  });
});
