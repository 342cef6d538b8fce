/**
 * HTTP credentials for the resource server and the publish target, from secret references only
 * (`${env:NAME}`, `${secret:KEY}`). The resolver is injected: the CLI reads the environment, the
 * extension VS Code's SecretStorage. A resolved secret lives only inside the Authorization header
 * value; no message, log event or report ever contains it.
 */
import { secretEnvName } from '../../../common/secretRef';
import type { AvatarCredentials, SecretRef } from '../../../common/config';

/** Returns the secret's value, or undefined when it is not set. */
export type SecretResolver = (ref: SecretRef) => string | undefined | Promise<string | undefined>;

/** Reads references from an environment (`${secret:KEY}` → `DIRSYNC_SECRET_KEY`, see formats.ts). */
export function envSecretResolver(env: Readonly<Record<string, string | undefined>> = process.env): SecretResolver {
  return (ref) => {
    const v = env[secretEnvName(ref)];
    return v === undefined || v === '' ? undefined : v;
  };
}

/** A configuration problem found before any request: no per-user result can fix it. */
export class AvatarConfigError extends Error {
  override readonly name = 'AvatarConfigError';
}

/**
 * The Authorization header value for credentials (RFC 7617 Basic with UTF-8, RFC 6750 Bearer), or
 * undefined for none. Throws AvatarConfigError naming the reference — never its value — when a
 * secret is not set.
 */
export async function authorizationHeader(
  credentials: AvatarCredentials | undefined,
  resolve: SecretResolver,
  where: string,
): Promise<string | undefined> {
  if (!credentials) return undefined;
  const ref = credentials.type === 'basic' ? credentials.password.value : credentials.token.value;
  const value = await resolve(ref);
  if (value === undefined) {
    const key = credentials.type === 'basic' ? 'password' : 'token';
    const how =
      ref.kind === 'env'
        ? `environment variable ${ref.name}`
        : `VS Code secret "${ref.key}", or environment variable ${secretEnvName(ref)} for the CLI`;
    throw new AvatarConfigError(`${where}.credentials.${key}: ${ref.text} is not set (${how})`);
  }
  if (credentials.type === 'bearer') return `Bearer ${value}`;
  if (credentials.username.includes(':')) {
    throw new AvatarConfigError(`${where}.credentials.username: a Basic user name cannot contain ":" (RFC 7617 §2)`);
  }
  return `Basic ${Buffer.from(`${credentials.username}:${value}`, 'utf8').toString('base64')}`;
}
