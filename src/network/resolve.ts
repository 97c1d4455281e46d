// Resolving a host once, deciding on the addresses it resolved to, and connecting to exactly the
// address that was decided on (a "pinned" lookup), so no second lookup can answer differently.
// Used by the egress proxy for every browser connection and by navis's own requests on a tenant's
// behalf (robots.txt of a discovery, a bring-your-own cdp_url).
import dns from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';
import { canonicalIp } from './addresses.js';
import type { CompiledPolicy, OwnEndpoints } from './policy.js';

const LOOKUP_TIMEOUT_MS = 10_000;

export type Resolution =
  | { ok: true; address: string; family: 4 | 6 }
  | { ok: false; refused: true; reason: string }
  | { ok: false; refused: false; reason: string };

/** The host of a URL or CONNECT line without brackets, lower-case and without a trailing dot. */
export function bareHost(host: string): string {
  return host
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
}

async function lookupAll(host: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`looking up ${host} took longer than ${LOOKUP_TIMEOUT_MS} ms`), { code: 'ETIMEOUT' }),
        ),
      LOOKUP_TIMEOUT_MS,
    );
  });
  try {
    const found = await Promise.race([dns.promises.lookup(host, { all: true, verbatim: true }), timeout]);
    return found.map((entry) => canonicalIp(entry.address) ?? entry.address);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves `host` and decides on every address it resolves to (one refused address refuses the
 * host: which one a connection would use is not ours to predict). The address to connect to is
 * the first one.
 */
export async function resolveAndDecide(
  policy: CompiledPolicy,
  own: OwnEndpoints,
  rawHost: string,
  port: number,
): Promise<Resolution> {
  const host = bareHost(rawHost);
  const byName = policy.refusesName(host, port);
  if (!byName.ok) return { ok: false, refused: true, reason: byName.reason };
  let addresses: string[];
  if (net.isIP(host)) {
    addresses = [canonicalIp(host) ?? host];
  } else {
    try {
      addresses = await lookupAll(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
      return { ok: false, refused: false, reason: `could not resolve ${host} (${code})` };
    }
    if (addresses.length === 0)
      return { ok: false, refused: false, reason: `could not resolve ${host} (no addresses)` };
  }
  const decision = policy.decide({ host, port, addresses }, own);
  if (!decision.ok) return { ok: false, refused: true, reason: decision.reason };
  const address = addresses[0];
  return { ok: true, address, family: net.isIPv6(address) ? 6 : 4 };
}

/** A dns.lookup that always answers `address`: the connection goes where the decision was made. */
export function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((
    _host: string,
    options: dns.LookupOptions | ((...args: unknown[]) => void),
    callback?: (...args: unknown[]) => void,
  ) => {
    const done = (typeof options === 'function' ? options : callback)!;
    const all = typeof options === 'object' && options?.all;
    if (all) process.nextTick(done, null, [{ address, family }]);
    else process.nextTick(done, null, address, family);
  }) as LookupFunction;
}
