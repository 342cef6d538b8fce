/** The refusal over the deletion threshold reads as one sentence: the reason once, then the objects. */
import { strict as assert } from 'node:assert';
import { checkThreshold } from '../../../../server/src/sync/apply/checks';
import { ApplyRefusedError } from '../../../../server/src/sync/apply/errors';
import { computeThreshold } from '../../../../server/src/sync/plan/threshold';
import { makePlan } from '../../../support/syncApply';

describe('checkThreshold', () => {
  it("says the plan's refusal once, without a doubled full stop", () => {
    const threshold = computeThreshold({ policy: { count: 1 } as never, deletions: 2, owned: 10, fullAdmins: 0, fullAdminsDeleted: 0 });
    const plan = makePlan([], threshold);
    (plan.report.items as unknown[]).push({ action: 'delete', dn: 'CN=Gone,DC=corp,DC=example,DC=com' });
    assert.throws(
      () => checkThreshold(plan),
      (err: unknown) => {
        assert.ok(err instanceof ApplyRefusedError);
        assert.equal(
          err.message,
          'The plan deletes 2 of 10 owned cloud objects (20 %), more than policy.deleteThreshold.count (1): a sync of this plan is refused and writes nothing. Objects to delete: CN=Gone,DC=corp,DC=example,DC=com',
        );
        return true;
      },
    );
  });
});
