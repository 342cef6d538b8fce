import { strict as assert } from 'node:assert';
import yauzl from 'yauzl';
import { extensionManifest, packagedVsix } from '../support/vsix';

/** Every entry of a .vsix (a zip) with its bytes. */
async function readVsix(path: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  const entries = new Map<string, Buffer>();
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const stream = await zip.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      entries.set(entry.fileName, Buffer.concat(chunks));
    }
  } finally {
    zip.close();
  }
  return entries;
}

describe('packaging (npm run package)', function () {
  this.timeout(300_000);
  let files: Map<string, Buffer>;

  before(async () => {
    files = await readVsix((await packagedVsix()).path);
  });

  it('ships only the allowlisted files: bundles, webview assets, grammars, schemas, icon, docs', () => {
    const allowed = [
      /^\[Content_Types\]\.xml$/,
      /^extension\.vsixmanifest$/,
      /^extension\/package\.json$/,
      /^extension\/(readme|changelog)\.md$/,
      /^extension\/LICENSE\.txt$/,
      /^extension\/client\/media\/icon\.png$/,
      /^extension\/client\/media\/screenshots\/[^/]+\.png$/,
      /^extension\/dist\/(extension|server)\.js$/,
      /^extension\/dist\/webview\/[^/]+\.(js|css|ttf)$/,
      /^extension\/syntaxes\/[^/]+\.json$/,
      /^extension\/server\/schemas\/[^/]+\.json$/,
    ];
    const unexpected = [...files.keys()].filter((f) => !allowed.some((re) => re.test(f)));
    assert.deepEqual(unexpected, [], 'files outside the allowlist');
    assert.ok(files.has('extension/dist/extension.js'), 'the extension bundle is missing');
    for (const f of ['extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt']) assert.ok(files.has(f), `${f} is missing`);
  });

  it('bundles everything the extension loads: no node_modules, no native modules, no source maps', () => {
    for (const f of files.keys()) {
      assert.doesNotMatch(f, /node_modules|\.node$|\.map$|\.ts$/, f);
    }
    for (const bundle of ['extension/dist/extension.js', 'extension/dist/server.js']) {
      const code = files.get(bundle)?.toString('utf8');
      if (code === undefined) continue;
      // Production build: minified (esbuild drops the sourceMappingURL and most newlines).
      // A pointer is a `//# sourceMappingURL=` comment of its own line (the report loader's regex mentions the word).
      assert.doesNotMatch(code, /^\/\/# sourceMappingURL=/m, `${bundle} points at a source map`);
      assert.doesNotMatch(code, /require\(["']better-sqlite3["']\)/, `${bundle} requires better-sqlite3`);
    }
  });

  it('carries a manifest VS Code and the Marketplace accept, with a real PNG icon of at least 128×128', () => {
    const manifest = JSON.parse(files.get('extension/package.json')!.toString('utf8')) as Record<string, unknown>;
    assert.equal(manifest.name, extensionManifest.name);
    assert.equal(manifest.publisher, extensionManifest.publisher);
    assert.equal(manifest.version, extensionManifest.version);
    assert.equal(manifest.license, 'MIT');
    assert.ok(Array.isArray(manifest.categories) && manifest.categories.length > 0);
    assert.ok(Array.isArray(manifest.keywords) && manifest.keywords.length > 0);
    const icon = files.get(`extension/${manifest.icon as string}`);
    assert.ok(icon, `icon ${String(manifest.icon)} is not in the package`);
    // PNG signature, then the IHDR chunk: width and height as big-endian u32 at bytes 16 and 20.
    assert.deepEqual([...icon.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(icon.readUInt32BE(16) >= 128 && icon.readUInt32BE(20) >= 128, 'icon smaller than 128×128');
    const vsixManifest = files.get('extension.vsixmanifest')!.toString('utf8');
    assert.match(vsixManifest, /<License>extension\/LICENSE\.txt<\/License>/);
    assert.match(vsixManifest, /Microsoft\.VisualStudio\.Services\.Icons\.Default/);
  });
});
