/** The extension manifest contributes what a VS Code user expects for the `dirsync` language. */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';

const ROOT = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('package.json: what the Marketplace and the Extensions view show', () => {
  it('names a repository, an icon that exists, categories and keywords', () => {
    assert.match(pkg.repository.url, /^https:\/\/github\.com\/[\w-]+\/[\w-]+\.git$/);
    assert.equal(pkg.repository.type, 'git');
    assert.ok(pkg.publisher);
    assert.ok(existsSync(join(ROOT, pkg.icon)), pkg.icon);
    assert.ok(pkg.categories.includes('Programming Languages'));
    assert.ok(pkg.keywords.includes('active directory') && pkg.keywords.includes('webex'));
  });

  it("the extension's page (client/README.md) is for users: no developer set-up", () => {
    const readme = readFileSync(join(ROOT, 'client/README.md'), 'utf8');
    assert.doesNotMatch(readme, /git clone|npm (ci|run|test)\b|npm install(?! -g dirsync)|node_modules|tsx |\.\.\/docs\//);
    const script = readFileSync(join(ROOT, 'scripts/package.mjs'), 'utf8');
    assert.match(script, /\['client\/README\.md', 'README\.md'\]/);
  });
});

describe("the extension's page shows the product", () => {
  it('shows screenshots of the editor and the report that exist and ship in the package', () => {
    const readme = readFileSync(join(ROOT, 'client/README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    assert.ok(images.length >= 2, `${images.length} images`);
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8');
    for (const image of images) {
      assert.ok(!/^[a-z]+:/.test(image), `${image}: a relative path, shown offline from the installed extension`);
      assert.ok(existsSync(join(ROOT, image)), image);
      assert.ok(
        ignore.includes(`!${image.replace(/[^/]+$/, '*.png')}`) || ignore.includes(`!${image}`),
        `${image} is not in the .vscodeignore allowlist`,
      );
    }
  });
});

describe('package.json contributes (language registration)', () => {
  it('registers the dirsync language for *.dirsync with a language configuration that exists', () => {
    const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'dirsync');
    assert.deepEqual(lang.extensions, ['.dirsync']);
    assert.ok(existsSync(join(ROOT, lang.configuration)), lang.configuration);
    const conf = parse(readFileSync(join(ROOT, lang.configuration), 'utf8'));
    assert.deepEqual(conf.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
  });

  it('activates on the language and starts the bundled server over IPC', () => {
    assert.ok(pkg.activationEvents.includes('onLanguage:dirsync'));
    assert.equal(pkg.main, './dist/extension.js');
    const source = readFileSync(join(ROOT, 'client/src/languageClient.ts'), 'utf8');
    assert.match(source, /asAbsolutePath\('dist\/server\.js'\)/);
    assert.match(source, /TransportKind\.ipc/);
  });

  it('has the settings the client reads', () => {
    const props = pkg.contributes.configuration.properties;
    assert.deepEqual(props['dirsync.trace.server'].enum, ['off', 'messages', 'verbose']);
    assert.equal(props['dirsync.validation.delayMs'].default, 150);
    assert.equal(pkg.contributes.configurationDefaults['[dirsync]']['editor.quickSuggestions'].strings, 'on');
  });

  it('ships both bins', () => {
    assert.equal(pkg.bin['dirsync'], 'bin/dirsync.js');
    assert.equal(pkg.bin['dirsync-language-server'], 'bin/dirsync-language-server.js');
  });
});
