// What kind of address an IP is, for the egress guard: loopback, private (RFC 1918, CGNAT, ULA),
// link-local, a cloud metadata endpoint, or public. IPv6 forms that carry an IPv4 address
// (::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address inside, so
// `[::ffff:127.0.0.1]` is loopback like 127.0.0.1. Parsing is ipaddr.js's.
import os from 'node:os';
import ipaddr from 'ipaddr.js';

export type AddressKind =
  /** 127.0.0.0/8, ::1, and the unspecified 0.0.0.0/8 and :: (a connection to them reaches this host). */
  | 'loopback'
  /** RFC 1918, CGNAT 100.64/10, IPv6 ULA fc00::/7 and site-local fec0::/10, NAT64 local-use 64:ff9b:1::/48. */
  | 'private'
  /** 169.254/16 and fe80::/10 (the metadata addresses are 'metadata'). */
  | 'link-local'
  /** Cloud instance metadata: 169.254.169.254, fd00:ec2::254, 100.100.100.200, 169.254.170.2. */
  | 'metadata'
  /** Multicast, broadcast, documentation, benchmarking, Teredo and other ranges no page needs. */
  | 'reserved'
  | 'public';

/** Metadata endpoints of the usual clouds (AWS, GCP, Azure, Oracle, Alibaba, ECS tasks). */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254', '192.0.0.192']);

const PRIVATE_V6 = [ipaddr.parseCIDR('fec0::/10'), ipaddr.parseCIDR('64:ff9b:1::/48')];

/** The address as ipaddr.js parses it, or undefined when `text` is not an IP address. */
export function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // Zone ids (fe80::1%eth0) name a link-local address on an interface.
  const withoutZone = bare.replace(/%.*$/, '');
  return ipaddr.isValid(withoutZone) ? ipaddr.parse(withoutZone) : undefined;
}

/** The IPv4 address an IPv6 address carries, when it is one of the forms that tunnel to it. */
function embeddedIpv4(ip: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const range = ip.range();
  const bytes = ip.toByteArray();
  if (range === 'ipv4Mapped') return ip.toIPv4Address();
  if (range === 'rfc6052') return new ipaddr.IPv4(bytes.slice(12, 16));
  if (range === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}

/** The canonical text of an address (IPv4-mapped IPv6 as the IPv4 address), for messages and comparisons. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  if (!ip) return undefined;
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress())
    return (ip as ipaddr.IPv6).toIPv4Address().toString();
  return ip.toString();
}

export function addressKind(text: string): AddressKind {
  const parsed = parseIp(text);
  if (!parsed) return 'reserved';
  let ip: ipaddr.IPv4 | ipaddr.IPv6 = parsed;
  if (ip.kind() === 'ipv6') ip = embeddedIpv4(ip as ipaddr.IPv6) ?? ip;
  if (METADATA.has(ip.toString())) return 'metadata';
  const range = ip.range();
  switch (range) {
    case 'loopback':
    case 'unspecified':
      return 'loopback';
    case 'private':
    case 'carrierGradeNat':
    case 'uniqueLocal':
      return 'private';
    case 'linkLocal':
      return 'link-local';
    case 'unicast':
      if (ip.kind() === 'ipv6' && PRIVATE_V6.some((cidr) => (ip as ipaddr.IPv6).match(cidr))) return 'private';
      return 'public';
    default:
      return 'reserved';
  }
}

/** Kinds a tenant's `allowPrivate` opens. Metadata and reserved addresses need an explicit allowHosts entry. */
export const PRIVATE_KINDS: ReadonlySet<AddressKind> = new Set(['loopback', 'private', 'link-local']);

let localCache: { at: number; addresses: Set<string> } | undefined;

/**
 * Addresses that reach this machine: loopback, unspecified and every address of a local interface
 * (a LAN address of navis's host reaches navis as well as 127.0.0.1 does). Re-read every few seconds.
 */
export function isLocalAddress(text: string): boolean {
  const ip = canonicalIp(text);
  if (!ip) return false;
  const kind = addressKind(ip);
  if (kind === 'loopback') return true;
  const now = Date.now();
  if (!localCache || now - localCache.at > 5000) {
    const addresses = new Set<string>();
    for (const list of Object.values(os.networkInterfaces())) {
      for (const entry of list ?? []) addresses.add(canonicalIp(entry.address) ?? entry.address);
    }
    localCache = { at: now, addresses };
  }
  return localCache.addresses.has(ip);
}

/** Whether `ip` lies in `cidr` (both texts; an IPv4-mapped IPv6 address counts as its IPv4 address). */
export function inCidr(ip: string, cidr: [ipaddr.IPv4 | ipaddr.IPv6, number]): boolean {
  const parsed = parseIp(canonicalIp(ip) ?? ip);
  if (!parsed || parsed.kind() !== cidr[0].kind()) return false;
  return parsed.kind() === 'ipv4' ? (parsed as ipaddr.IPv4).match(cidr) : (parsed as ipaddr.IPv6).match(cidr);
}
