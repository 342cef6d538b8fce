/** The kept refresh token's file: named and stamped for the configured token it replaced, 0600, atomic, out of Git. */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  keptRefreshToken,
  RefreshTokenFiles,
  refreshTokenAppDigest,
  refreshTokenDigest,
  refreshTokenFile,
  writeSecretFile,
} from '../../../../server/src/sync/engine/refreshTokenFile';

const KEY = { tokenUrl: 'https://webexapis.com/v1/access_token', clientId: 'C-app', refreshToken: 'configured-1' };
const NOW = Date.UTC(2026, 11, 5, 12, 0, 0);

describe('refresh token file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dirsync-rtfile-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a new refresh token in the config, another client or token endpoint: another digest and file', () => {
    const d = refreshTokenDigest(KEY);
    assert.match(d, /^[0-9a-f]{64}$/);
    for (const other of [{ refreshToken: 'configured-2' }, { clientId: 'C-other' }, { tokenUrl: 'https://idp.example.com/token' }])
      assert.notEqual(refreshTokenDigest({ ...KEY, ...other }), d, JSON.stringify(other));
    assert.equal(refreshTokenFile('/s', KEY), join('/s', 'state', `refresh-token-${d.slice(0, 16)}.json`));
    assert.ok(!refreshTokenFile('/s', KEY).includes(KEY.refreshToken));
  });

  it('the kept token is used only while the config names the one it replaced, and until it expires', () => {
    const d = refreshTokenDigest(KEY);
    const text = (o: Record<string, unknown>) => JSON.stringify({ version: 1, replaces: d, refreshToken: 'kept-9', savedAt: 'x', ...o });
    assert.equal(keptRefreshToken(text({}), d, NOW), 'kept-9');
    assert.equal(keptRefreshToken(text({ expiresAt: new Date(NOW + 1000).toISOString() }), d, NOW), 'kept-9');
    const table: Array<[string, string]> = [
      [text({ replaces: refreshTokenDigest({ ...KEY, refreshToken: 'configured-2' }) }), 'another configured token: the config wins'],
      [text({ expiresAt: new Date(NOW).toISOString() }), 'expired'],
      [text({ version: 2 }), 'another version'],
      [text({ refreshToken: '' }), 'empty'],
      [text({ refreshToken: 7 }), 'not a string'],
      ['{', 'not JSON'],
      ['null', 'null'],
    ];
    for (const [t, why] of table) assert.equal(keptRefreshToken(t, d, NOW), undefined, why);
  });

  it('saves with mode 0600 by rename, leaves no temp file, and puts a .gitignore in the state folder', async () => {
    const files = new RefreshTokenFiles(KEY, () => NOW);
    files.add(dir);
    assert.equal(await files.load(), undefined);
    await files.save('rotated-1', NOW + 90 * 86_400_000);
    const [file] = files.files();
    assert.equal(statSync(file!).mode & 0o777, 0o600);
    assert.equal(await files.load(), 'rotated-1');
    const kept = JSON.parse(readFileSync(file!, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(kept).sort(), ['app', 'expiresAt', 'refreshToken', 'replaces', 'savedAt', 'version']);
    assert.equal(kept['replaces'], refreshTokenDigest(KEY));
    assert.equal(kept['app'], refreshTokenAppDigest(KEY));
    assert.ok(!readFileSync(file!, 'utf8').includes(KEY.refreshToken), 'the configured token is not written, only its digest');
    await files.save('rotated-2', undefined);
    assert.equal(await files.load(), 'rotated-2');
    assert.equal(statSync(file!).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(dir, 'state')).sort(), ['.gitignore', file!.split('/').pop()!]);
    assert.match(readFileSync(join(dir, 'state', '.gitignore'), 'utf8'), /^\*$/m);
  });

  it('keeps a .gitignore the user already has', async () => {
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state', '.gitignore'), 'mine\n');
    const files = new RefreshTokenFiles(KEY, () => NOW);
    files.add(dir);
    await files.save('rotated-1', undefined);
    assert.equal(readFileSync(join(dir, 'state', '.gitignore'), 'utf8'), 'mine\n');
  });

  it('several state folders (configs sharing the Service App in one process): saved to all, the newest loaded', async () => {
    const other = join(dir, 'other');
    let t = NOW;
    const files = new RefreshTokenFiles(KEY, () => t);
    files.add(join(dir, 'one'));
    await files.save('rotated-1', undefined);
    files.add(other);
    t += 1000;
    await files.save('rotated-2', undefined);
    assert.equal(await files.load(), 'rotated-2');
    const only = new RefreshTokenFiles(KEY, () => t);
    only.add(other);
    assert.equal(await only.load(), 'rotated-2');
  });

  it('a save that cannot write names the file and its error code, never the token', async () => {
    writeFileSync(join(dir, 'state'), 'a file where the folder should be');
    const files = new RefreshTokenFiles(KEY, () => NOW);
    files.add(dir);
    await assert.rejects(files.save('rotated-secret-1', undefined), (e: Error) => {
      assert.match(e.message, /^Could not keep the new refresh token in .*refresh-token-[0-9a-f]{16}\.json \((EEXIST|ENOTDIR)\)$/);
      assert.ok(!e.message.includes('rotated-secret-1'));
      return true;
    });
  });

  it('the app digest: one per token endpoint and client, whatever the configured refresh token', () => {
    const newToken: typeof KEY = { ...KEY, refreshToken: 'configured-2' };
    assert.equal(refreshTokenAppDigest(KEY), refreshTokenAppDigest(newToken));
    assert.notEqual(refreshTokenAppDigest(KEY), refreshTokenAppDigest({ ...KEY, clientId: 'C-other' }));
    assert.notEqual(refreshTokenAppDigest(KEY), refreshTokenAppDigest({ ...KEY, tokenUrl: 'https://idbroker.example/token' }));
    assert.notEqual(refreshTokenAppDigest(KEY), refreshTokenDigest(KEY));
  });

  it("forgetReplaced removes the same app's tokens kept for another configured token; other apps', unknown and own files stay", async () => {
    const save = async (key: typeof KEY, token: string) => {
      const f = new RefreshTokenFiles(key, () => NOW);
      f.add(dir);
      await f.save(token, undefined);
      return f.files()[0]!;
    };
    const replaced = await save({ ...KEY, refreshToken: 'configured-0' }, 'old-chain');
    const otherApp = await save({ ...KEY, clientId: 'C-other', refreshToken: 'configured-0' }, 'other-app');
    // A file as the version before `app` wrote it, for a token no longer configured: nothing says whose it is.
    const unknown = refreshTokenFile(dir, { ...KEY, refreshToken: 'configured-00' });
    const { app: _a, ...older } = JSON.parse(readFileSync(replaced, 'utf8')) as Record<string, unknown>;
    writeFileSync(unknown, JSON.stringify({ ...older, replaces: refreshTokenDigest({ ...KEY, refreshToken: 'configured-00' }) }));
    writeFileSync(join(dir, 'state', 'refresh-token-notes.txt'), 'not a kept token');
    writeFileSync(join(dir, 'state', 'refresh-token-0123456789abcdef.json'), '{ not json');
    const files = new RefreshTokenFiles(KEY, () => NOW);
    files.add(dir);
    files.add(join(dir, 'never-written'));
    await files.save('new-chain', undefined);
    const own = files.files()[0]!;
    await files.forgetReplaced();
    const names = readdirSync(join(dir, 'state')).sort();
    const name = (f: string) => f.split('/').pop()!;
    assert.deepEqual(
      names,
      ['.gitignore', name(own), name(otherApp), name(unknown), 'refresh-token-0123456789abcdef.json', 'refresh-token-notes.txt'].sort(),
    );
    assert.ok(!names.includes(name(replaced)));
    assert.equal(await files.load(), 'new-chain');
    await files.forgetReplaced(); // done once per folder: nothing to do, nothing thrown
  });

  it('a file without `app` (written before it was added) is still loaded; the next save stamps it', async () => {
    const files = new RefreshTokenFiles(KEY, () => NOW);
    files.add(dir);
    await files.save('rotated-1', undefined);
    const [file] = files.files();
    const { app, ...older } = JSON.parse(readFileSync(file!, 'utf8')) as Record<string, unknown>;
    writeFileSync(file!, JSON.stringify(older), { mode: 0o600 });
    const again = new RefreshTokenFiles(KEY, () => NOW);
    again.add(dir);
    assert.equal(await again.load(), 'rotated-1');
    await again.save('rotated-2', undefined);
    const stamped = JSON.parse(readFileSync(file!, 'utf8')) as Record<string, unknown>;
    assert.equal(stamped['app'], app);
    assert.equal(stamped['refreshToken'], 'rotated-2');
  });

  it('writeSecretFile replaces a file atomically with a new one of mode 0600', async () => {
    const file = join(dir, 'secret.json');
    writeFileSync(file, 'old', { mode: 0o644 });
    await writeSecretFile(file, 'new');
    assert.equal(readFileSync(file, 'utf8'), 'new');
    assert.equal(statSync(file).mode & 0o777, 0o600, 'the replaced file had 0644; the new one is 0600');
  });
});
