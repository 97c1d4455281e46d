// A tenant's network policy and the one decision made from it: may a browser of this tenant open a
// connection to this host, port and (resolved) addresses? Decided on the addresses the name
// resolved to, so a name that resolves to 127.0.0.1 is loopback whatever it is called (DNS
// rebinding gets nowhere: the egress proxy connects to the very address that was checked).
//
// Order: navis's own browser endpoints (DevTools ports, egress listeners) are refused whatever the
// policy; then denyHosts; then allowHosts; then navis's own API (refused unless allowHosts names
// it); then loopback, private and link-local addresses (open only with allowPrivate); metadata and
// reserved ranges (only through allowHosts); everything else, the public web, is open.
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import {
  PRIVATE_KINDS,
  addressKind,
  canonicalIp,
  inCidr,
  isLocalAddress,
  parseIp,
  type AddressKind,
} from './addresses.js';

export interface NetworkPolicy {
  /** Loopback, private (RFC 1918, CGNAT, ULA) and link-local addresses. */
  allowPrivate: boolean;
  /** Hosts opened even when private, as names, `*.domain`, IPs or CIDRs, each optionally with `:port`. */
  allowHosts: string[];
  /** Hosts refused even when public; wins over allowHosts. */
  denyHosts: string[];
}

export const MAX_HOST_PATTERNS = 200;

/** One allowHosts / denyHosts entry, compiled. */
type HostPattern =
  | { kind: 'name'; name: string; wildcard: boolean; port?: number; text: string }
  | { kind: 'ip'; ip: string; port?: number; text: string }
  | { kind: 'cidr'; cidr: [ipaddr.IPv4 | ipaddr.IPv6, number]; port?: number; text: string };

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** The compiled pattern, or why the entry is not one. */
export function parseHostPattern(raw: string): HostPattern | string {
  const text = raw.trim().toLowerCase().replace(/\.$/, '');
  if (!text) return 'is empty';
  if (text === '*' || text === '*.') return "a bare '*' is not a host; name hosts, '*.domain', IPs or CIDRs";
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text)) return 'give a host, not a URL (no scheme or path)';
  if (/[\\?#@\s]/.test(text)) return "is not a host name, '*.domain', IP address or CIDR range";
  if (text.includes('/')) {
    // A CIDR may carry a port after its prefix length, as SECURITY.md documents: '10.0.0.0/8:8080',
    // 'fd00::/8:443' (the prefix length ends the address, so the ':port' is not read as IPv6).
    const [, range = text, portText] = text.match(/^(.*\/\d{1,3})(?::(\d+))?$/) ?? [];
    const cidrPort = portText !== undefined ? Number(portText) : undefined;
    if (cidrPort !== undefined && !(cidrPort >= 1 && cidrPort <= 65535)) return 'has a port outside 1-65535';
    try {
      return { kind: 'cidr', cidr: ipaddr.parseCIDR(range.replace(/^\[|\](?=\/)/g, '')), port: cidrPort, text };
    } catch {
      return "is not a CIDR range such as '10.0.0.0/8' or 'fd00::/8'";
    }
  }
  let host = text;
  let port: number | undefined;
  const bracketed = text.match(/^\[([^\]]+)\](?::(\d+))?$/);
  if (bracketed) {
    host = bracketed[1];
    port = bracketed[2] !== undefined ? Number(bracketed[2]) : undefined;
  } else if (!text.includes('::') && /:\d+$/.test(text) && text.split(':').length === 2) {
    [host] = text.split(':');
    port = Number(text.split(':')[1]);
  }
  if (port !== undefined && !(port >= 1 && port <= 65535)) return 'has a port outside 1-65535';
  const ip = canonicalIp(host);
  if (ip) return { kind: 'ip', ip, port, text };
  const wildcard = host.startsWith('*.');
  const name = wildcard ? host.slice(2) : host;
  if (name.includes('*')) return "a wildcard is allowed only as the whole first label, as in '*.example.com'";
  if (!name.split('.').every((label) => LABEL.test(label)))
    return "is not a host name, '*.domain', IP address or CIDR range";
  return { kind: 'name', name, wildcard, port, text };
}

/** zod: a list of host patterns, each checked, with the entry named when one is wrong. */
export const HostPatterns = z
  .array(z.string().max(300))
  .max(MAX_HOST_PATTERNS)
  .superRefine((entries, ctx) => {
    entries.forEach((entry, i) => {
      const parsed = parseHostPattern(entry);
      if (typeof parsed === 'string')
        ctx.addIssue({ code: 'custom', path: [i], message: `${JSON.stringify(entry.slice(0, 100))} ${parsed}` });
    });
  });

export const NetworkPolicySchema = z.strictObject({
  allowPrivate: z
    .boolean()
    .optional()
    .describe("Open loopback, private (RFC 1918, CGNAT, ULA) and link-local addresses to this tenant's browsers"),
  allowHosts: HostPatterns.optional().describe(
    "Hosts opened even when private: 'intranet.example', '*.corp.example', '10.1.2.3', '10.0.0.0/8', '127.0.0.1:3000'",
  ),
  denyHosts: HostPatterns.optional().describe('Hosts refused even when public; wins over allowHosts'),
});

