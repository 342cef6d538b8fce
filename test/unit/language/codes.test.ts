/** The embedded-language table of docs/languages.md lists exactly the codes the modules raise. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ATTRIBUTE_EXPRESSION_CODES } from '../../../server/src/language/attrExpr/codes';
import { AVATAR_URI_CODES } from '../../../server/src/language/avatarUri/codes';
import { LDAP_FILTER_CODES } from '../../../server/src/language/ldapFilter/codes';

describe('embedded-language diagnostic codes', () => {
  const tables = { DS2: LDAP_FILTER_CODES, DS3: ATTRIBUTE_EXPRESSION_CODES, DS4: AVATAR_URI_CODES };
  it('stay in their ranges', () => {
    for (const [prefix, table] of Object.entries(tables)) {
      for (const code of Object.keys(table)) assert.match(code, new RegExp(`^${prefix}\\d\\d$`));
    }
  });
  it('are documented in docs/languages.md (section embedded-codes) with their severity', () => {
    const page = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'languages.md'), 'utf8');
    const a = page.indexOf('<!-- section:embedded-codes -->');
    const b = page.indexOf('<!-- /section:embedded-codes -->');
    assert.ok(a >= 0 && b > a, 'docs/languages.md has no section:embedded-codes block');
    const section = page.slice(a, b);
    const rows = new Map([...section.matchAll(/^\| (DS\d{3}) \| (\w+) \|/gm)].map((m) => [m[1]!, m[2]!]));
    const all = Object.assign({}, ...Object.values(tables)) as Record<string, { severity: string }>;
    assert.deepEqual([...rows.keys()].sort(), Object.keys(all).sort());
    for (const [code, info] of Object.entries(all)) assert.equal(rows.get(code), info.severity, code);
  });
});
