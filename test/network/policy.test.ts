// The network policy as pure functions (issue 10, items 1 and 2): what kind of address an IP is
// (addresses.ts), which allowHosts / denyHosts entries are valid and how they read (policy.ts),
// the order CompiledPolicy.decide() judges a target in, and which URL schemes a browser may be sent
// to (urls.ts). No browser here; test/security/network-policy.test.ts checks the same on the wire.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addressKind, canonicalIp, inCidr, isLocalAddress, type AddressKind } from '../../src/network/addresses.js';
import { NavisEndpoints } from '../../src/network/endpoints.js';
import { CompiledPolicy, NetworkPolicySchema, parseHostPattern, type NetworkPolicy } from '../../src/network/policy.js';
import { checkScheme, schemeRefusal } from '../../src/network/urls.js';
import { NavisError } from '../../src/errors.js';
import ipaddr from 'ipaddr.js';

const DEVTOOLS_PORT = 9222;
const EGRESS_PORT = 40_001;
const API_PORT = 8787;

/** navis's own endpoints as a running navis knows them: one browser's DevTools port, one egress listener, the API. */
function ownEndpoints(): NavisEndpoints {
  const own = new NavisEndpoints();
  own.protect(DEVTOOLS_PORT, 'devtools');
  own.protect(EGRESS_PORT, 'egress');
  own.setApiPort(API_PORT);
  return own;
}

function policy(p: Partial<NetworkPolicy> = {}, owner = "tenant 'b'"): CompiledPolicy {
  return new CompiledPolicy({ allowPrivate: false, allowHosts: [], denyHosts: [], ...p }, owner);
}

/** decide() for a host that resolved to `addresses` (an IP literal resolves to itself). */
function decide(p: CompiledPolicy, host: string, port: number, addresses: string[] = [host]) {
  return p.decide({ host, port, addresses }, ownEndpoints());
}

function assertRefused(decision: { ok: boolean; reason?: string }, ...patterns: RegExp[]): void {
  assert.equal(decision.ok, false, 'expected a refusal');
  for (const pattern of patterns) assert.match(decision.reason!, pattern);
}

describe('addressKind: every class of address', () => {
  const cases: Array<[string, AddressKind]> = [
    // loopback, and the unspecified addresses (a connection to them reaches this host)
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'loopback'],
    ['0.1.2.3', 'loopback'],
    ['::1', 'loopback'],
    ['::', 'loopback'],
    ['[::1]', 'loopback'],
    // private: RFC 1918, CGNAT, ULA, site-local, NAT64 local-use
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fec0::1', 'private'],
    ['64:ff9b:1::1', 'private'],
    // link-local
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    // cloud metadata endpoints
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['192.0.0.192', 'metadata'],
    // reserved: multicast, broadcast, documentation, benchmarking, Teredo, class E
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.51.100.1', 'reserved'],
    ['203.0.113.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['ff02::1', 'reserved'],
    // public, including the edges of the private ranges
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['2606:4700::1111', 'public'],
  ];
  for (const [address, kind] of cases) {
    test(`${address} is ${kind}`, () => assert.equal(addressKind(address), kind));
  }

  test('text that is no IP address is reserved (never public)', () => {
    for (const text of ['localhost', 'example.com', '', '1.2.3.4.5', '::g'])
      assert.equal(addressKind(text), 'reserved', text);
  });
});

