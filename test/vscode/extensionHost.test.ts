import { strict as assert } from 'node:assert';
import { findCodeServer } from '../support/codeServer';
import { runExtensionHostTests } from '../support/extensionHostRunner';
import { scratchWorkspace } from '../support/scratchWorkspace';
import { buildExtensionHostTests, repoRoot } from './buildExtensionHostTests';

describe('extension-host tests in code-server (smoke-test driver)', function () {
  this.timeout(360_000);

  it('runs test/vscode/extensionHost in the real extension host and every test passes', async function () {
    const found = findCodeServer();
    if ('missing' in found) {
      if (process.env.CI) throw new Error(found.missing);
      console.warn(`    skipped: ${found.missing}`);
      this.skip();
    }
    const index = await buildExtensionHostTests();
    const folder = scratchWorkspace({ 'notes.txt': 'extension-host test workspace\n' }, 'exthost-ws');
    // The development build in dist/ (npm run build) is the extension under test here.
    const run = await runExtensionHostTests(found, { extensionDevelopmentPath: repoRoot, extensionTestsPath: index, folder });
    const failures = (run.result?.failed ?? []).map((f) => `${f.title}\n${f.error}`).join('\n\n');
    assert.ok(run.result, `the extension host never ran the suite (exit ${run.exitCode}):\n${run.log.join('\n')}`);
    assert.equal(failures, '', 'extension-host tests failed');
    assert.equal(run.exitCode, 0, run.log.join('\n'));
    assert.ok(
      run.result.passed.includes('activation activates the extension on a .dirsync document, whose language id is dirsync'),
      `passed: ${run.result.passed.join(', ')}`,
    );
    console.log(
      `      extension host: ${run.result.passed.length} passed, ${run.result.failed.length} failed, ${run.result.pending.length} pending`,
    );
  });
});
