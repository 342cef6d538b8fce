import assert from 'node:assert/strict';
import { CloudIndex, viewCloudUser, type CloudUserView } from '../../../../server/src/sync/plan/match';
import { cloudUser } from '../../../support/planBuilders';

describe('sync matching', () => {
  const index = new CloudIndex<CloudUserView>((u) => u.userName);
  index.add(viewCloudUser(cloudUser('1', 'Ada@corp.example.com', { externalId: 'AAA' }), []));
  index.add(viewCloudUser(cloudUser('2', 'bob@corp.example.com'), []));
  index.add(
    viewCloudUser(
      cloudUser('3', 'gone@corp.example.com', {
        'urn:scim:schemas:extension:cisco:webexidentity:2.0:User': { accountStatus: ['deleted'] },
      }),
      [],
    ),
  );

  const table: Array<[string, string, string, string, string | undefined, boolean]> = [
    ['externalId first, case-insensitive GUID', 'aaa', 'someone@else.com', 'externalId', '1', false],
    ['then userName, case-insensitively', '', 'BOB@corp.example.com', 'userName', '2', true],
    ['exact userName', '', 'bob@corp.example.com', 'userName', '2', false],
    ['no match', 'zzz', 'nobody@corp.example.com', 'none', undefined, false],
  ];
  for (const [what, ext, name, by, id, caseOnly] of table) {
    it(what, () => {
      const r = index.match(ext, name);
      assert.equal(r.by, by);
      if (r.by !== 'none') {
        assert.equal(r.cloud.id, id);
        assert.equal(r.caseOnly, caseOnly);
      }
    });
  }

  it('reads soft-deleted state, admin roles and mapped values', () => {
    const v = viewCloudUser(
      cloudUser('9', 'x@corp.example.com', {
        roles: [{ value: 'id_full_admin', type: 'cirole' }],
        title: 'CTO',
        'urn:scim:schemas:extension:cisco:webexidentity:2.0:User': { accountStatus: ['deleted'] },
      }),
      ['title', 'displayName'],
    );
    assert.equal(v.softDeleted, true);
    assert.equal(v.fullAdmin, true);
    assert.equal(v.admin, true);
    assert.deepEqual(v.values, { title: 'CTO' });
  });
});