describe('addressKind: IPv6 forms that carry an IPv4 address are judged by it', () => {
  const cases: Array<[string, AddressKind]> = [
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:127.0.0.1', 'loopback'],
    ['::ffff:0.0.0.0', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:8.8.8.8', 'public'],
    // NAT64 (64:ff9b::/96)
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['64:ff9b::808:808', 'public'],
    // 6to4 (2002::/16)
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['2002:a9fe:a9fe::', 'metadata'],
    ['2002:808:808::', 'public'],
  ];
  for (const [address, kind] of cases) {
    test(`${address} is ${kind}`, () => assert.equal(addressKind(address), kind));
  }

  test('an IPv4-mapped address reads as its IPv4 address in messages and comparisons', () => {
    assert.equal(canonicalIp('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(canonicalIp('[::ffff:7f00:1]'), '127.0.0.1');
    assert.equal(canonicalIp('not an ip'), undefined);
  });

  test('inCidr counts an IPv4-mapped address as its IPv4 address, and never matches across families', () => {
    const ten = ipaddr.parseCIDR('10.0.0.0/8');
    assert.equal(inCidr('::ffff:10.1.2.3', ten), true);
    assert.equal(inCidr('10.1.2.3', ten), true);
    assert.equal(inCidr('11.0.0.1', ten), false);
    assert.equal(inCidr('fd00::1', ten), false);
  });

  test('loopback and unspecified addresses, in every form, are local to this machine', () => {
    for (const address of ['127.0.0.1', '127.9.9.9', '0.0.0.0', '::1', '::', '::ffff:127.0.0.1', '64:ff9b::7f00:1']) {
      assert.equal(isLocalAddress(address), true, address);
    }
    assert.equal(isLocalAddress('8.8.8.8'), false);
    assert.equal(isLocalAddress('not an ip'), false);
  });
});

describe('host patterns: valid entries', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['example.com', { kind: 'name', name: 'example.com', wildcard: false }],
    ['EXAMPLE.com.', { kind: 'name', name: 'example.com', wildcard: false }],
    ['*.example.com', { kind: 'name', name: 'example.com', wildcard: true }],
    ['example.com:8080', { kind: 'name', name: 'example.com', port: 8080 }],
    ['127.0.0.1', { kind: 'ip', ip: '127.0.0.1' }],
    ['127.0.0.1:3000', { kind: 'ip', ip: '127.0.0.1', port: 3000 }],
    ['::1', { kind: 'ip', ip: '::1' }],
    ['[::1]:3000', { kind: 'ip', ip: '::1', port: 3000 }],
    ['::ffff:127.0.0.1', { kind: 'ip', ip: '127.0.0.1' }],
    ['10.0.0.0/8', { kind: 'cidr' }],
    ['fd00::/8', { kind: 'cidr' }],
    ['[fd00::]/8', { kind: 'cidr' }],
    ['10.0.0.0/8:8080', { kind: 'cidr', port: 8080 }],
    ['fd00::/8:443', { kind: 'cidr', port: 443 }],
  ];
  for (const [entry, expected] of cases) {
    test(`'${entry}' is ${expected.kind === 'cidr' ? 'a CIDR range' : `a${expected.kind === 'ip' ? 'n IP' : ' name'}`}${expected.port ? ' with a port' : ''}`, () => {
      const parsed = parseHostPattern(entry);
      assert.equal(typeof parsed, 'object', String(parsed));
      for (const [key, value] of Object.entries(expected))
        assert.deepEqual((parsed as Record<string, unknown>)[key], value, key);
    });
  }
});

describe('host patterns: invalid entries, each with a message that says what to give instead', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /is empty/],
    ['   ', /is empty/],
    ['*', /bare '\*' is not a host/],
    ['*.', /bare '\*' is not a host/],
    ['http://example.com', /give a host, not a URL/],
    ['https://intranet.example/path', /give a host, not a URL/],
    ['a*.example.com', /wildcard is allowed only as the whole first label/],
    ['*.*.example.com', /wildcard is allowed only as the whole first label/],
    ['10.0.0.0/33', /is not a CIDR range such as '10\.0\.0\.0\/8'/],
    ['10.0.0.0/abc', /is not a CIDR range/],
    ['example.com/path', /is not a CIDR range/],
    ['example.com:0', /port outside 1-65535/],
    ['example.com:70000', /port outside 1-65535/],
    ['[::1]:99999', /port outside 1-65535/],
    ['10.0.0.0/8:0', /port outside 1-65535/],
    ['10.0.0.0/8:', /is not a CIDR range/],
    ['example.com:http', /is not a host name, '\*\.domain', IP address or CIDR range/],
    ['user@example.com', /is not a host name/],
    ['example.com?x=1', /is not a host name/],
    ['exa mple.com', /is not a host name/],
    ['-bad.example', /is not a host name/],
    ['a..b', /is not a host name/],
  ];
  for (const [entry, message] of cases) {
    test(`${JSON.stringify(entry)} is refused: ${message.source}`, () => {
      const parsed = parseHostPattern(entry);
      assert.equal(typeof parsed, 'string', `accepted: ${JSON.stringify(parsed)}`);
      assert.match(parsed as string, message);
    });
  }

  test('the schema of POST/PATCH /admin/tenants names the list, the index and the entry that is wrong', () => {
    const result = NetworkPolicySchema.safeParse({ allowHosts: ['ok.example', 'http://x.example'], denyHosts: ['*'] });
    assert.equal(result.success, false);
    const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    assert.deepEqual(issues, [
      { path: 'allowHosts.1', message: '"http://x.example" give a host, not a URL (no scheme or path)' },
      { path: 'denyHosts.0', message: `"*" a bare '*' is not a host; name hosts, '*.domain', IPs or CIDRs` },
    ]);
  });

  test('the schema refuses unknown fields and more than 200 entries', () => {
    assert.equal(NetworkPolicySchema.safeParse({ allowPrivate: true, allowLoopback: true }).success, false);
    assert.equal(
      NetworkPolicySchema.safeParse({ allowHosts: Array.from({ length: 201 }, (_, i) => `h${i}.example`) }).success,
      false,
    );
    assert.equal(
      NetworkPolicySchema.safeParse({ allowHosts: Array.from({ length: 200 }, (_, i) => `h${i}.example`) }).success,
      true,
    );
  });
});

