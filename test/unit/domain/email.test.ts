/** Email addresses as directory values: RFC 5322 dot-atom addr-spec with RFC 6531 UTF-8. */
import { strict as assert } from 'node:assert';
import { isEmailAddress } from '../../../server/src/domain/email';

describe('domain: email addresses', () => {
  const valid = [
    'ada@corp.example.com',
    'ada.lovelace@corp.example.com',
    "o'brien@corp.example.com",
    'ada+sync@corp.example.com',
    'müller@corp.example.com',
    'ada@bücher.example',
    'a_b-c@x-y.example.com',
  ];
  const invalid = [
    '<script>alert(1)</script>@corp.example.com',
    'ada lovelace@corp.example.com',
    'Ada <ada@corp.example.com>',
    '"ada"@corp.example.com',
    'ada@@corp.example.com',
    'a@b@corp.example.com',
    '.ada@corp.example.com',
    'ada.@corp.example.com',
    'ada..l@corp.example.com',
    'ada@corp',
    'ada@-corp.example.com',
    'ada@corp..example.com',
    'ada@127.0.0.1',
    'ada@[127.0.0.1]',
    'ada\u0000@corp.example.com',
    'ada\u001b[31m@corp.example.com',
    'ada\u202e@corp.example.com',
    'ada@corp.example.com\n',
    `${'a'.repeat(65)}@corp.example.com`,
    `ada@${'a'.repeat(250)}.com`,
    '@corp.example.com',
    'ada@',
    '',
  ];
  for (const v of valid) it(`accepts ${JSON.stringify(v)}`, () => assert.equal(isEmailAddress(v), true));
  for (const v of invalid) it(`refuses ${JSON.stringify(v)}`, () => assert.equal(isEmailAddress(v), false));
});
