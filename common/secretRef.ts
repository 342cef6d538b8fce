/**
 * `${env:NAME}` / `${secret:KEY}` references, the only way a config names a password or token. The
 * language service checks them, the CLI resolves them from the environment, and the extension
 * resolves `${secret:…}` from VS Code's SecretStorage, so both sides share this file.
 */
import type { SecretRef } from './config';

const SECRET_REF = /^\$\{(env|secret):([^}]*)\}$/;

/** Parses a `${env:NAME}` / `${secret:KEY}` reference: a ref, a format error, or `literal` for a plain value. */
export function parseSecretRef(text: string): SecretRef | { error: string } | 'literal' {
  const m = SECRET_REF.exec(text);
  if (!m) {
    if (text.includes('${')) return { error: 'expected exactly `${env:NAME}` or `${secret:KEY}`' };
    if (text === '') return { error: 'empty secret reference; use `${env:NAME}` or `${secret:KEY}`' };
    return 'literal';
  }
  const name = m[2]!;
  if (m[1] === 'env') {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { error: `\`${name}\` is not an environment variable name (letters, digits, _)` };
    return { kind: 'env', name, text };
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_.\-/]*$/.test(name)) return { error: `\`${name}\` is not a secret key (letters, digits, . _ - /)` };
  return { kind: 'secret', key: name, text };
}

/** The environment variable the CLI reads for a reference (`${secret:KEY}` → `DIRSYNC_SECRET_KEY`). */
export function secretEnvName(ref: SecretRef): string {
  return ref.kind === 'env' ? ref.name : `DIRSYNC_SECRET_${ref.key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
