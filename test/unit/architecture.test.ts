/**
 * The import directions of docs/architecture.md, enforced: each room of the code may import only
 * the rooms listed for it, so data flows one way (config text → model → directory, cloud → plan →
 * apply/report) and the client reaches the server only through the shared boundary folder.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { importSpecifiers, sourceFiles } from '../support/sourceImports';

const ROOT = join(__dirname, '..', '..');

/** Room → the rooms it may import (besides itself and packages). `grammars` are generated parsers. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  common: [],
  'server/domain': ['common'],
  'server/language': ['common', 'server/domain', 'grammars'],
  'server/directory': ['common', 'server/domain', 'server/language'],
  'server/cloud': ['common', 'grammars'],
  'server/localCloud': ['common', 'server/cloud', 'grammars'],
  'server/avatars': ['common', 'server/domain', 'server/language', 'server/directory', 'server/cloud'],
  'server/sync': ['common', 'server/domain', 'server/language', 'server/directory', 'server/cloud', 'server/avatars'],
  'server/runs': ['common', 'server/domain', 'server/avatars', 'server/sync'],
  'server/live': ['common', 'server/domain', 'server/language', 'server/directory', 'server/avatars', 'server/runs'],
  'server/handlers': ['common', 'server/domain', 'server/language', 'server/live', 'server/runs', 'server/sync'],
  'server/cli': [
    'common',
    'server/domain',
    'server/language',
    'server/directory',
    'server/cloud',
    'server/localCloud',
    'server/avatars',
    'server/sync',
    'server/runs',
    'server/live',
  ],
  'server/entry': ['common', 'server/language', 'server/handlers', 'server/live', 'server/runs', 'server/cli'],
  client: ['common'],
};

/** Inside the sync engine: the contract at the bottom, the engine on top. */
const SYNC_MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  contract: [],
  plan: ['contract'],
  apply: ['contract', 'plan'],
  report: ['contract'],
  // The purge is an engine entry of its own: it loads the config and builds the cloud client as the engine does.
  avatars: ['contract', 'plan', 'apply', 'engine/load', 'engine/cloudClient'],
  engine: ['contract', 'plan', 'apply', 'report', 'avatars'],
};

/** The room of a repository path (without extension), or undefined outside the measured code. */
export function roomOf(path: string): string | undefined {
  if (path.startsWith('common/')) return 'common';
  if (path.startsWith('grammars/')) return 'grammars';
  if (path.startsWith('client/src/')) return 'client';
  const m = /^server\/src\/([^/]+)(\/|$)/.exec(path);
  if (!m) return undefined;
  return m[2] === '/' ? `server/${m[1]}` : 'server/entry';
}

function syncPart(path: string): string | undefined {
  const m = /^server\/src\/sync\/([^/.]+)(?:\/([^/.]+))?/.exec(path);
  if (!m) return undefined;
  return m[1] === 'engine' && (m[2] === 'load' || m[2] === 'cloudClient') ? `engine/${m[2]}` : m[1];
}

function violations(): string[] {
  const bad: string[] = [];
  const files = ['common', 'client/src', 'server/src'].flatMap((d) => sourceFiles(join(ROOT, d)));
  for (const file of files) {
    const from = relative(ROOT, file);
    const fromRoom = roomOf(from)!;
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        if (fromRoom === 'client' && /^vscode-languageserver($|\/)/.test(spec)) bad.push(`${from} imports ${spec}`);
        continue;
      }
      const target = relative(ROOT, resolve(dirname(file), spec));
      const toRoom = roomOf(target);
      if (!toRoom) {
        bad.push(`${from} imports ${spec}, outside the code`);
        continue;
      }
      if (toRoom !== fromRoom && !MAY_IMPORT[fromRoom]!.includes(toRoom)) bad.push(`${from} (${fromRoom}) imports ${target} (${toRoom})`);
      if (fromRoom === 'server/sync' && toRoom === 'server/sync') {
        const a = syncPart(from);
        const b = syncPart(target);
        const aTop = a?.split('/')[0];
        const bTop = b?.split('/')[0];
        if (a && b && aTop !== bTop && !(SYNC_MAY_IMPORT[aTop!] ?? []).includes(b) && !(SYNC_MAY_IMPORT[aTop!] ?? []).includes(bTop!)) {
          bad.push(`${from} (sync/${aTop}) imports ${target} (sync/${b})`);
        }
      }
    }
  }
  return bad;
}

describe('architecture: import directions', () => {
  it('every room imports only the rooms below it', () => {
    assert.deepEqual(violations(), []);
  });

  it('knows every room it finds', () => {
    const rooms = new Set(
      ['common', 'client/src', 'server/src'].flatMap((d) => sourceFiles(join(ROOT, d))).map((f) => roomOf(relative(ROOT, f))!),
    );
    assert.deepEqual(
      [...rooms].filter((r) => !(r in MAY_IMPORT)),
      [],
    );
  });

  it('names the room of a path as the rules do', () => {
    assert.equal(roomOf('client/src/extension'), 'client');
    assert.equal(roomOf('server/src/sync/plan/build'), 'server/sync');
    assert.equal(roomOf('server/src/main'), 'server/entry');
    assert.equal(roomOf('common/report'), 'common');
    assert.equal(roomOf('test/support/random'), undefined);
  });
});

describe('architecture: small files', () => {
  it('a source file over 400 lines says why at its top (“Over 400 lines: …”)', () => {
    const long = ['common', 'client/src', 'server/src']
      .flatMap((d) => sourceFiles(join(ROOT, d)))
      .map((f) => ({ file: relative(ROOT, f), text: readFileSync(f, 'utf8') }))
      .filter(({ text }) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0) > 400)
      .filter(({ text }) => !/^\/\*\*[\s\S]*?Over 400 lines: [^\n]+[\s\S]*?\*\//.test(text.slice(0, 3000)))
      .map(({ file }) => file);
    assert.deepEqual(long, []);
  });
});
