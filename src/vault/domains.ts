// Which sites a credential may be filled into. An entry is a hostname ("login.example.com") or a
// sub-domain wildcard ("*.example.com"). Hosts are compared in the form the WHATWG URL parser
// gives (`new URL(u).hostname`): lower-case, IDN as punycode, IPv4 canonical, IPv6 in brackets.
//
// "*.example.com" covers every sub-domain at any depth (a.example.com, a.b.example.com) but NOT
// example.com itself, as with TLS certificate wildcards; list both to allow both. Steel binds a
// credential to one exact origin; a wildcard is navis's opt-in for sites that log in on several
// sub-domains.
import { domainToASCII } from 'node:url';
import { invalid } from '../errors.js';

export const MAX_DOMAINS = 100;

/**
 * Second-level labels that, under a two-letter country code, are public suffixes ("co.uk",
 * "com.au"), and shared-hosting suffixes where every customer has a sub-domain. A wildcard over
 * one of these would cover sites of strangers. A guard against the common mistakes, not the full
 * Public Suffix List.
 */
const COUNTRY_SECOND_LEVELS = new Set([
  'ac',
  'co',
  'com',
  'edu',
  'gob',
  'gov',
  'govt',
  'ltd',
  'me',
  'mil',
  'net',
  'ne',
  'nhs',
  'nom',
  'or',
  'org',
  'plc',
  'sch',
]);
const SHARED_HOSTING = new Set([
  'github.io',
  'gitlab.io',
  'herokuapp.com',
  'vercel.app',
  'netlify.app',
  'pages.dev',
  'workers.dev',
  'web.app',
  'firebaseapp.com',
  'appspot.com',
  'blogspot.com',
  'azurewebsites.net',
  'cloudfront.net',
  'amazonaws.com',
  'fly.dev',
  'onrender.com',
  'glitch.me',
  'repl.co',
  'ngrok.io',
  'ngrok-free.app',
]);

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** A host as the URL parser gives it, lower-cased, IDN in punycode, without a trailing dot; '' when not a host. */
export function canonicalHost(host: string): string {
  const trimmed = host.trim().toLowerCase().replace(/\.$/, '');
  if (trimmed.startsWith('[')) return /^\[[0-9a-f:.]+\]$/.test(trimmed) ? trimmed : '';
  const ascii = domainToASCII(trimmed);
  return ascii.split('.').every((label) => LABEL.test(label)) ? ascii : '';
}

/** True when `host` (a URL's hostname) is one of `allowedDomains` or under one of its wildcards. */
export function hostAllowed(host: string, allowedDomains: string[]): boolean {
  const target = canonicalHost(host);
  if (!target) return false;
  return allowedDomains.some((entry) => {
    const wildcard = entry.startsWith('*.');
    const base = canonicalHost(wildcard ? entry.slice(2) : entry);
    if (!base) return false;
    return wildcard ? target.endsWith(`.${base}`) : target === base;
  });
}

/**
 * The stored form of a credential's allowedDomains: each entry checked and canonical, duplicates
 * removed. Throws INVALID_REQUEST naming the entry (under `field`, as the caller's dialect spells
 * it) and saying what to send instead.
 */
export function normalizeAllowedDomains(entries: string[], field = 'allowedDomains'): string[] {
  if (entries.length === 0)
    throw invalid(`Invalid request body: field '${field}': list at least one hostname, e.g. ["example.com"]`);
  if (entries.length > MAX_DOMAINS)
    throw invalid(`Invalid request body: field '${field}': at most ${MAX_DOMAINS} entries`);
  return [...new Set(entries.map((entry, i) => normalizeEntry(entry, `${field}.${i}`)))];
}

/**
 * The allowed domain a service name names, when it is a host: "login.example.com", "127.0.0.1",
 * "localhost", "[::1]" (the /public dialect names a credential by its service). A single word
 * ("Gmail") names a service, not a host (it would bind the credential to http://gmail/): undefined.
 */
export function serviceHost(serviceName: string): string | undefined {
  const entry = serviceName.trim().toLowerCase();
  if (!entry.includes('.') && entry !== 'localhost' && !entry.startsWith('[')) return undefined;
  try {
    return normalizeEntry(entry, 'service_name');
  } catch {
    return undefined;
  }
}

function normalizeEntry(raw: string, field: string): string {
  const entry = raw.trim().toLowerCase().replace(/\.$/, '');
  const fail = (why: string) => invalid(`Invalid request body: field '${field}' (${JSON.stringify(raw)}): ${why}`);
  if (entry === '*' || entry === '*.')
    throw fail("a bare '*' would allow every site; list hostnames such as 'example.com' or '*.example.com'");
  if (/[/\\?#@]/.test(entry) || (/^[a-z][a-z0-9+.-]*:/.test(entry) && !entry.startsWith('['))) {
    throw fail("give a hostname only, without scheme, path or port (e.g. 'login.example.com')");
  }
  const wildcard = entry.startsWith('*.');
  const rest = wildcard ? entry.slice(2) : entry;
  if (rest.includes('*')) throw fail("a wildcard is allowed only as the whole first label, as in '*.example.com'");
  const host = urlHostname(rest);
  if (!host) throw fail("not a valid hostname; give one such as 'login.example.com'");
  if (!wildcard) return host;
  if (isIpAddress(host)) throw fail('a wildcard cannot cover an IP address; list the address itself');
  if (isPublicSuffix(host)) {
    throw fail(
      `'*.${host}' would cover sites of many different owners; name the site's own domain, as in '*.example.${host}'`,
    );
  }
  return `*.${host}`;
}

/** The hostname the URL parser makes of `host` (canonical IPv4, punycode), or '' when it is not one. */
function urlHostname(host: string): string {
  if (!host || (host.includes(':') && !host.startsWith('['))) return '';
  let parsed: URL;
  try {
    parsed = new URL(`http://${host}/`);
  } catch {
    return '';
  }
  if (parsed.port || parsed.username || parsed.password || parsed.pathname !== '/') return '';
  return canonicalHost(parsed.hostname);
}

function isIpAddress(host: string): boolean {
  return host.startsWith('[') || /^\d+$/.test(host.slice(host.lastIndexOf('.') + 1));
}

function isPublicSuffix(host: string): boolean {
  const labels = host.split('.');
  if (labels.length === 1) return true;
  if (labels.length === 2 && labels[1].length === 2 && COUNTRY_SECOND_LEVELS.has(labels[0])) return true;
  return SHARED_HOSTING.has(host);
}