/** What the browser wants to reach. */
export interface EgressTarget {
  /** The host as asked for (a name, or an IP without brackets), lower-case. */
  host: string;
  port: number;
  /** The addresses `host` resolved to (the IP itself for an IP). */
  addresses: string[];
}

/** navis's own endpoints, which no page may reach (see endpoints.ts). */
export interface OwnEndpoints {
  /** 'devtools' and 'egress' are refused whatever the policy; 'api' unless allowHosts names it. */
  describe(address: string, port: number): { what: 'devtools' | 'egress' | 'api'; label: string } | undefined;
}

export type EgressDecision = { ok: true } | { ok: false; reason: string };

const KIND_WORDS: Record<AddressKind, string> = {
  loopback: 'a loopback address (this machine)',
  private: 'a private address',
  'link-local': 'a link-local address',
  metadata: 'a cloud metadata address',
  reserved: 'a reserved or multicast address',
  public: 'a public address',
};

export class CompiledPolicy {
  private readonly allow: HostPattern[];
  private readonly deny: HostPattern[];

  constructor(
    readonly policy: NetworkPolicy,
    /** Whose policy, for messages: "tenant 'acme'". */
    readonly owner: string,
  ) {
    const compile = (entries: string[]) =>
      entries.map(parseHostPattern).filter((p): p is HostPattern => typeof p !== 'string');
    this.allow = compile(policy.allowHosts);
    this.deny = compile(policy.denyHosts);
  }

  decide(target: EgressTarget, own: OwnEndpoints): EgressDecision {
    const { host, port, addresses } = target;
    const refuse = (why: string): EgressDecision => ({
      ok: false,
      reason: `${displayHost(host, port)} is refused: ${why}`,
    });
    for (const address of addresses) {
      const endpoint = isLocalAddress(address) ? own.describe(address, port) : undefined;
      if (endpoint && endpoint.what !== 'api')
        return refuse(`it is ${endpoint.label}, which no page or tenant may reach`);
    }
    const denied = this.deny.find((p) => matches(p, target, 'any'));
    if (denied) return refuse(`the network policy of ${this.owner} denies '${denied.text}' (denyHosts)`);
    if (this.allow.some((p) => matches(p, target, 'all'))) return { ok: true };
    for (const address of addresses) {
      const endpoint = isLocalAddress(address) ? own.describe(address, port) : undefined;
      if (endpoint)
        return refuse(
          `it is ${endpoint.label}; pages reach navis's API only when the network.allowHosts of ${this.owner} names it`,
        );
    }
    for (const address of addresses) {
      const kind = addressKind(address);
      const where = address === host ? KIND_WORDS[kind] : `${address}, ${KIND_WORDS[kind]}`;
      if (PRIVATE_KINDS.has(kind) && !this.policy.allowPrivate) {
        return refuse(
          `it resolves to ${where}, and the network policy of ${this.owner} does not allow private addresses (an admin can set network.allowPrivate or list the host in network.allowHosts: PATCH /admin/tenants/{id})`,
        );
      }
      if (kind === 'metadata' || kind === 'reserved') {
        return refuse(
          `it resolves to ${where}, which is open only when the network.allowHosts of ${this.owner} names it`,
        );
      }
    }
    return { ok: true };
  }

  /** Whether a host name is refused before any lookup (denyHosts by name, and names that are loopback by definition). */
  refusesName(host: string, port: number): EgressDecision {
    const target = { host, port, addresses: [] };
    const denied = this.deny.find((p) => matches(p, target, 'any'));
    if (denied)
      return {
        ok: false,
        reason: `${displayHost(host, port)} is refused: the network policy of ${this.owner} denies '${denied.text}' (denyHosts)`,
      };
    if (this.allow.some((p) => matches(p, target, 'all'))) return { ok: true };
    if (!this.policy.allowPrivate && (host === 'localhost' || host.endsWith('.localhost'))) {
      return {
        ok: false,
        reason: `${displayHost(host, port)} is refused: it names this machine, and the network policy of ${this.owner} does not allow private addresses`,
      };
    }
    return { ok: true };
  }
}

function displayHost(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Whether an entry covers the target. IP and CIDR entries look at the resolved addresses: for
 * denyHosts one address inside is enough ('any'), allowHosts opens a target only when every
 * address it resolved to is inside ('all').
 */
function matches(pattern: HostPattern, target: EgressTarget, mode: 'any' | 'all'): boolean {
  const covered = (test: (address: string) => boolean) =>
    target.addresses.length > 0 && (mode === 'any' ? target.addresses.some(test) : target.addresses.every(test));
  if (pattern.port !== undefined && pattern.port !== target.port) return false;
  if (pattern.kind === 'cidr') return covered((a) => inCidr(a, pattern.cidr));
  if (pattern.kind === 'ip') {
    const literal = canonicalIp(target.host);
    if (literal) return literal === pattern.ip;
    return covered((a) => canonicalIp(a) === pattern.ip);
  }
  if (parseIp(target.host)) return false;
  return pattern.wildcard ? target.host.endsWith(`.${pattern.name}`) : target.host === pattern.name;
}
