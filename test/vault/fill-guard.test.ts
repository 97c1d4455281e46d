// Where a credential may be typed (placeRefusal): its allowedDomains, and https unless the host is
// loopback or the credential allows plain http. The browser side of the same rule (every frame, right
// before each fill) is tested against real pages in test/tasks/authenticate.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLoopbackHost, placeRefusal, type FillPolicy } from '../../src/vault/fill-guard.js';

const strict = (allowedDomains: string[]): FillPolicy => ({ allowedDomains, allowInsecure: false });
const lax = (allowedDomains: string[]): FillPolicy => ({ allowedDomains, allowInsecure: true });

/** The reason of the refusal, or 'ok'. */
const verdict = (url: string, policy: FillPolicy) =>
  (placeRefusal(url, policy)?.details?.reason as string | undefined) ?? 'ok';

describe('isLoopbackHost', () => {
  for (const host of [
    'localhost',
    'LOCALHOST',
    'localhost.',
    'app.localhost',
    '127.0.0.1',
    '127.1.2.3',
    '127.255.255.255',
    '[::1]',
  ]) {
    test(`${host} is loopback`, () => assert.equal(isLoopbackHost(host), true));
  }
  for (const host of [
    'example.com',
    'localhost.example.com',
    'mylocalhost',
    '128.0.0.1',
    '10.0.0.1',
    '192.168.1.1',
    '0.0.0.0',
    '[::2]',
    '[fe80::1]',
    '127.0.0.1.example.com',
  ]) {
    test(`${host} is not loopback`, () => assert.equal(isLoopbackHost(host), false));
  }
  test('a URL parser hostname of a loopback address is loopback (127.1 becomes 127.0.0.1)', () => {
    assert.equal(isLoopbackHost(new URL('http://127.1:8080/').hostname), true);
    assert.equal(isLoopbackHost(new URL('http://[0:0:0:0:0:0:0:1]/').hostname), true);
  });
});

describe('placeRefusal', () => {
  const matrix: Array<[string, FillPolicy, string]> = [
    // https on an allowed host: always fine
    ['https://login.example.com/signin', strict(['login.example.com']), 'ok'],
    ['https://a.b.example.com:8443/x', strict(['*.example.com']), 'ok'],
    // plain http on a host that is not loopback: only with allowInsecure
    ['http://login.example.com/signin', strict(['login.example.com']), 'insecure_page'],
    ['http://login.example.com/signin', lax(['login.example.com']), 'ok'],
    ['http://192.168.1.10/login', strict(['192.168.1.10']), 'insecure_page'],
    ['http://192.168.1.10/login', lax(['192.168.1.10']), 'ok'],
    // plain http on loopback: fine without allowInsecure
    ['http://127.0.0.1:3000/login', strict(['127.0.0.1']), 'ok'],
    ['http://localhost:3000/login', strict(['localhost']), 'ok'],
    ['http://app.localhost/login', strict(['app.localhost']), 'ok'],
    ['http://[::1]:8080/login', strict(['[::1]']), 'ok'],
    // the host rule comes first, whatever the scheme
    ['https://attacker.example/login', lax(['login.example.com']), 'domain_mismatch'],
    ['http://attacker.example/login', strict(['login.example.com']), 'domain_mismatch'],
    ['http://localhost:3000/login', strict(['127.0.0.1']), 'domain_mismatch'],
    ['https://login.example.com.attacker.example/', strict(['login.example.com']), 'domain_mismatch'],
    // documents without a host of their own are never a place for a secret
    ['about:blank', lax(['login.example.com']), 'domain_mismatch'],
    ['about:srcdoc', lax(['login.example.com']), 'domain_mismatch'],
    ['data:text/html,<input type=password>', lax(['login.example.com']), 'domain_mismatch'],
    ['file:///etc/passwd', lax(['localhost']), 'domain_mismatch'],
    ['ftp://login.example.com/', lax(['login.example.com']), 'domain_mismatch'],
    ['', lax(['login.example.com']), 'domain_mismatch'],
    ['not a url', lax(['login.example.com']), 'domain_mismatch'],
  ];
  for (const [url, policy, expected] of matrix) {
    test(`${url || "''"} with ${JSON.stringify(policy)} → ${expected}`, () =>
      assert.equal(verdict(url, policy), expected));
  }

  test('a host mismatch is 422 DOMAIN_MISMATCH naming the host and the allowed domains', () => {
    const refusal = placeRefusal('https://attacker.example/login', strict(['login.example.com', '*.example.org']))!;
    assert.equal(refusal.code, 'DOMAIN_MISMATCH');
    assert.equal(refusal.status, 422);
    assert.deepEqual(refusal.details, { reason: 'domain_mismatch' });
    assert.match(
      refusal.message,
      /^domain_mismatch: the page is on 'attacker\.example', which is not one of the credential's allowedDomains \(login\.example\.com, \*\.example\.org\)/,
    );
  });

  test('a frame is named as such in the message', () => {
    const refusal = placeRefusal(
      'https://widgets.example.net/form',
      strict(['login.example.com']),
      'the password field is in a frame that',
    )!;
    assert.match(
      refusal.message,
      /^domain_mismatch: the password field is in a frame that is on 'widgets\.example\.net'/,
    );
  });

  test('plain http is 422 naming the rule and the allowInsecure setting', () => {
    const refusal = placeRefusal('http://login.example.com/', strict(['login.example.com']))!;
    assert.equal(refusal.status, 422);
    assert.equal(refusal.code, 'ACTION_FAILED');
    assert.deepEqual(refusal.details, { reason: 'insecure_page' });
    assert.match(refusal.message, /^insecure_page: the page is plain http on 'login\.example\.com'/);
    assert.match(refusal.message, /only over https, or over http on a loopback host/);
    assert.match(refusal.message, /allowInsecure: true/);
  });
});
