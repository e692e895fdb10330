// Secrets at rest (integration credentials): AES-256-GCM with a random 96-bit IV per value, the key's
// id in front so a wrong key is named rather than mistaken for tampering, and a context (workspace and
// field) as additional data so a sealed value cannot be moved to another row or field.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'tmsec:v1';

/** Raised when there is no key to seal or open with, or a sealed value does not open. */
export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

export interface SecretBox {
  /** Encrypts `plaintext` bound to `context` (e.g. `salesforce:acme:clientSecret`). */
  seal(plaintext: string, context: string): string;
  /** Decrypts what `seal` made with the same context; throws SecretKeyError otherwise. */
  open(sealed: string, context: string): string;
}

/** The first 8 hex digits of the key's SHA-256: names the key without revealing it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** A box around a key, obtained lazily (the SQLite key file is created on first use); null = none. */
export function secretBox(keyOf: () => Buffer | null, missing: string): SecretBox {
  const key = (): { key: Buffer; id: string } => {
    const k = keyOf();
    if (k === null) throw new SecretKeyError(missing);
    if (k.length !== 32) throw new SecretKeyError('The secret key must be 32 bytes.');
    return { key: k, id: keyIdOf(k) };
  };
  return {
    seal(plaintext, context) {
      const { key: k, id } = key();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        PREFIX,
        id,
        iv.toString('base64url'),
        tag.toString('base64url'),
        body.toString('base64url'),
      ].join(':');
    },
    open(sealed, context) {
      const { key: k, id } = key();
      const parts = sealed.split(':');
      if (parts.length !== 6 || `${parts[0]}:${parts[1]}` !== PREFIX)
        throw new SecretKeyError('A stored secret is not in the expected format.');
      const [, , keyId = '', iv = '', tag = '', body = ''] = parts;
      if (keyId !== id)
        throw new SecretKeyError(
          `A stored secret was encrypted with key ${keyId}, but the configured key is ${id}: set TOUCHMAIL_SECRET_KEY back, or enter the credentials again.`,
        );
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new SecretKeyError('A stored secret does not decrypt: it was altered or moved.');
      }
    },
  };
}
