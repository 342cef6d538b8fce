/** The shipped JSON Schema stays in step with the format's spec (`npm run schema` regenerates it). */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJsonSchema } from '../../../server/src/language/config/jsonSchema';
import { CONFIG_SPEC } from '../../../server/src/language/config/spec';
import { allKeyPaths } from '../../../server/src/language/config/specTypes';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';
import { SAMPLES_ROOT, sampleFiles } from '../../support/languageCases';

const shipped = JSON.parse(readFileSync(join(__dirname, '../../../server/schemas/dirsync.schema.json'), 'utf8'));

/** The schema node at a dotted key path, looking through oneOf options. */
function schemaAt(schema: Record<string, any>, path: string): unknown {
  let nodes: any[] = [schema];
  for (const key of path.split('.')) {
    nodes = nodes
      .flatMap((n) => [n, ...(n.oneOf ?? []), ...(n.items ? [n.items] : [])])
      .flatMap((n) => (n.properties?.[key] ? [n.properties[key]] : []));
    if (!nodes.length) return undefined;
  }
  return nodes[0];
}

describe('server/schemas/dirsync.schema.json', () => {
  it('has every key the model knows', () => {
    const paths = allKeyPaths(CONFIG_SPEC);
    assert.ok(paths.length > 80, `only ${paths.length} key paths`);
    const missing = paths.filter((p) => schemaAt(shipped, p) === undefined);
    assert.deepEqual(missing, []);
  });

  it('is the generated one (run `npm run schema` after changing the spec)', () => {
    assert.deepEqual(shipped, JSON.parse(JSON.stringify(toJsonSchema())));
  });

  it('requires the delete threshold and lists cloud attributes', () => {
    assert.deepEqual(shipped.properties.policy.required, ['deleteThreshold']);
    assert.ok(shipped.properties.attributes.properties['sipAddresses;type=enterprise']);
  });
});

describe('the JSON Schema in a JSON editor (vscode-json-languageservice)', () => {
  // Samples name the schema by relative path in `$schema`; serve the shipped file for it.
  const ls = getLanguageService({
    schemaRequestService: async (uri) => {
      if (uri.endsWith('dirsync.schema.json')) return JSON.stringify(shipped);
      throw new Error(`unexpected schema ${uri}`);
    },
    workspaceContext: { resolveRelativePath: (rel) => `file:///samples/${rel.split('/').pop()}` },
  });
  ls.configure({
    validate: true,
    allowComments: true,
    schemas: [{ uri: 'inmemory://dirsync.schema.json', fileMatch: ['*.dirsync'], schema: shipped }],
  });
  const validate = async (text: string) => {
    const doc = TextDocument.create('file:///x.dirsync', 'jsonc', 1, text);
    return ls.doValidation(doc, ls.parseJSONDocument(doc), { comments: 'ignore', trailingCommas: 'ignore' });
  };

  for (const f of sampleFiles().filter((x) => !x.includes('invalid'))) {
    it(`accepts ${f.slice(SAMPLES_ROOT.length + 1)}`, async () => {
      const diags = await validate(readFileSync(f, 'utf8'));
      assert.deepEqual(
        diags.map((d) => d.message),
        [],
      );
    });
  }

  it('rejects structural mistakes the language server reports too', async () => {
    const diags = await validate(readFileSync(join(SAMPLES_ROOT, 'invalid/structure.dirsync'), 'utf8'));
    assert.ok(diags.length >= 4, diags.map((d) => d.message).join('; '));
    const missing = await validate('{ "directory": { "url": "ldaps://x.example.com" }, "cloud": {} }');
    assert.ok(missing.some((d) => /policy/.test(String(d.message))));
    const literal = await validate(
      '{ "directory": { "url": "ldaps://x.example.com", "password": "hunter2" }, "cloud": {}, "policy": { "deleteThreshold": "disabled" } }',
    );
    assert.ok(
      literal.some((d) => /pattern/i.test(String(d.message))),
      literal.map((d) => d.message).join('; '),
    );
  });
});
