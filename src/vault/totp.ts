// TOTP (RFC 6238) for the vault: reading the secret a site gave (base32, or an otpauth:// URI as
// in its QR code) and computing the current code with otplib. Messages never echo the secret.
import { createGuardrails, generateSync } from 'otplib';
import { invalid } from '../errors.js';

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpParams {
  /** Base32, upper-case, without spaces or padding. */
  secret: string;
  digits: number;
  period: number;
  algorithm: TotpAlgorithm;
}

/** What authenticator apps assume when an otpauth URI leaves a parameter out (RFC 6238 defaults). */
export const TOTP_DEFAULTS = { digits: 6, period: 30, algorithm: 'sha1' } as const;

/**
 * 10 bytes (16 base32 characters) is what many sites still issue, though RFC 4226 recommends 16+;
 * otplib refuses below 16 by default, so its guardrail is lowered to match.
 */
const MIN_SECRET_BYTES = 10;
const MAX_SECRET_BYTES = 64;
const MAX_PERIOD_SECONDS = 3600;
const guardrails = createGuardrails({ MIN_SECRET_BYTES });

const FIELD = "Invalid request body: field 'totpSecret'";

/** The TOTP parameters of `input`: a base32 secret (spaces allowed) or an otpauth://totp/ URI. */
export function parseTotpSecret(input: string): TotpParams {
  const text = input.trim();
  if (/^otpauth:/i.test(text)) return parseOtpauthUri(text);
  return { secret: normalizeBase32(text), ...TOTP_DEFAULTS };
}

/** The code for the time step holding `nowMs`, zero-padded to `digits`. */
export function totpCode(totp: TotpParams, nowMs: number): string {
  return generateSync({
    secret: totp.secret,
    digits: totp.digits,
    period: totp.period,
    algorithm: totp.algorithm,
    epoch: Math.floor(nowMs / 1000),
    guardrails,
  });
}

function normalizeBase32(text: string): string {
  const secret = text.replace(/\s+/g, '').toUpperCase().replace(/=+$/, '');
  if (!/^[A-Z2-7]+$/.test(secret)) {
    throw invalid(
      `${FIELD}: not a base32 secret (letters A-Z and digits 2-7, as the site shows it) nor an otpauth://totp/ URI`,
    );
  }
  const bytes = Math.floor((secret.length * 5) / 8);
  if ([1, 3, 6].includes(secret.length % 8) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw invalid(
      `${FIELD}: a base32 secret of ${secret.length} characters is not a valid TOTP key (expected ${MIN_SECRET_BYTES}-${MAX_SECRET_BYTES} bytes, usually 16 or 32 characters); check that it was copied whole`,
    );
  }
  return secret;
}

function parseOtpauthUri(text: string): TotpParams {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(`${FIELD}: not a valid otpauth:// URI`);
  }
  const type = url.host.toLowerCase();
  if (type !== 'totp') {
    throw invalid(
      `${FIELD}: only otpauth://totp/ URIs are supported (got otpauth://${type === 'hotp' ? 'hotp' : '…'}/); counter-based HOTP is not`,
    );
  }
  const secret = url.searchParams.get('secret');
  if (!secret) throw invalid(`${FIELD}: the otpauth URI has no secret parameter`);
  return {
    secret: normalizeBase32(secret),
    digits: integerParam(url, 'digits', TOTP_DEFAULTS.digits, 6, 8),
    period: integerParam(url, 'period', TOTP_DEFAULTS.period, 1, MAX_PERIOD_SECONDS),
    algorithm: algorithmParam(url),
  };
}

function integerParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${FIELD}: the otpauth URI's ${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function algorithmParam(url: URL): TotpAlgorithm {
  const raw = url.searchParams.get('algorithm');
  if (raw === null || raw === '') return TOTP_DEFAULTS.algorithm;
  const name = raw.toLowerCase().replace('-', '');
  if (name === 'sha1' || name === 'sha256' || name === 'sha512') return name;
  throw invalid(`${FIELD}: the otpauth URI's algorithm must be SHA1, SHA256 or SHA512`);
}
