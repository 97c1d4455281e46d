// Sealing of vault values (AES-256-GCM, row identity as AAD), the vault key (NAVIS_VAULT_KEY or a
// generated 0600 key file), and what actually lands in the SQLite file.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import type { NavisError } from '../../src/errors.js';
import { openStore, type Db } from '../../src/store/db.js';
import { CredentialRepository } from '../../src/store/credentials.js';
import { KEY_FILE, VaultCipher, VaultDecryptError, loadVaultKey } from '../../src/vault/crypto.js';
import { Vault } from '../../src/vault/service.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-vault-'));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const flip = (buf: Buffer, index: number) => {
  const copy = Buffer.from(buf);
  copy[index] ^= 0x01;
  return copy;
};

describe('VaultCipher', () => {
  const cipher = new VaultCipher(randomBytes(32));

  test('a sealed value opens to the same text with the same AAD', () => {
    const sealed = cipher.seal('hunter2 — pässwörd', 'row-1:password');
    assert.equal(cipher.open(sealed, 'row-1:password'), 'hunter2 — pässwörd');
  });

  test('sealing the same text twice gives different bytes (a fresh IV each time)', () => {
    assert.notDeepEqual(cipher.seal('same', 'aad'), cipher.seal('same', 'aad'));
  });

  test('the sealed bytes do not contain the plaintext', () => {
    const sealed = cipher.seal('plaintext-marker', 'aad');
    assert.equal(sealed.indexOf('plaintext-marker'), -1);
  });

  test('an altered ciphertext byte fails to open', () => {
    const sealed = cipher.seal('secret value', 'aad');
    assert.throws(() => cipher.open(flip(sealed, sealed.length - 1), 'aad'), VaultDecryptError);
  });

  test('an altered auth tag fails to open', () => {
    const sealed = cipher.seal('secret value', 'aad');
    assert.throws(() => cipher.open(flip(sealed, 1 + 12), 'aad'), VaultDecryptError);
  });

  test('an altered IV fails to open', () => {
    const sealed = cipher.seal('secret value', 'aad');
    assert.throws(() => cipher.open(flip(sealed, 1), 'aad'), VaultDecryptError);
  });

  test('another AAD (another row) fails to open', () => {
    const sealed = cipher.seal('secret value', 'row-1:password');
    assert.throws(() => cipher.open(sealed, 'row-2:password'), VaultDecryptError);
  });

  test('another key fails to open', () => {
    const sealed = cipher.seal('secret value', 'aad');
    assert.throws(() => new VaultCipher(randomBytes(32)).open(sealed, 'aad'), VaultDecryptError);
  });

  test('a truncated value fails to open', () => {
    assert.throws(() => cipher.open(Buffer.alloc(10), 'aad'), VaultDecryptError);
  });

  test('the key does not show in JSON', () => {
    const key = randomBytes(32);
    assert.ok(!JSON.stringify({ cipher: new VaultCipher(key) }).includes(key.toString('hex')));
  });
});

describe('the vault key', () => {
  test('without NAVIS_VAULT_KEY a key file is created with mode 0600 and reused on the next start', () => {
    const dataDir = tempDir();
    const key = loadVaultKey({ dataDir });
    assert.equal(key.length, 32);
    const file = path.join(dataDir, KEY_FILE);
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(loadVaultKey({ dataDir }), key);
  });

  test(
    'a key file others may read stops the start with a message saying how to fix it',
    { skip: process.platform === 'win32' },
    () => {
      const dataDir = tempDir();
      loadVaultKey({ dataDir });
      const file = path.join(dataDir, KEY_FILE);
      fs.chmodSync(file, 0o644);
      assert.throws(
        () => loadVaultKey({ dataDir }),
        (error: Error) => {
          assert.match(error.message, /may be read by other users \(mode 0644\)/);
          assert.ok(error.message.includes(`chmod 600 ${file}`));
          return true;
        },
      );
    },
  );

  test('a key file that does not hold 32 bytes stops the start', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, KEY_FILE), 'not a key\n', { mode: 0o600 });
    assert.throws(() => loadVaultKey({ dataDir }), /must be 32 bytes/);
  });

  test('NAVIS_VAULT_KEY is used instead of a key file', () => {
    const dataDir = tempDir();
    const hex = randomBytes(32).toString('hex');
    const config = loadConfig({ NAVIS_VAULT_KEY: hex, NAVIS_DATA_DIR: dataDir });
    assert.deepEqual(loadVaultKey(config), Buffer.from(hex, 'hex'));
    assert.ok(!fs.existsSync(path.join(dataDir, KEY_FILE)));
  });

  test('NAVIS_VAULT_KEY is accepted as 64 hex characters and as base64', () => {
    const key = randomBytes(32);
    assert.deepEqual(loadConfig({ NAVIS_VAULT_KEY: key.toString('hex') }).vaultKey, key);
    assert.deepEqual(loadConfig({ NAVIS_VAULT_KEY: key.toString('base64') }).vaultKey, key);
    assert.deepEqual(loadConfig({ NAVIS_VAULT_KEY: key.toString('base64url') }).vaultKey, key);
  });

  test('NAVIS_VAULT_KEY of the wrong length is a startup error that names it and does not echo it', () => {
    for (const value of [
      randomBytes(16).toString('hex'),
      randomBytes(31).toString('base64'),
      'correct horse battery staple',
    ]) {
      assert.throws(
        () => loadConfig({ NAVIS_VAULT_KEY: value }),
        (error: Error) => {
          assert.match(error.message, /NAVIS_VAULT_KEY: must be 32 bytes, given as 64 hex characters or base64/);
          assert.ok(!error.message.includes(value), 'the key value leaked into the error');
          return true;
        },
      );
    }
  });
});

