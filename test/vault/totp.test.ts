// TOTP codes against the RFC 6238 appendix B vectors, and reading the secrets sites hand out.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTotpSecret, totpCode, type TotpParams } from '../../src/vault/totp.js';

/** RFC 4648 base32 without padding, for turning the RFC's ASCII seeds into secrets. */
function base32(text: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of Buffer.from(text, 'ascii')) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + alphabet[(value << (5 - bits)) & 31] : out;
}

const SEEDS = {
  sha1: base32('12345678901234567890'),
  sha256: base32('12345678901234567890123456789012'),
  sha512: base32('1234567890123456789012345678901234567890123456789012345678901234'),
} as const;

// RFC 6238 appendix B: time in seconds → 8-digit code for SHA1, SHA256, SHA512.
const VECTORS: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

const params = (algorithm: TotpParams['algorithm'], digits = 8): TotpParams => ({
  secret: SEEDS[algorithm],
  digits,
  period: 30,
  algorithm,
});

describe('totpCode', () => {
  test('SHA-1 secret "12345678901234567890" at T=59 s gives 94287082 with 8 digits', () => {
    assert.equal(totpCode(params('sha1'), 59_000), '94287082');
  });

  for (const [seconds, sha1, sha256, sha512] of VECTORS) {
    test(`RFC 6238 vectors at T=${seconds} s for SHA-1, SHA-256 and SHA-512`, () => {
      assert.equal(totpCode(params('sha1'), seconds * 1000), sha1);
      assert.equal(totpCode(params('sha256'), seconds * 1000), sha256);
      assert.equal(totpCode(params('sha512'), seconds * 1000), sha512);
    });
  }

  test('6 digits are the last 6 of the 8-digit code, zero-padded', () => {
    assert.equal(totpCode(params('sha1', 6), 59_000), '287082');
    assert.equal(totpCode(params('sha1', 6), 1111111109_000), '081804');
  });

  test('the code stays the same within a 30 s step and changes at its end', () => {
    const p = params('sha1', 6);
    assert.equal(totpCode(p, 30_000), totpCode(p, 59_999));
    assert.notEqual(totpCode(p, 59_999), totpCode(p, 60_000));
  });

  test('a 60 s period counts steps of 60 s', () => {
    const p = { ...params('sha1'), period: 60 };
    assert.equal(totpCode(p, 118_000), totpCode(params('sha1'), 59_000));
  });

  test('a 10-byte secret (16 base32 characters, as many sites issue) works', () => {
    assert.match(totpCode(parseTotpSecret('JBSWY3DPEHPK3PXP'), Date.now()), /^\d{6}$/);
  });
});

describe('parseTotpSecret', () => {
  test('a base32 secret gets the RFC 6238 defaults: 6 digits, 30 s, SHA-1', () => {
    assert.deepEqual(parseTotpSecret(SEEDS.sha1), { secret: SEEDS.sha1, digits: 6, period: 30, algorithm: 'sha1' });
  });

  test('spaces are stripped, letters upper-cased and padding dropped', () => {
    assert.equal(parseTotpSecret(' jbsw y3dp ehpk 3pxp ').secret, 'JBSWY3DPEHPK3PXP');
    assert.equal(parseTotpSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY======').secret, 'GEZDGNBVGY3TQOJQGEZDGNBVGY');
  });

  test('an otpauth URI gives its secret with the defaults when it names no parameters', () => {
    const uri = `otpauth://totp/ACME%20Co:john@example.com?secret=${SEEDS.sha1}&issuer=ACME%20Co`;
    assert.deepEqual(parseTotpSecret(uri), { secret: SEEDS.sha1, digits: 6, period: 30, algorithm: 'sha1' });
  });

  test('an otpauth URI gives its digits, period and algorithm', () => {
    const uri = `otpauth://totp/Example:alice?secret=${SEEDS.sha256.toLowerCase()}&digits=8&period=60&algorithm=SHA256`;
    assert.deepEqual(parseTotpSecret(uri), { secret: SEEDS.sha256, digits: 8, period: 60, algorithm: 'sha256' });
    assert.equal(parseTotpSecret(uri.replace('SHA256', 'SHA512')).algorithm, 'sha512');
  });

  test('a code from a parsed URI matches the RFC vector', () => {
    const totp = parseTotpSecret(`OTPAUTH://totp/x?secret=${SEEDS.sha1}&digits=8`);
    assert.equal(totpCode(totp, 59_000), '94287082');
  });

  const refused: Array<[string, string, RegExp]> = [
    ['characters outside base32', 'JBSWY3DPEHPK3PX1!', /not a base32 secret/],
    ['a secret too short to be a key', 'JBSWY3DP', /not a valid TOTP key/],
    ['an impossible base32 length', 'JBSWY3DPEHPK3PXPA', /not a valid TOTP key/],
    ['an HOTP URI', `otpauth://hotp/x?secret=${SEEDS.sha1}&counter=1`, /only otpauth:\/\/totp\//],
    ['a URI without a secret', 'otpauth://totp/x?issuer=y', /no secret parameter/],
    [
      'a URI with 12 digits',
      `otpauth://totp/x?secret=${SEEDS.sha1}&digits=12`,
      /digits must be a whole number from 6 to 8/,
    ],
    ['a URI with period 0', `otpauth://totp/x?secret=${SEEDS.sha1}&period=0`, /period must be/],
    ['a URI with algorithm MD5', `otpauth://totp/x?secret=${SEEDS.sha1}&algorithm=MD5`, /SHA1, SHA256 or SHA512/],
  ];
  for (const [what, input, message] of refused) {
    test(`${what} is refused with INVALID_REQUEST naming totpSecret and not echoing it`, () => {
      assert.throws(
        () => parseTotpSecret(input),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'INVALID_REQUEST');
          assert.match(error.message, /'totpSecret'/);
          assert.match(error.message, message);
          assert.ok(!error.message.includes(input), 'the secret leaked into the message');
          assert.ok(!error.message.includes(SEEDS.sha1), 'the secret leaked into the message');
          return true;
        },
      );
    });
  }
});
