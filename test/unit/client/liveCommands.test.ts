/** Every command the live-preview client registers is contributed, and shown in the palette only where it works. */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    commands: Array<{ command: string; title: string; category: string }>;
    menus: { commandPalette: Array<{ command: string; when: string }> };
  };
};

function registered(): string[] {
  const files = [
    join(ROOT, 'client/src/live/index.ts'),
    ...readdirSync(join(ROOT, 'client/src/commands')).map((f) => join(ROOT, 'client/src/commands', f)),
  ];
  return files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]!));
}

describe('client: live preview commands', () => {
  it('registers the commands the issue names, each contributed under "Dirsync"', () => {
    const ids = registered();
    for (const id of [
      'dirsync.bindDirectory',
      'dirsync.unbindDirectory',
      'dirsync.pickPreviewEntry',
      'dirsync.testAvatarUrl',
      'dirsync.showSelectionSample',
    ])
      assert.ok(ids.includes(id), id);
    const byId = new Map(pkg.contributes.commands.map((c) => [c.command, c]));
    for (const id of ids) {
      assert.ok(byId.has(id), `${id} is not contributed`);
      assert.equal(byId.get(id)!.category, 'Dirsync');
    }
    assert.equal(byId.get('dirsync.bindDirectory')!.title, 'Bind Directory…');
    assert.equal(byId.get('dirsync.unbindDirectory')!.title, 'Unbind Directory');
    assert.equal(byId.get('dirsync.pickPreviewEntry')!.title, 'Pick Preview Entry…');
  });

  it('palette: the document commands for .dirsync editors, the CodeLens-only ones hidden', () => {
    const when = new Map(pkg.contributes.menus.commandPalette.map((m) => [m.command, m.when]));
    for (const id of ['dirsync.bindDirectory', 'dirsync.unbindDirectory', 'dirsync.pickPreviewEntry', 'dirsync.testAvatarUrl'])
      assert.equal(when.get(id), 'editorLangId == dirsync', id);
    for (const id of ['dirsync.showSelectionSample', 'dirsync.liveMenu']) assert.equal(when.get(id), 'false', id);
  });
});
