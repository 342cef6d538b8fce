/** The live queries over an LDIF export (the demo's): what "exists" means for a base DN. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../server/src/language/analysis';
import { DirectoryBinding } from '../../../server/src/live/binding';
import { LiveQueries } from '../../../server/src/live/queries';

const SAMPLES = join(__dirname, '..', '..', '..', 'sample-configs');

describe('live/queries over an LDIF export', () => {
  const analysis = analyze(readFileSync(join(SAMPLES, 'demo.dirsync'), 'utf8'));
  const dir = analysis.config.directory;
  let binding: DirectoryBinding;
  let queries: LiveQueries;
  before(() => {
    binding = new DirectoryBinding({
      uri: 'file:///demo.dirsync',
      configDir: SAMPLES,
      overrides: {},
      resolveSecret: async () => undefined,
      onChange: () => {},
    });
    queries = new LiveQueries(binding);
  });
  after(() => binding.close());

  it('a base DN the export has no entry for, but entries under, exists (the domain root of the demo)', async () => {
    const text = readFileSync(join(SAMPLES, 'data', 'corp.example.com.ldif'), 'utf8');
    assert.ok(!/^dn: DC=corp,DC=example,DC=com$/im.test(text), 'the export leaves out the domain root');
    assert.equal(await queries.exists(dir, 'DC=corp,DC=example,DC=com'), true);
  });

  it('a base DN with nothing under it does not exist', async () => {
    assert.equal(await queries.exists(dir, 'OU=Nowhere,DC=corp,DC=example,DC=com'), false);
  });
});
