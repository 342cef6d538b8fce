// Writes server/schemas/dirsync.schema.json from the format's spec (`npm run schema`).
// A unit test fails when the shipped file and the spec drift apart.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJsonSchema } from '../server/src/language/config/jsonSchema';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'server/schemas/dirsync.schema.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(toJsonSchema(), null, 2) + '\n');
console.log(`wrote ${out}`);
