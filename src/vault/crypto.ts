// The vault's key and its sealing: AES-256-GCM with a random 12-byte IV per value and the row's
// identity as additional authenticated data, so a ciphertext only opens in the row and field it
// was written for. The key comes from NAVIS_VAULT_KEY or a generated <dataDir>/vault.key (0600).
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VAULT_KEY_FORMAT, vaultKeyBytes, type Config } from '../config.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of every sealed value: lets a later format (or key rotation) live next to this one. */
const FORMAT_V1 = 1;

export const KEY_FILE = 'vault.key';

/**
 * The vault key: NAVIS_VAULT_KEY when set, else <dataDir>/vault.key, created on first start with
 * mode 0600. A key file that group or others may read makes navis refuse to start rather than fix
 * it silently: the key may already have been copied, and the operator should know.
 */
export function loadVaultKey(config: Pick<Config, 'vaultKey' | 'dataDir'>): Buffer {
  if (config.vaultKey) return config.vaultKey;
  const file = path.join(config.dataDir, KEY_FILE);
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new Error(
      `The vault key file ${file} may be read by other users (mode ${mode.toString(8).padStart(4, '0')}). ` +
        `Run: chmod 600 ${file} (and check who could have read it), or set NAVIS_VAULT_KEY instead.`,
    );
  }
  const key = vaultKeyBytes(fs.readFileSync(file, 'utf8'));
  if (!key) throw new Error(`The vault key file ${file} ${VAULT_KEY_FORMAT}.`);
  return key;
}

/** Thrown when a sealed value does not open: wrong key, wrong row, or altered bytes. */
export class VaultDecryptError extends Error {
  constructor() {
    super(
      'A vault value could not be decrypted: the key differs from the one it was sealed with, or the stored bytes were altered.',
    );
    this.name = 'VaultDecryptError';
  }
}

/** Seals and opens values with one key; the key stays in a private field, out of logs and JSON. */
export class VaultCipher {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`The vault key ${VAULT_KEY_FORMAT}.`);
    this.#key = Buffer.from(key);
  }

  /** version (1) ‖ IV (12) ‖ auth tag (16) ‖ ciphertext, with `aad` authenticated but not stored. */
  seal(plaintext: string, aad: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(FORMAT_V1), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer, aad: string): string {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_V1) throw new VaultDecryptError();
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new VaultDecryptError();
    }
  }

  toJSON(): string {
    return '[VaultCipher]';
  }
}

/** Keys the digests of secretsEqual: both sides become 32 bytes, whatever their lengths. */
const COMPARE_KEY = randomBytes(32);

/**
 * Whether two secrets are equal, in time that does not depend on where they first differ (a
 * plain === would tell a guesser how many leading characters are right).
 */
export function secretsEqual(given: string, stored: string): boolean {
  const digest = (text: string) => createHmac('sha256', COMPARE_KEY).update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(stored));
}
