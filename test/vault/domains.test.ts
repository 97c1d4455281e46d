// Which hosts a credential may be filled into (hostAllowed), and which allowedDomains entries are
// accepted and how they are stored (normalizeAllowedDomains).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hostAllowed, normalizeAllowedDomains } from '../../src/vault/domains.js';

const hostOf = (url: string) => new URL(url).hostname;

describe('hostAllowed', () => {
  const matrix: Array<[string, string[], boolean]> = [
    // exact entries
    ['example.com', ['example.com'], true],
    ['www.example.com', ['example.com'], false],
    ['example.org', ['example.com'], false],
    // sub-domain wildcards: any depth, never the apex
    ['login.example.com', ['*.example.com'], true],
    ['a.b.c.example.com', ['*.example.com'], true],
    ['example.com', ['*.example.com'], false],
    ['example.com', ['example.com', '*.example.com'], true],
    // lookalikes
    ['example.com.evil.org', ['example.com'], false],
    ['example.com.evil.org', ['*.example.com'], false],
    ['evilexample.com', ['example.com'], false],
    ['evilexample.com', ['*.example.com'], false],
    ['login.example.com.evil.org', ['*.example.com'], false],
    ['example.co', ['example.com'], false],
    // case and trailing dot
    ['LOGIN.Example.COM', ['login.example.com'], true],
    ['login.example.com.', ['login.example.com'], true],
    ['login.example.com', ['LOGIN.EXAMPLE.COM.'], true],
    ['a.example.com.', ['*.example.com'], true],
    // IDN: the URL parser's punycode form, and the Unicode form, are the same host
    [hostOf('https://bücher.example/'), ['xn--bcher-kva.example'], true],
    ['bücher.example', ['xn--bcher-kva.example'], true],
    [hostOf('https://shop.bücher.example/'), ['*.xn--bcher-kva.example'], true],
    // a Cyrillic "а" lookalike is another host
    [hostOf('https://exаmple.com/'), ['example.com'], false],
    // addresses
    ['127.0.0.1', ['127.0.0.1'], true],
    ['127.0.0.2', ['127.0.0.1'], false],
    [hostOf('http://[::1]:8080/'), ['[::1]'], true],
    // nothing listed, nothing given
    ['example.com', [], false],
    ['', ['example.com'], false],
  ];
  for (const [host, allowed, expected] of matrix) {
    test(`${JSON.stringify(host)} with ${JSON.stringify(allowed)} is ${expected ? 'allowed' : 'refused'}`, () => {
      assert.equal(hostAllowed(host, allowed), expected);
    });
  }
});

describe('normalizeAllowedDomains', () => {
  test('lower-cases, drops a trailing dot and duplicates, and keeps wildcards', () => {
    assert.deepEqual(normalizeAllowedDomains(['Example.COM.', 'example.com', '*.Example.com', ' login.example.org ']), [
      'example.com',
      '*.example.com',
      'login.example.org',
    ]);
  });

  test('stores an IDN in the punycode form the URL parser gives', () => {
    assert.deepEqual(normalizeAllowedDomains(['Bücher.example', '*.bücher.example']), [
      'xn--bcher-kva.example',
      '*.xn--bcher-kva.example',
    ]);
  });

  test('accepts localhost, IPv4 and bracketed IPv6 as exact hosts', () => {
    assert.deepEqual(normalizeAllowedDomains(['localhost', '127.0.0.1', '[::1]']), ['localhost', '127.0.0.1', '[::1]']);
  });

  test('accepts a wildcard over a registrable domain under a country suffix', () => {
    assert.deepEqual(normalizeAllowedDomains(['*.bank.co.uk', '*.me.github.io']), ['*.bank.co.uk', '*.me.github.io']);
  });

  const refused: Array<[string, RegExp]> = [
    ['*', /bare '\*' would allow every site/],
    ['*.com', /would cover sites of many different owners/],
    ['*.co.uk', /would cover sites of many different owners/],
    ['*.com.au', /would cover sites of many different owners/],
    ['*.github.io', /would cover sites of many different owners/],
    ['https://example.com', /without scheme, path or port/],
    ['example.com/login', /without scheme, path or port/],
    ['example.com:8443', /without scheme, path or port/],
    ['user@example.com', /without scheme, path or port/],
    ['*example.com', /wildcard is allowed only as the whole first label/],
    ['login.*.example.com', /wildcard is allowed only as the whole first label/],
    ['*.*.example.com', /wildcard is allowed only as the whole first label/],
    ['exa mple.com', /not a valid hostname/],
    ['', /not a valid hostname/],
    ['*.127.0.0.1', /cannot cover an IP address/],
    ['*.[::1]', /cannot cover an IP address/],
  ];
  for (const [entry, message] of refused) {
    test(`${JSON.stringify(entry)} is refused naming the entry`, () => {
      assert.throws(
        () => normalizeAllowedDomains(['ok.example', entry]),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'INVALID_REQUEST');
          assert.match(error.message, /'allowedDomains\.1'/);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  test('an empty list is refused', () => {
    assert.throws(() => normalizeAllowedDomains([]), /list at least one hostname/);
  });
});
