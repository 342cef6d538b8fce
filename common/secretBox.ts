/**
 * Sealing a secret for its trip from the VS Code client to the language server. LSP traces
 * ("dirsync.trace.server": "verbose") log every request's result; a bind password sent as plain
 * JSON would land in the Dirsync output channel. So the server sends a one-time X25519 public key
 * with its `dirsync/resolveSecret` request and the client answers with the secret sealed to it:
 * ECDH (X25519, RFC 7748) with a one-time client key, HKDF-SHA256 (RFC 5869) to an AES-256-GCM
 * key, the reference text as associated data (an answer cannot be replayed for another reference).
 * Both sides import this file; it runs in Node (the extension host and the server).
 */
import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import type { SealedSecret } from './requests';

const INFO = Buffer.from('dirsync secret v1', 'utf8');

/** The server's side: a key pair kept in memory for the server's lifetime, never written anywhere. */
export interface SecretOpener {
  /** SPKI DER, base64: what goes into `ResolveSecretParams.publicKey`. */
  readonly publicKey: string;
  /** Opens a sealed answer; throws when it was not sealed to this key or for this reference. */
  open(sealed: SealedSecret, refText: string): string;
}

function aesKey(privateKey: KeyObject, publicKey: KeyObject): Buffer {
  const shared = diffieHellman({ privateKey, publicKey });
  return Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(0), INFO, 32));
}

export function createSecretOpener(): SecretOpener {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const exported = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  return {
    publicKey: exported,
    open(sealed, refText) {
      const peer = createPublicKey({ key: Buffer.from(sealed.ephemeralKey, 'base64'), format: 'der', type: 'spki' });
      const decipher = createDecipheriv('aes-256-gcm', aesKey(privateKey, peer), Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(refText, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

/** The client's side: seals `secret` to the server's public key for the reference `refText`. */
export function sealSecret(secret: string, serverPublicKey: string, refText: string): SealedSecret {
  const server = createPublicKey({ key: Buffer.from(serverPublicKey, 'base64'), format: 'der', type: 'spki' });
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKey(privateKey, server), iv);
  cipher.setAAD(Buffer.from(refText, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return {
    ephemeralKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    iv: iv.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}
