#!/usr/bin/env node
// `npm run package`: builds dirsync-<version>.vsix with @vscode/vsce, offline.
//
//   node scripts/package.mjs [--out <file.vsix>]
//
// The .vsix is made from a clean staging directory, not from the working tree: a production build
// (minified, no source maps) goes to <stage>/dist, the files the .vscodeignore allowlist re-includes
// are copied beside it, and vsce packages that. So the working tree's dist/ (a development build the
// tests and the debugger use) is never touched, and no stale file can slip into the package.
// The package's README.md (the extension's page in the Extensions view and the Marketplace) is
// client/README.md, written for users; the repository's README.md is for people working on dirsync
// and links into docs/, which does not ship.
// Before packaging, every shipped bundle is checked to load nothing but `vscode` and Node built-ins:
// the extension must not require better-sqlite3 (the CLI's local cloud) or anything else from
// node_modules, since none ship.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex > 0 ? process.argv[outIndex + 1] : join(root, `${manifest.name}-${manifest.version}.vsix`));

/**
 * What the .vscodeignore re-includes, copied into the stage (vsce applies .vscodeignore again):
 * [path in the repository, path in the stage].
 */
const shipped = [
  ['package.json', 'package.json'],
  ['.vscodeignore', '.vscodeignore'],
  ['client/README.md', 'README.md'], // the extension's page, not the repository's README
  ['CHANGELOG.md', 'CHANGELOG.md'],
  ['LICENSE', 'LICENSE'],
  ['client/media/icon.png', 'client/media/icon.png'],
  ['client/media/screenshots', 'client/media/screenshots'],
  ['syntaxes', 'syntaxes'],
  ['server/schemas', 'server/schemas'],
];
/** Files the package cannot do without: packaging stops when one is missing. */
const required = ['package.json', '.vscodeignore', 'client/README.md'];
/** Bundles the extension host loads: the extension and the language server it spawns. */
const bundles = ['dist/extension.js', 'dist/server.js'];

for (const file of required) {
  if (!existsSync(join(root, file))) {
    console.error(`package: ${file} is missing`);
    process.exit(1);
  }
}

const started = performance.now();
const stage = mkdtempSync(join(tmpdir(), 'dirsync-package-'));
try {
  // The Ohm bundles are generated into grammars/ (gitignored) from the .ohm sources, as `npm run build` does.
  run('npm', ['run', '--silent', 'grammars'], root);
  run(process.execPath, [join(root, 'scripts/build.mjs'), '--production', `--outdir=${join(stage, 'dist')}`], root);
  for (const bundle of bundles) checkRequires(join(stage, bundle), bundle);
  for (const [from, to] of shipped) {
    if (existsSync(join(root, from))) cpSync(join(root, from), join(stage, to), { recursive: true });
  }
  const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  // --no-dependencies: everything is bundled, no node_modules ship. No `vscode:prepublish`
  // script: the build ran above. Relative links stay relative: the screenshots ship in the package,
  // so the extension page shows them from the installed extension, offline.
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], stage);
  const kib = (statSync(out).size / 1024).toFixed(0);
  console.log(`packaged ${out} (${kib} KiB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}

/** Runs a command with inherited output and no stdin (vsce must never wait on a prompt); throws on failure. */
function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    console.error(`package: ${[command, ...args].join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(1);
  }
}

/**
 * Fails when a bundle requires a module that is neither `vscode` nor a Node built-in: such a module
 * would be missing from the installed extension. esbuild keeps externals as literal `require("x")`.
 */
function checkRequires(file, label) {
  if (!existsSync(file)) return;
  const builtins = new Set(builtinModules);
  const missing = new Set();
  for (const m of readFileSync(file, 'utf8').matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
    const name = m[1];
    if (name === 'vscode' || name.startsWith('node:') || builtins.has(name)) continue;
    missing.add(name);
  }
  if (missing.size) {
    console.error(
      `package: ${label} requires ${[...missing].join(', ')}, which the .vsix does not ship (bundle it or keep it out of the extension)`,
    );
    process.exit(1);
  }
}
