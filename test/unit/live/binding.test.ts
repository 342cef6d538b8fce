/** A document's directory binding, with a scripted opener: reconnection, retries, overrides, secrets. */
import { strict as assert } from 'node:assert';
import { DirectoryError, type DirectorySource } from '../../../server/src/directory/index';
import { analyze } from '../../../server/src/language/analysis';
import type { DirectoryConfig, SecretRef } from '../../../common/config';
import { DirectoryBinding } from '../../../server/src/live/binding';

const dir = (json: object): DirectoryConfig => analyze(JSON.stringify({ directory: json })).config.directory;
const LDAP = dir({
  url: 'ldap://dc1.example.com',
  bindDn: 'CN=svc,DC=example,DC=com',
  password: '${secret:bind}',
  baseDns: ['DC=example,DC=com'],
});

function fakeSource(name: string): DirectorySource & { closed: boolean } {
  return {
    kind: 'ldap',
    location: name,
    closed: false,
    search: () => {
      throw new Error('unused');
    },
    count: async () => 0,
    rootDse: async () => ({ namingContexts: [], supportedControls: [], supportedLdapVersions: [], source: name }),
    schemaAttributeNames: async () => [],
    groupMembers: async function* () {},
    async close() {
      this.closed = true;
    },
  };
}

function setUp(script: Array<DirectoryError | 'ok'>, opts: { now?: () => number; overrides?: object } = {}) {
  const opened: Array<{ config: DirectoryConfig; password?: string }> = [];
  const sources: Array<ReturnType<typeof fakeSource>> = [];
  const states: string[] = [];
  const secrets: SecretRef[] = [];
  const binding = new DirectoryBinding({
    uri: 'file:///x.dirsync',
    configDir: '/',
    overrides: opts.overrides ?? {},
    resolveSecret: async (ref) => (
      secrets.push(ref), ref.kind === 'secret' && (ref.key === 'bind' || ref.key === 'typed') ? 'pw' : undefined
    ),
    ...(opts.now ? { now: opts.now } : {}),
    retryMs: 30_000,
    onChange: () => states.push(binding.state),
    open: async (config, o) => {
      const password = config.password ? await o.resolveSecret(config.password.value) : undefined;
      opened.push({ config, ...(password ? { password } : {}) });
      const next = script.shift() ?? 'ok';
      if (next !== 'ok') throw next;
      const s = fakeSource(`#${sources.length}`);
      sources.push(s);
      return s;
    },
  });
  return { binding, opened, sources, states, secrets };
}

const lost = () => new DirectoryError('connectionLost', 'The connection to ldap://dc1.example.com was lost', 'ldap://dc1.example.com');

describe('live/binding', () => {
  it('connects once and reuses the source; the password comes through the resolver', async () => {
    const { binding, opened, states } = setUp(['ok']);
    const a = await binding.source(LDAP);
    assert.equal(await binding.source(LDAP), a);
    assert.equal(opened.length, 1);
    assert.equal(opened[0]!.password, 'pw');
    assert.deepEqual(states, ['bound'], 'a new binding starts as connecting');
  });

  it('a dropped connection is re-established once and the operation run again', async () => {
    const { binding, sources } = setUp(['ok', 'ok']);
    let calls = 0;
    const r = await binding.run(LDAP, async (s) => {
      calls++;
      if (s === sources[0]) throw lost();
      return 'answer';
    });
    assert.equal(r, 'answer');
    assert.equal(calls, 2);
    assert.equal(sources[0]!.closed, true);
    assert.equal(binding.state, 'bound');
  });

  it('a directory gone for good is `down`, retried only after the pause', async () => {
    let now = 0;
    const unreachable = new DirectoryError(
      'unreachable',
      'Nothing accepts connections at ldap://dc1.example.com',
      'ldap://dc1.example.com',
    );
    const { binding, opened } = setUp(['ok', unreachable, unreachable, 'ok'], { now: () => now });
    await binding.source(LDAP);
    await assert.rejects(
      binding.run(LDAP, async () => {
        throw lost();
      }),
      { code: 'unreachable' },
    );
    assert.equal(binding.state, 'down');
    assert.match(binding.reason!, /Nothing accepts connections/);
    await assert.rejects(binding.source(LDAP), { code: 'unreachable' });
    assert.equal(opened.length, 2, 'no new attempt within the pause');
    now = 30_001;
    await assert.rejects(binding.source(LDAP), { code: 'unreachable' });
    assert.equal(opened.length, 3);
    now = 60_002;
    await binding.source(LDAP);
    assert.equal(binding.state, 'bound');
  });

  it('a refused bind is never retried on its own; a settings change or force does', async () => {
    let now = 0;
    const refused = new DirectoryError(
      'invalidCredentials',
      'Bind to ldap://dc1.example.com as CN=svc,DC=example,DC=com was refused',
      'ldap://dc1.example.com',
    );
    const { binding, opened } = setUp([refused, 'ok', 'ok'], { now: () => now });
    await assert.rejects(binding.source(LDAP), { code: 'invalidCredentials' });
    assert.equal(binding.state, 'failed');
    now = 10 * 60_000;
    await assert.rejects(binding.source(LDAP), { code: 'invalidCredentials' });
    assert.equal(opened.length, 1, 'an account lockout waiting to happen');
    await binding.source(dir({ url: 'ldap://dc2.example.com', bindDn: 'CN=svc,DC=example,DC=com', password: '${secret:bind}' }));
    assert.equal(opened.length, 2);
    await binding.source(LDAP, { force: true });
    assert.equal(opened.length, 3);
  });

  it('fills what the config does not say from the bind command; no password at all is a clear error', async () => {
    const { binding, opened, secrets } = setUp(['ok'], {
      overrides: { url: 'ldaps://dc9.example.com', bindDn: 'CN=me,DC=example,DC=com', passwordKey: 'typed' },
    });
    await binding.source(dir({ baseDns: ['DC=example,DC=com'] }));
    assert.equal(opened[0]!.config.url.value, 'ldaps://dc9.example.com');
    assert.equal(opened[0]!.config.bindDn!.value, 'CN=me,DC=example,DC=com');
    assert.equal(opened[0]!.password, 'pw');
    assert.deepEqual(
      secrets.map((s) => s.text),
      ['${secret:typed}'],
    );
    const bare = setUp(['ok']);
    await assert.rejects(
      bare.binding.source(dir({ url: 'ldap://dc1.example.com', bindDn: 'CN=svc,DC=example,DC=com' })),
      (e: DirectoryError) => e.code === 'config' && /Bind Directory/.test(e.message),
    );
    assert.equal(bare.opened.length, 0);
  });

  it('an unset ${env:…} password falls back to the key the bind command stored', async () => {
    const { binding, opened, secrets } = setUp(['ok'], { overrides: { passwordKey: 'typed' } });
    await binding.source(dir({ url: 'ldap://dc1.example.com', bindDn: 'CN=svc,DC=example,DC=com', password: '${env:UNSET_PW}' }));
    assert.deepEqual(
      secrets.map((s) => s.text),
      ['${env:UNSET_PW}', '${secret:typed}'],
    );
    assert.equal(opened[0]!.password, 'pw');
  });
});