describe('decide(): navis browsers’ endpoints are refused whatever the policy', () => {
  const wideOpen = policy(
    { allowPrivate: true, allowHosts: ['127.0.0.1', 'localhost', '0.0.0.0/0', '::/0'] },
    "tenant 'default'",
  );

  test('a DevTools port on 127.0.0.1 is refused even with allowPrivate and allowHosts naming the address', () => {
    assertRefused(
      decide(wideOpen, '127.0.0.1', DEVTOOLS_PORT),
      /^127\.0\.0\.1:9222 is refused/,
      /DevTools endpoint of a navis browser/,
      /no page or tenant may reach/,
    );
  });

  test('a DevTools port named by a port-specific allowHosts entry stays refused', () => {
    assertRefused(
      decide(policy({ allowHosts: [`127.0.0.1:${DEVTOOLS_PORT}`] }), '127.0.0.1', DEVTOOLS_PORT),
      /DevTools endpoint/,
    );
  });

  test('a DevTools port reached as localhost, 0.0.0.0, [::ffff:127.0.0.1] or NAT64 is refused', () => {
    assertRefused(decide(wideOpen, 'localhost', DEVTOOLS_PORT, ['127.0.0.1']), /DevTools endpoint/);
    assertRefused(decide(wideOpen, '0.0.0.0', DEVTOOLS_PORT), /DevTools endpoint/);
    assertRefused(decide(wideOpen, '::ffff:127.0.0.1', DEVTOOLS_PORT, ['127.0.0.1']), /DevTools endpoint/);
    assertRefused(decide(wideOpen, '64:ff9b::7f00:1', DEVTOOLS_PORT), /DevTools endpoint/);
  });

  test('a name that resolves to public and loopback addresses is refused on a DevTools port', () => {
    assertRefused(decide(wideOpen, 'rebind.example', DEVTOOLS_PORT, ['8.8.8.8', '127.0.0.1']), /DevTools endpoint/);
  });

  test("an egress listener's port is refused even with allowPrivate and allowHosts", () => {
    assertRefused(decide(wideOpen, '127.0.0.1', EGRESS_PORT), /navis's egress proxy/, /no page or tenant may reach/);
  });

  test('the same port number on a public address is not navis’s', () => {
    assert.deepEqual(decide(policy(), '8.8.8.8', DEVTOOLS_PORT), { ok: true });
  });
});

describe('decide(): denyHosts, then allowHosts', () => {
  test('denyHosts beats allowHosts for the same host', () => {
    const p = policy({ allowHosts: ['intranet.example'], denyHosts: ['intranet.example'] });
    assertRefused(
      decide(p, 'intranet.example', 80, ['10.0.0.5']),
      /^intranet\.example:80 is refused/,
      /network policy of tenant 'b' denies 'intranet\.example' \(denyHosts\)/,
    );
  });

  test('denyHosts refuses a public host', () => {
    assertRefused(
      decide(policy({ denyHosts: ['example.com'] }), 'example.com', 443, ['93.184.216.34']),
      /denies 'example\.com'/,
    );
  });

  test("a '*.domain' entry covers sub-domains, not the domain itself", () => {
    const p = policy({ denyHosts: ['*.example.com'] });
    assertRefused(decide(p, 'a.b.example.com', 443, ['93.184.216.34']), /denies '\*\.example\.com'/);
    assert.deepEqual(decide(p, 'example.com', 443, ['93.184.216.34']), { ok: true });
    assert.deepEqual(decide(p, 'notexample.com', 443, ['93.184.216.34']), { ok: true });
  });

  test('allowHosts by name opens a private address to a tenant without allowPrivate', () => {
    assert.deepEqual(decide(policy({ allowHosts: ['intranet.example'] }), 'intranet.example', 80, ['10.0.0.5']), {
      ok: true,
    });
  });

  test('allowHosts by IP opens loopback', () => {
    assert.deepEqual(decide(policy({ allowHosts: ['127.0.0.1'] }), '127.0.0.1', 3000), { ok: true });
  });

  test('allowHosts opens a metadata address, which allowPrivate alone does not', () => {
    assertRefused(
      decide(policy({ allowPrivate: true }), '169.254.169.254', 80),
      /cloud metadata address/,
      /open only when the network\.allowHosts of tenant 'b' names it/,
    );
    assert.deepEqual(decide(policy({ allowHosts: ['169.254.169.254'] }), '169.254.169.254', 80), { ok: true });
  });

  test('allowHosts opens a reserved address, which allowPrivate alone does not', () => {
    assertRefused(decide(policy({ allowPrivate: true }), '192.0.2.1', 80), /reserved or multicast address/);
    assert.deepEqual(decide(policy({ allowHosts: ['192.0.2.0/24'] }), '192.0.2.1', 80), { ok: true });
  });

  test("allowHosts naming navis's API port opens it; allowPrivate alone does not", () => {
    assertRefused(
      decide(policy({ allowPrivate: true }), '127.0.0.1', API_PORT),
      /navis's own API/,
      /network\.allowHosts of tenant 'b' names it/,
    );
    assert.deepEqual(decide(policy({ allowHosts: [`127.0.0.1:${API_PORT}`] }), '127.0.0.1', API_PORT), { ok: true });
  });

  test("a port-specific allowHosts entry for another port leaves navis's API refused", () => {
    assertRefused(
      decide(policy({ allowPrivate: true, allowHosts: ['127.0.0.1:3000'] }), '127.0.0.1', API_PORT),
      /navis's own API/,
    );
  });

  test('a CIDR in allowHosts opens a name only when every address it resolved to is inside', () => {
    const p = policy({ allowHosts: ['10.0.0.0/8'] });
    assert.deepEqual(decide(p, 'both.example', 80, ['10.0.0.1', '10.9.9.9']), { ok: true });
    // Not every address is inside, so the entry opens nothing: the private addresses stay refused.
    assertRefused(
      decide(p, 'mixed.example', 80, ['10.0.0.1', '192.168.0.1']),
      /^mixed\.example:80 is refused: it resolves to 10\.0\.0\.1, a private address/,
    );
  });

  test('a CIDR in denyHosts refuses a name when any address it resolved to is inside', () => {
    const p = policy({ allowPrivate: true, denyHosts: ['10.0.0.0/8'] });
    assertRefused(decide(p, 'mixed.example', 80, ['192.168.0.1', '10.0.0.1']), /denies '10\.0\.0\.0\/8'/);
    assert.deepEqual(decide(p, 'lan.example', 80, ['192.168.0.1']), { ok: true });
  });

  test('an IP entry with a port opens exactly that port', () => {
    const p = policy({ allowHosts: ['127.0.0.1:3000'] });
    assert.deepEqual(decide(p, '127.0.0.1', 3000), { ok: true });
    assertRefused(decide(p, '127.0.0.1', 3001), /^127\.0\.0\.1:3001 is refused/, /does not allow private addresses/);
  });

  test('a name entry with a port opens exactly that port', () => {
    const p = policy({ allowHosts: ['intranet.example:8080'] });
    assert.deepEqual(decide(p, 'intranet.example', 8080, ['10.0.0.5']), { ok: true });
    assertRefused(decide(p, 'intranet.example', 80, ['10.0.0.5']), /does not allow private addresses/);
  });

  test('a CIDR entry with a port opens exactly that port', () => {
    const p = policy({ allowHosts: ['10.0.0.0/8:8080'] });
    assert.deepEqual(decide(p, '10.1.2.3', 8080), { ok: true });
    assertRefused(decide(p, '10.1.2.3', 8081), /does not allow private addresses/);
  });

  test('a deny entry with a port refuses exactly that port', () => {
    const p = policy({ denyHosts: ['example.com:8443'] });
    assertRefused(decide(p, 'example.com', 8443, ['93.184.216.34']), /denies 'example\.com:8443'/);
    assert.deepEqual(decide(p, 'example.com', 443, ['93.184.216.34']), { ok: true });
  });

  test('an IP entry also matches a name that resolved to that address', () => {
    assert.deepEqual(decide(policy({ allowHosts: ['127.0.0.1'] }), 'app.localtest.example', 3000, ['127.0.0.1']), {
      ok: true,
    });
    assertRefused(
      decide(policy({ allowPrivate: true, denyHosts: ['10.0.0.5'] }), 'intranet.example', 80, ['10.0.0.5']),
      /denies '10\.0\.0\.5'/,
    );
  });

  test('a name entry does not match an IP literal, nor an IP entry another address', () => {
    assertRefused(
      decide(policy({ allowHosts: ['intranet.example'] }), '10.0.0.5', 80),
      /does not allow private addresses/,
    );
    assertRefused(decide(policy({ allowHosts: ['10.0.0.6'] }), '10.0.0.5', 80), /does not allow private addresses/);
  });

  test('an IPv4-mapped literal is matched by the IPv4 entry', () => {
    assert.deepEqual(decide(policy({ allowHosts: ['127.0.0.1:3000'] }), '::ffff:127.0.0.1', 3000, ['127.0.0.1']), {
      ok: true,
    });
    assertRefused(
      decide(policy({ allowPrivate: true, denyHosts: ['127.0.0.1'] }), '::ffff:7f00:1', 3000, ['127.0.0.1']),
      /denies '127\.0\.0\.1'/,
    );
  });
});

describe('decide(): address kinds without an entry', () => {
  test('loopback, private and link-local are refused without allowPrivate, with a message naming the host, the tenant and the fix', () => {
    for (const [address, words] of [
      ['127.0.0.1', /a loopback address \(this machine\)/],
      ['0.0.0.0', /a loopback address/],
      ['::', /a loopback address/],
      ['10.1.2.3', /a private address/],
      ['100.64.0.1', /a private address/],
      ['fd00::1', /a private address/],
      ['169.254.1.1', /a link-local address/],
      ['fe80::1', /a link-local address/],
    ] as const) {
      const decision = decide(policy(), address, 8080);
      assertRefused(
        decision,
        words,
        /network policy of tenant 'b' does not allow private addresses/,
        /network\.allowPrivate/,
        /network\.allowHosts/,
        /PATCH \/admin\/tenants\/\{id\}/,
      );
    }
  });

  test('the message names the resolved address when a name resolved to it', () => {
    assertRefused(
      decide(policy(), 'rebind.example', 80, ['127.0.0.1']),
      /^rebind\.example:80 is refused: it resolves to 127\.0\.0\.1, a loopback address/,
    );
  });

  test('an IPv6 host is shown bracketed with its port', () => {
    assertRefused(decide(policy(), '::1', 8080), /^\[::1\]:8080 is refused/);
  });

  test('allowPrivate opens loopback, private and link-local', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '192.168.1.1', 'fd00::1', '169.254.1.1', 'fe80::1']) {
      assert.deepEqual(decide(policy({ allowPrivate: true }), address, 8080), { ok: true }, address);
    }
  });

  test('metadata is refused even with allowPrivate, in every form', () => {
    for (const address of [
      '169.254.169.254',
      '::ffff:169.254.169.254',
      'fd00:ec2::254',
      '100.100.100.200',
      '64:ff9b::a9fe:a9fe',
    ]) {
      assertRefused(decide(policy({ allowPrivate: true }), address, 80), /cloud metadata address/);
    }
  });

  test('a name is refused when any one of its addresses is', () => {
    assertRefused(
      decide(policy(), 'split.example', 443, ['93.184.216.34', '10.0.0.1']),
      /resolves to 10\.0\.0\.1, a private address/,
    );
  });

  test('the public web is open', () => {
    assert.deepEqual(decide(policy(), 'example.com', 443, ['93.184.216.34', '2606:2800:220:1::']), { ok: true });
    assert.deepEqual(decide(policy(), '8.8.8.8', 53), { ok: true });
  });
});

