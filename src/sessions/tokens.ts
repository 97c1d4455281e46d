// A session's two tokens: one in its cdp_url (full CDP through the proxy, with the firewall) and
// one in its live_url (the live view: watching and input only). Each is shown in the session's
// URLs while it runs and kept in the store only as a SHA-256 hash.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'cdp' | 'live';

export interface SessionTokens {
  cdp: string;
  live: string;
}

export function newSessionTokens(): SessionTokens {
  return { cdp: randomBytes(24).toString('base64url'), live: randomBytes(24).toString('base64url') };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether `given` is the token whose hash is `expectedHash` (in constant time). */
export function tokenMatches(expectedHash: string | null | undefined, given: string | undefined): boolean {
  if (!expectedHash || !given) return false;
  const a = Buffer.from(expectedHash, 'hex');
  const b = Buffer.from(hashToken(given), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
