// The /api/sites guard's decision, for listen addresses a test should not bind (0.0.0.0) as well as
// loopback: who a request acts as, and which requests are refused (403, 415, 401) and why.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideSiteAccess, type SiteGuardSettings } from '../../src/api/sites/guard.js';
import { NavisError } from '../../src/errors.js';

const LOOPBACK: SiteGuardSettings = { host: '127.0.0.1', port: 8787 };
const EVERYWHERE: SiteGuardSettings = { host: '0.0.0.0', port: 8787 };

const refusal = (status: number, message?: RegExp) => (error: unknown) => {
  assert.ok(error instanceof NavisError, String(error));
  assert.equal(error.status, status);
  if (message) assert.match(error.message, message);
  return true;
};

describe('navis listening on 0.0.0.0', () => {
  test('a keyless request answers 401 saying a key is required', () => {
    assert.throws(
      () => decideSiteAccess(EVERYWHERE, { headers: { host: '127.0.0.1:8787' } }),
      refusal(401, /API key required.*X-API-Key/),
    );
  });

  test('a request with a key acts as the key, whatever its Host', () => {
    assert.deepEqual(decideSiteAccess(EVERYWHERE, { headers: { host: '192.168.1.5:8787' }, apiKey: 'k' }), {
      as: 'api-key',
      key: 'k',
    });
    assert.deepEqual(decideSiteAccess(EVERYWHERE, { headers: { host: 'navis.lan' }, apiKey: 'k' }), {
      as: 'api-key',
      key: 'k',
    });
  });

  test('a foreign Origin is refused even with a key', () => {
    assert.throws(
      () =>
        decideSiteAccess(EVERYWHERE, {
          headers: { host: '192.168.1.5:8787', origin: 'http://evil.example' },
          apiKey: 'k',
        }),
      refusal(403, /origin 'http:\/\/evil\.example' refused/),
    );
  });

  test("a page navis served (Origin equal to the request's own address) may call with a key", () => {
    const facts = { headers: { host: '192.168.1.5:8787', origin: 'http://192.168.1.5:8787' }, apiKey: 'k' };
    assert.deepEqual(decideSiteAccess(EVERYWHERE, facts), { as: 'api-key', key: 'k' });
  });

  test('the Origin of NAVIS_PUBLIC_URL is navis itself', () => {
    const facts = { headers: { host: 'internal:8787', origin: 'https://navis.example.com' }, apiKey: 'k' };
    assert.deepEqual(decideSiteAccess({ ...EVERYWHERE, publicUrl: 'https://navis.example.com/' }, facts), {
      as: 'api-key',
      key: 'k',
    });
  });
});

describe('navis listening on loopback', () => {
  test('keyless requests addressed to a loopback name act as the default tenant', () => {
    for (const host of ['127.0.0.1:8787', 'localhost:8787', '[::1]:8787', '127.0.0.1', 'LOCALHOST:9999']) {
      assert.deepEqual(decideSiteAccess(LOOPBACK, { headers: { host } }), { as: 'default-tenant' }, host);
    }
  });

  test('::1 and localhost count as loopback listen addresses', () => {
    assert.deepEqual(decideSiteAccess({ host: '::1', port: 8787 }, { headers: { host: '[::1]:8787' } }), {
      as: 'default-tenant',
    });
    assert.deepEqual(decideSiteAccess({ host: 'localhost', port: 8787 }, { headers: { host: 'localhost:8787' } }), {
      as: 'default-tenant',
    });
  });

  test('a keyless request addressed to another name is refused (DNS rebinding)', () => {
    for (const host of ['evil.example:8787', 'evil.example', '127.0.0.1.evil.example:8787', '192.168.1.5:8787']) {
      assert.throws(
        () => decideSiteAccess(LOOPBACK, { headers: { host } }),
        refusal(403, /refused: without an API key.*127\.0\.0\.1/),
        host,
      );
    }
    assert.throws(() => decideSiteAccess(LOOPBACK, { headers: {} }), refusal(403, /without a Host header/));
  });

  test('a request with a key skips the Host check', () => {
    assert.deepEqual(decideSiteAccess(LOOPBACK, { headers: { host: 'evil.example' }, apiKey: 'k' }), {
      as: 'api-key',
      key: 'k',
    });
  });

  test('Origin of navis on any loopback name at its port is allowed; another port or site is refused', () => {
    const at =
      (origin: string, host = 'localhost:8787') =>
      () =>
        decideSiteAccess(LOOPBACK, { headers: { host, origin } });
    assert.deepEqual(at('http://127.0.0.1:8787', '127.0.0.1:8787')(), { as: 'default-tenant' });
    assert.deepEqual(at('http://localhost:8787')(), { as: 'default-tenant' });
    assert.throws(at('http://localhost:3000'), refusal(403));
    assert.throws(at('http://evil.example'), refusal(403, /only answers its own pages \(http:\/\/127\.0\.0\.1:8787\)/));
    assert.throws(at('null'), refusal(403));
  });

  test('Sec-Fetch-Site: cross-site is refused; same-origin and none are not', () => {
    assert.throws(
      () => decideSiteAccess(LOOPBACK, { headers: { host: '127.0.0.1:8787', 'sec-fetch-site': 'cross-site' } }),
      refusal(403, /cross-site/),
    );
    for (const site of ['same-origin', 'none']) {
      assert.deepEqual(decideSiteAccess(LOOPBACK, { headers: { host: '127.0.0.1:8787', 'sec-fetch-site': site } }), {
        as: 'default-tenant',
      });
    }
  });
});

describe('request bodies', () => {
  const withBody = (headers: Record<string, string>) => () =>
    decideSiteAccess(LOOPBACK, { headers: { host: '127.0.0.1:8787', 'content-length': '5', ...headers } });

  test('JSON bodies are accepted, with or without a charset', () => {
    assert.deepEqual(withBody({ 'content-type': 'application/json' })(), { as: 'default-tenant' });
    assert.deepEqual(withBody({ 'content-type': 'Application/JSON; charset=utf-8' })(), { as: 'default-tenant' });
  });

  test('any other body answers 415 saying to send JSON', () => {
    assert.throws(
      withBody({ 'content-type': 'text/plain' }),
      refusal(415, /Unsupported Content-Type 'text\/plain'.*application\/json/),
    );
    assert.throws(withBody({ 'content-type': 'application/x-www-form-urlencoded' }), refusal(415));
    assert.throws(withBody({}), refusal(415, /Missing Content-Type/));
    assert.throws(
      () =>
        decideSiteAccess(LOOPBACK, {
          headers: { host: '127.0.0.1', 'transfer-encoding': 'chunked', 'content-type': 'text/plain' },
        }),
      refusal(415),
    );
  });

  test('a request without a body may carry any Content-Type', () => {
    assert.deepEqual(withBody({ 'content-length': '0', 'content-type': 'text/plain' })(), { as: 'default-tenant' });
  });
});