describe('refusesName(): decided before any lookup', () => {
  test("'localhost' and '*.localhost' are refused without allowPrivate", () => {
    for (const host of ['localhost', 'app.localhost']) {
      const decision = policy().refusesName(host, 3000);
      assertRefused(
        decision,
        new RegExp(`^${host.replace('.', '\\.')}:3000 is refused: it names this machine`),
        /tenant 'b' does not allow private addresses/,
      );
    }
  });

  test("'localhost' passes with allowPrivate or an allowHosts entry naming it", () => {
    assert.deepEqual(policy({ allowPrivate: true }).refusesName('localhost', 3000), { ok: true });
    assert.deepEqual(policy({ allowHosts: ['localhost:3000'] }).refusesName('localhost', 3000), { ok: true });
  });

  test('denyHosts by name is refused before a lookup', () => {
    assertRefused(
      policy({ denyHosts: ['tracker.example'] }).refusesName('tracker.example', 443),
      /denies 'tracker\.example'/,
    );
  });
});

describe('URL schemes', () => {
  const closed = { allowFileUrls: false };
  const fileOpen = { allowFileUrls: true };

  for (const url of [
    'http://example.com/',
    'https://example.com/a?b#c',
    'about:blank',
    'about:blank#top',
    'HTTP://EXAMPLE.COM/',
  ]) {
    test(`${url} may be opened`, () => assert.equal(schemeRefusal(url, closed), undefined));
  }

  const refused: Array<[string, RegExp]> = [
    ['about:srcdoc', /of about: URLs only about:blank may be opened/],
    ['about:version', /of about: URLs only about:blank/],
    ['file:///etc/passwd', /file: URLs are refused.*NAVIS_ALLOW_FILE_URLS=true/],
    [
      'view-source:file:///etc/passwd',
      /^view-source: URLs are refused: navis opens only http:, https: and about:blank/,
    ],
    ['view-source:http://example.com/', /^view-source: URLs are refused/],
    ['chrome://version', /^chrome: URLs are refused/],
    ['devtools://devtools/bundled/inspector.html', /^devtools: URLs are refused/],
    ['javascript:alert(1)', /^javascript: URLs are refused/],
    ['data:text/html,<h1>x</h1>', /^data: URLs are refused/],
    ['blob:https://example.com/0b2f2f1c-0000-4000-8000-000000000000', /^blob: URLs are refused/],
    ['filesystem:https://example.com/temporary/x', /^filesystem: URLs are refused/],
    ['chrome-extension://abcdefghijklmnop/page.html', /^chrome-extension: URLs are refused/],
    ['ftp://example.com/file', /^ftp: URLs are refused/],
    ['ws://example.com/socket', /^ws: URLs are refused/],
  ];
  for (const [url, message] of refused) {
    test(`${url} is refused with a message naming the scheme`, () => {
      const refusal = schemeRefusal(url, closed);
      assert.ok(refusal, 'accepted');
      assert.match(refusal, message);
    });
  }

  test('every refusal other than about: names the setting that allows file:', () => {
    for (const [url] of refused.filter(([u]) => !u.startsWith('about:')))
      assert.match(schemeRefusal(url, closed)!, /NAVIS_ALLOW_FILE_URLS/, url);
  });

  test('file: may be opened only with allowFileUrls', () => {
    assert.equal(schemeRefusal('file:///tmp/page.html', fileOpen), undefined);
    assert.ok(schemeRefusal('file:///tmp/page.html', closed));
  });

  test('allowFileUrls opens file: and nothing else', () => {
    for (const url of [
      'view-source:file:///etc/passwd',
      'chrome://version',
      'javascript:1',
      'data:text/plain,x',
      'about:srcdoc',
    ]) {
      assert.ok(schemeRefusal(url, fileOpen), url);
    }
  });

  test('a relative or scheme-less URL is refused as no absolute URL', () => {
    for (const url of ['example.com', '/etc/passwd', '//example.com/'])
      assert.match(schemeRefusal(url, closed)!, /is not an absolute URL \(include the scheme/, url);
  });

  test('checkScheme throws 400 URL_NOT_ALLOWED for a refused scheme and 400 INVALID_REQUEST for no URL', () => {
    assert.throws(
      () => checkScheme('file:///etc/passwd', closed),
      (error: unknown) => {
        assert.ok(error instanceof NavisError);
        assert.equal(error.code, 'URL_NOT_ALLOWED');
        assert.equal(error.status, 400);
        assert.deepEqual(error.details, { url: 'file:///etc/passwd' });
        return true;
      },
    );
    assert.throws(
      () => checkScheme('not a url', closed),
      (error: unknown) => error instanceof NavisError && error.code === 'INVALID_REQUEST' && error.status === 400,
    );
    assert.doesNotThrow(() => checkScheme('https://example.com/', closed));
  });

  test('leading spaces and control characters do not smuggle a scheme past the check', () => {
    // The URL parser strips them, as Chromium does: what is checked is what would be opened.
    assert.match(schemeRefusal(' \tjavascript:alert(1)', closed)!, /^javascript: URLs are refused/);
    assert.match(schemeRefusal('\u0000file:///etc/passwd', closed)!, /file: URLs are refused/);
    assert.match(schemeRefusal('jav\tascript:alert(1)', closed)!, /^javascript: URLs are refused/);
  });
});
