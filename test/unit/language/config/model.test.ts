import { strict as assert } from 'node:assert';
import { analyze } from '../../../../server/src/language/analysis';
import { DEFAULT_FILTERS, DEFAULT_INCREMENTAL_INTERVAL_SECONDS } from '../../../../server/src/language/config/defaults';
import { configLabel } from '../../../../server/src/language/config/model';
import { loadConfig } from '../../../../server/src/language/service';
import { analyzed, configText } from '../../../support/languageCases';

describe('language/config/model: the typed DirsyncConfig', () => {
  it('fills every default', () => {
    const c = analyze('{}').config;
    assert.equal(c.version, 1);
    assert.equal(c.directory.type, 'adds');
    assert.deepEqual(c.directory.tls, { startTls: false, verify: true });
    assert.equal(c.directory.pageSize, 1000);
    assert.equal(c.directory.connectTimeoutSeconds, 10);
    assert.equal(c.cloud.type, 'webex');
    assert.equal(c.cloud.url.value, 'https://webexapis.com/identity/scim/{orgId}/v2');
    assert.deepEqual([c.cloud.concurrency, c.cloud.pageSize, c.cloud.timeoutSeconds, c.cloud.maxRetries], [4, 1000, 30, 6]);
    assert.deepEqual(
      (['users', 'groups', 'contacts', 'rooms'] as const).map((k) => [
        c.objects[k].enabled,
        c.objects[k].filter.value,
        c.objects[k].defaultFilter,
      ]),
      [
        [true, DEFAULT_FILTERS.users, true],
        [false, DEFAULT_FILTERS.groups, true],
        [false, DEFAULT_FILTERS.contacts, true],
        [false, DEFAULT_FILTERS.rooms, true],
      ],
    );
    assert.deepEqual(c.objects.rooms.identifyBy, { attribute: 'msExchResourceMetaData', value: 'ResourceType:Room' });
    assert.deepEqual(c.attributes.map((m) => [m.cloud.value, m.expression.value, m.isDefault]).slice(0, 2), [
      ['uid', 'mail', true],
      ['displayName', 'displayName', true],
    ]);
    assert.equal(c.avatar.enabled, false);
    assert.equal(c.avatar.source, 'attribute');
    assert.equal(c.avatar.attribute?.value, 'thumbnailPhoto');
    assert.equal(c.avatar.maxBytes, 10 * 1024 * 1024 - 1);
    assert.equal(c.policy.deleteThreshold, undefined, 'no silent default');
    assert.equal(c.policy.mismatched, 'retain');
    assert.equal(c.policy.protected.admins, true);
    assert.equal(c.schedule.incrementalIntervalSeconds, DEFAULT_INCREMENTAL_INTERVAL_SECONDS);
    assert.equal(c.schedule.fullIntervalSeconds, undefined);
    assert.deepEqual([c.notification.enabled, c.notification.onlyOnFailure], [false, false]);
  });

  it("reads the file's values with their ranges", () => {
    const text = configText({
      directory: { url: 'ldap://dc2.example.com:3268', tls: { startTls: true, caFile: './ca.pem' }, pageSize: 250 },
      cloud: { orgId: 'abc/def' },
      objects: { users: { filter: '(cn=a\\2a*)', baseDns: ['OU=Staff,DC=example,DC=com'] } },
      policy: { deleteThreshold: { count: 5, percent: 2.5 }, mismatched: 'delete', ownedDomains: ['example.com'] },
      schedule: { incrementalInterval: '30m', fullInterval: '7d' },
    });
    const c = analyze(text).config;
    assert.deepEqual(c.directory.source, { kind: 'ldap', secure: false, host: 'dc2.example.com', port: 3268 });
    assert.equal(c.directory.tls.startTls, true);
    assert.equal(c.directory.tls.caFile?.value, './ca.pem');
    assert.equal(c.directory.pageSize, 250);
    assert.equal(c.directory.password?.value.kind, 'env');
    assert.equal(c.cloud.url.value, 'https://webexapis.com/identity/scim/abc%2Fdef/v2', '{orgId} substituted, URL-encoded');
    assert.equal(c.cloud.token?.value.text, '${env:T}');
    assert.equal(c.objects.users.filter.value, '(cn=a\\2a*)', 'JSON escapes removed');
    assert.equal(text.slice(c.objects.users.filter.range.start, c.objects.users.filter.range.end), '"(cn=a\\\\2a*)"');
    assert.deepEqual(
      c.objects.users.baseDns.map((d) => d.value),
      ['OU=Staff,DC=example,DC=com'],
    );
    assert.deepEqual(
      c.objects.groups.baseDns.map((d) => d.value),
      ['DC=example,DC=com'],
      'falls back to directory.baseDns',
    );
    assert.deepEqual({ ...c.policy.deleteThreshold, range: undefined }, { count: 5, percent: 2.5, disabled: false, range: undefined });
    assert.equal(c.policy.mismatched, 'delete');
    assert.equal(c.schedule.incrementalIntervalSeconds, 1800);
    assert.equal(c.schedule.fullIntervalSeconds, 604800);
    assert.equal(c.attributes.find((m) => m.cloud.value === 'uid')?.isDefault, undefined);
  });

  it('reads credentials, publish, proxy and the disabled threshold', () => {
    const c = analyzed({
      cloud: { proxy: { url: 'http://proxy.example.com:3128', username: 'p', password: '${env:PP}' } },
      avatar: {
        enabled: true,
        source: 'resourceServer',
        uriPattern: 'https://x/{mail}',
        credentials: { type: 'basic', username: 'u', password: '${secret:k}' },
        publish: { url: 'https://pub.example.com/' },
      },
      policy: { deleteThreshold: 'disabled' },
    }).config;
    assert.equal(c.cloud.proxy?.url.value, 'http://proxy.example.com:3128');
    assert.equal(c.cloud.proxy?.password?.value.kind, 'env');
    assert.equal(c.avatar.credentials?.type, 'basic');
    assert.equal(c.avatar.attribute, undefined);
    assert.equal(c.avatar.publish?.url.value, 'https://pub.example.com/');
    assert.equal(c.policy.deleteThreshold?.disabled, true);
  });

  it('loadConfig: ok only without errors; the model either way', () => {
    assert.equal(loadConfig(configText()).ok, true);
    const bad = loadConfig(configText({ policy: undefined }));
    assert.equal(bad.ok, false);
    assert.equal(bad.config.directory.url.value, 'ldaps://dc1.example.com');
  });

  it("labels a config by name, else the base DN's domain", () => {
    assert.equal(configLabel(analyzed({ name: 'HQ' }).config), 'HQ');
    assert.equal(configLabel(analyzed().config), 'example.com');
  });

  it('wrong types fall back to defaults instead of throwing', () => {
    const c = analyze('{"directory": {"pageSize": "x", "tls": 3}, "cloud": [], "objects": {"users": {"enabled": "yes"}}}').config;
    assert.equal(c.directory.pageSize, 1000);
    assert.equal(c.directory.tls.verify, true);
    assert.equal(c.objects.users.enabled, true);
  });
});
