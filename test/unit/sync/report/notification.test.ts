/** The notification mail as data: when it is sent, and what its subject says. */
import { strict as assert } from 'node:assert';
import { analyze } from '../../../../server/src/language/analysis';
import { notificationMessage, shouldNotify, type SyncOutcome } from '../../../../server/src/sync/report/notification';
import { makePlan } from '../../../support/syncApply';

const notification = (extra: object) =>
  analyze(
    JSON.stringify({
      notification: {
        enabled: true,
        recipients: ['ops@example.com'],
        smtp: { host: 'smtp.example.com', from: 'dirsync@example.com' },
        ...extra,
      },
    }),
  ).config.notification;

describe('sync/report/notification', () => {
  const report = makePlan([]).report;
  const ok: SyncOutcome = { kind: 'done', result: { sessionId: 's', applied: 3, resumed: 0, failed: 0, skipped: 0, failures: [], report } };
  const partial: SyncOutcome = {
    kind: 'done',
    result: {
      sessionId: 's',
      applied: 2,
      resumed: 0,
      failed: 1,
      skipped: 0,
      failures: [{ opId: 'o', label: 'CN=Ann,DC=x', message: 'HTTP 409' }],
      report,
    },
  };
  const refused: SyncOutcome = { kind: 'failed', error: 'over the deletion threshold', refused: true, report };

  it('is sent after every sync, or only after failures', () => {
    assert.deepEqual(
      [ok, partial, refused].map((o) => shouldNotify(notification({}), o)),
      [true, true, true],
    );
    assert.deepEqual(
      [ok, partial, refused].map((o) => shouldNotify(notification({ onlyOnFailure: true }), o)),
      [false, true, true],
    );
    assert.equal(shouldNotify(notification({ enabled: false }), refused), false);
    assert.equal(shouldNotify(notification({ smtp: undefined }), refused), false, 'no mail server: nothing to send through');
  });

  it('says how the sync ended in the subject, and each failure by object in the body', () => {
    const p = notificationMessage({ outcome: partial, name: 'corp', configFile: '/c/corp.dirsync' });
    assert.equal(p.subject, 'Dirsync: corp: full sync finished with 1 failure (0 added, 0 modified, 0 deleted, 0 deactivated)');
    assert.match(p.text, /^ {2}CN=Ann,DC=x: HTTP 409$/m);
    const r = notificationMessage({ outcome: refused, name: 'corp', configFile: '/c/corp.dirsync' });
    assert.equal(r.subject, 'Dirsync: corp: full sync refused, nothing written');
    assert.match(r.text, /over the deletion threshold/);
    assert.deepEqual(r.attachments, []);
  });
});