describe('credentials in the SQLite file', () => {
  const TENANT = 'tenant-1';
  const open = (dataDir: string, key: Buffer): { db: Db; vault: Vault } => {
    const db = openStore(dataDir);
    db.prepare('INSERT OR IGNORE INTO tenants (id, name, created_at) VALUES (?, ?, ?)').run(
      TENANT,
      't',
      new Date().toISOString(),
    );
    return { db, vault: new Vault(new CredentialRepository(db), new VaultCipher(key)) };
  };
  const storeFiles = (dataDir: string) =>
    fs
      .readdirSync(dataDir)
      .filter((f) => f.startsWith('navis.db'))
      .map((f) => fs.readFileSync(path.join(dataDir, f)));

  test('no file of the store holds the username, password or TOTP secret', () => {
    const dataDir = tempDir();
    const key = randomBytes(32);
    const secrets = {
      username: 'user-marker-8c1f@example.com',
      password: 'pw-marker-Zq93!xk',
      totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    };
    const { db, vault } = open(dataDir, key);
    const created = vault.create(TENANT, { name: 'bank', allowedDomains: ['bank.example'], ...secrets });
    vault.update(TENANT, created.id, { password: 'pw-marker-second-7Yt2', currentPassword: secrets.password });
    assert.equal(vault.reveal(TENANT, created.id).password, 'pw-marker-second-7Yt2');
    const files = storeFiles(dataDir);
    db.close();
    files.push(...storeFiles(dataDir));
    assert.ok(
      files.some((bytes) => bytes.includes('bank.example')),
      'expected to find the plain name/domains in the store',
    );
    for (const value of [...Object.values(secrets), 'pw-marker-second-7Yt2']) {
      for (const bytes of files) assert.equal(bytes.indexOf(value), -1, `${value} found in the store`);
    }
  });

  test('a sealed value copied into another row does not open there', () => {
    const dataDir = tempDir();
    const { db, vault } = open(dataDir, randomBytes(32));
    const a = vault.create(TENANT, {
      name: 'a',
      allowedDomains: ['a.example'],
      username: 'ua',
      password: 'password-of-a',
    });
    const b = vault.create(TENANT, {
      name: 'b',
      allowedDomains: ['b.example'],
      username: 'ub',
      password: 'password-of-b',
    });
    db.prepare(
      'UPDATE credentials SET password_sealed = (SELECT password_sealed FROM credentials WHERE id = ?) WHERE id = ?',
    ).run(a.id, b.id);
    assert.throws(
      () => vault.reveal(TENANT, b.id),
      (error: NavisError) => {
        assert.equal(error.code, 'INTERNAL');
        assert.ok(!error.message.includes('password-of-a'));
        return true;
      },
    );
    db.close();
  });

  test('a username sealed value moved into the password column does not open', () => {
    const dataDir = tempDir();
    const { db, vault } = open(dataDir, randomBytes(32));
    const a = vault.create(TENANT, { name: 'a', allowedDomains: ['a.example'], username: 'ua', password: 'pa' });
    db.prepare('UPDATE credentials SET password_sealed = username_sealed WHERE id = ?').run(a.id);
    assert.throws(() => vault.reveal(TENANT, a.id), /could not be decrypted/);
    db.close();
  });

  test('opening the store with another key refuses to start, naming NAVIS_VAULT_KEY', () => {
    const dataDir = tempDir();
    const first = open(dataDir, randomBytes(32));
    first.vault.create(TENANT, { name: 'a', allowedDomains: ['a.example'], username: 'u', password: 'p' });
    first.db.close();
    const db = openStore(dataDir);
    assert.throws(() => new Vault(new CredentialRepository(db), new VaultCipher(randomBytes(32))), /NAVIS_VAULT_KEY/);
    db.close();
  });

  test('reveal of an unknown id or another tenant answers CREDENTIAL_NOT_FOUND', () => {
    const dataDir = tempDir();
    const { db, vault } = open(dataDir, randomBytes(32));
    const a = vault.create(TENANT, { name: 'a', allowedDomains: ['a.example'], username: 'u', password: 'p' });
    assert.throws(() => vault.reveal(TENANT, randomUUID()), { code: 'CREDENTIAL_NOT_FOUND' });
    assert.throws(() => vault.reveal('tenant-2', a.id), { code: 'CREDENTIAL_NOT_FOUND' });
    db.close();
  });
});
