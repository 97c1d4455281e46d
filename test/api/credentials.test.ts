// Contract of the credential vault under /browser/credentials: every route and status, the exact
// keys of each body, tenant isolation, and that username, password and TOTP secret never come
// back out: not in a response, not in an error, not in a log line.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const VIEW_KEYS = ['allowedDomains', 'createdAt', 'hasTotp', 'id', 'name', 'updatedAt'];
const NOT_FOUND = { error: 'Credential not found', code: 'CREDENTIAL_NOT_FOUND' };

// Distinctive values, so a leak anywhere is found by a plain substring search.
const SECRETS = {
  username: 'vault-user-4f7b@example.com',
  password: 'vault-pass-Q8z!r2Lm#',
  totpSecret: 'KRUGS4ZANFZSAYJAOZQXK3DUEBZWKY3S',
  newPassword: 'vault-pass-second-Xy71',
  newTotpSecret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U',
  wrongTypePassword: 987_654_321_012_345,
  badTotp: 'not-base32-VAULTSECRET-0987!',
  malformedJsonPassword: 'vault-pass-in-bad-json-Pw55',
};

let navis: TestNavis;
let otherKey: string;
const responses: string[] = [];

/** navis.request, keeping every response body for the leak checks at the end. */
async function call(method: string, urlPath: string, opts: Parameters<TestNavis['request']>[2] = {}) {
  const res = await navis.request(method, urlPath, opts);
  responses.push(res.text, JSON.stringify(Object.fromEntries(res.headers)));
  return res;
}

const validBody = (over: Record<string, unknown> = {}) => ({
  name: 'example login',
  allowedDomains: ['login.example.com', '*.example.org'],
  username: SECRETS.username,
  password: SECRETS.password,
  ...over,
});

async function create(over: Record<string, unknown> = {}, key = ADMIN_KEY): Promise<Record<string, any>> {
  const res = await call('POST', '/browser/credentials', { key, body: validBody(over) });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

const adminTenant = () => navis.navis.services.tenants.authenticate(ADMIN_KEY).tenantId;

before(async () => {
  navis = await startNavis({ poolSize: 0 });
  otherKey = await navis.newTenant('other');
});
after(async () => {
  await navis.close();
});

describe('POST /browser/credentials', () => {
  test('answers 201 with exactly id, name, allowedDomains, hasTotp, createdAt and updatedAt', async () => {
    const res = await call('POST', '/browser/credentials', { body: validBody({ totpSecret: SECRETS.totpSecret }) });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), VIEW_KEYS);
    assert.match(res.body.id, UUID);
    assert.equal(res.body.name, 'example login');
    assert.deepEqual(res.body.allowedDomains, ['login.example.com', '*.example.org']);
    assert.equal(res.body.hasTotp, true);
    assert.match(res.body.createdAt, ISO_8601);
    assert.equal(res.body.updatedAt, res.body.createdAt);
  });

  test('without totpSecret hasTotp is false', async () => {
    assert.equal((await create()).hasTotp, false);
  });

  test('domains come back canonical: lower-case, no trailing dot, IDN as punycode, no duplicates', async () => {
    const created = await create({ allowedDomains: ['Login.Example.COM.', 'login.example.com', 'Bücher.example'] });
    assert.deepEqual(created.allowedDomains, ['login.example.com', 'xn--bcher-kva.example']);
  });

  test('an otpauth URI is accepted as totpSecret', async () => {
    const created = await create({ totpSecret: `otpauth://totp/Example:me?secret=${SECRETS.totpSecret}&digits=8&period=60` });
    assert.equal(created.hasTotp, true);
    const { totp } = navis.navis.services.vault.reveal(adminTenant(), created.id);
    assert.deepEqual(totp, { secret: SECRETS.totpSecret, digits: 8, period: 60, algorithm: 'sha1' });
  });

  test("a bare '*' domain answers 400 INVALID_REQUEST naming allowedDomains", async () => {
    const res = await call('POST', '/browser/credentials', { body: validBody({ allowedDomains: ['*'] }) });
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.body).sort(), ['code', 'error']);
    assert.equal(res.body.code, 'INVALID_REQUEST');
    assert.match(res.body.error, /'allowedDomains\.0'/);
    assert.match(res.body.error, /bare '\*'/);
  });

  test("a public-suffix wildcard such as '*.co.uk' answers 400 naming allowedDomains", async () => {
    const res = await call('POST', '/browser/credentials', { body: validBody({ allowedDomains: ['example.com', '*.co.uk'] }) });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /'allowedDomains\.1'/);
  });

  test('a URL instead of a hostname answers 400 saying to give the hostname only', async () => {
    const res = await call('POST', '/browser/credentials', { body: validBody({ allowedDomains: ['https://example.com/login'] }) });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /without scheme, path or port/);
  });

  test('an empty allowedDomains answers 400 naming allowedDomains', async () => {
    const res = await call('POST', '/browser/credentials', { body: validBody({ allowedDomains: [] }) });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /'allowedDomains'/);
  });

  for (const field of ['name', 'allowedDomains', 'username', 'password']) {
    test(`a missing ${field} answers 400 naming ${field}`, async () => {
      const body: Record<string, unknown> = validBody();
      delete body[field];
      const res = await call('POST', '/browser/credentials', { body });
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'INVALID_REQUEST');
      assert.match(res.body.error, new RegExp(`'${field}'`));
    });
  }

  test('a password that is not a string answers 400 naming password without echoing it', async () => {
    const res = await call('POST', '/browser/credentials', { body: validBody({ password: SECRETS.wrongTypePassword }) });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /'password'/);
  });

  test('an invalid totpSecret answers 400 naming totpSecret without echoing it', async () => {
    const res = await call('POST', '/browser/credentials', { body: validBody({ totpSecret: SECRETS.badTotp }) });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'INVALID_REQUEST');
    assert.match(res.body.error, /'totpSecret'/);
  });

  test('an unknown field answers 400 naming it', async () => {
    const res = await call('POST', '/browser/credentials', { body: validBody({ pasword: 'typo' }) });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /'pasword'/);
  });

  test('a body that is not valid JSON answers 400 without echoing what it held', async () => {
    const rawBody = `{"name": "x", "allowedDomains": ["a.example"], "username": "u", "password": "${SECRETS.malformedJsonPassword}" oops}`;
    const res = await call('POST', '/browser/credentials', { rawBody, headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'INVALID_REQUEST');
  });

  test('a missing API key answers 401', async () => {
    const res = await call('POST', '/browser/credentials', { key: null, body: validBody() });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'Invalid API key', code: 'UNAUTHORIZED' });
  });
});

describe('GET /browser/credentials', () => {
  test('answers {credentials: [...]} with the view keys only, holding a created credential', async () => {
    const created = await create({ name: 'listed' });
    const res = await call('GET', '/browser/credentials');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['credentials']);
    for (const c of res.body.credentials) assert.deepEqual(Object.keys(c).sort(), VIEW_KEYS);
    assert.deepEqual(res.body.credentials.find((c: any) => c.id === created.id), created);
  });
});

describe('GET, PATCH and DELETE /browser/credentials/{id}', () => {
  test('GET answers the credential as it was created', async () => {
    const created = await create({ name: 'read me' });
    const res = await call('GET', `/browser/credentials/${created.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, created);
  });

  test('PATCH of name and allowedDomains answers the changed view and moves updatedAt', async () => {
    const created = await create({ name: 'before' });
    await new Promise((r) => setTimeout(r, 5));
    const res = await call('PATCH', `/browser/credentials/${created.id}`, { body: { name: 'after', allowedDomains: ['new.example.com'] } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), VIEW_KEYS);
    assert.equal(res.body.name, 'after');
    assert.deepEqual(res.body.allowedDomains, ['new.example.com']);
    assert.equal(res.body.createdAt, created.createdAt);
    assert.ok(res.body.updatedAt > created.updatedAt);
    assert.deepEqual((await call('GET', `/browser/credentials/${created.id}`)).body, res.body);
  });

  test('PATCH of password replaces it and keeps the username', async () => {
    const created = await create();
    const res = await call('PATCH', `/browser/credentials/${created.id}`, { body: { password: SECRETS.newPassword } });
    assert.equal(res.status, 200, res.text);
    const revealed = navis.navis.services.vault.reveal(adminTenant(), created.id);
    assert.equal(revealed.password, SECRETS.newPassword);
    assert.equal(revealed.username, SECRETS.username);
  });

  test('PATCH of totpSecret adds or replaces it, and totpSecret: null removes it', async () => {
    const created = await create();
    const added = await call('PATCH', `/browser/credentials/${created.id}`, { body: { totpSecret: SECRETS.totpSecret } });
    assert.equal(added.body.hasTotp, true);
    await call('PATCH', `/browser/credentials/${created.id}`, { body: { totpSecret: SECRETS.newTotpSecret } });
    assert.equal(navis.navis.services.vault.reveal(adminTenant(), created.id).totp?.secret, SECRETS.newTotpSecret);
    const removed = await call('PATCH', `/browser/credentials/${created.id}`, { body: { totpSecret: null } });
    assert.equal(removed.status, 200);
    assert.equal(removed.body.hasTotp, false);
    assert.equal(navis.navis.services.vault.reveal(adminTenant(), created.id).totp, undefined);
  });

  test('PATCH with an empty body answers 400 saying which fields it takes', async () => {
    const created = await create();
    const res = await call('PATCH', `/browser/credentials/${created.id}`, { body: {} });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /at least one of name, allowedDomains, username, password, totpSecret/);
  });

  test("PATCH to a bare '*' domain answers 400 and leaves the credential as it was", async () => {
    const created = await create();
    const res = await call('PATCH', `/browser/credentials/${created.id}`, { body: { allowedDomains: ['*'] } });
    assert.equal(res.status, 400);
    assert.deepEqual((await call('GET', `/browser/credentials/${created.id}`)).body, created);
  });

  test('PATCH with an invalid totpSecret answers 400 naming totpSecret', async () => {
    const created = await create();
    const res = await call('PATCH', `/browser/credentials/${created.id}`, { body: { totpSecret: SECRETS.badTotp } });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /'totpSecret'/);
  });

  test('DELETE answers 204, after which GET answers 404 and the list leaves it out', async () => {
    const created = await create({ name: 'delete me' });
    const res = await call('DELETE', `/browser/credentials/${created.id}`);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    const gone = await call('GET', `/browser/credentials/${created.id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, NOT_FOUND);
    const list = await call('GET', '/browser/credentials');
    assert.ok(!list.body.credentials.some((c: any) => c.id === created.id));
  });

  for (const method of ['GET', 'PATCH', 'DELETE']) {
    test(`${method} of an unknown id answers 404 CREDENTIAL_NOT_FOUND`, async () => {
      const res = await call(method, `/browser/credentials/${randomUUID()}`, method === 'PATCH' ? { body: { name: 'x' } } : {});
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, NOT_FOUND);
    });
  }
});

describe('tenant isolation', () => {
  test("another tenant's credential answers 404 to GET, PATCH and DELETE and is left unchanged", async () => {
    const created = await create({ name: 'admin only' });
    for (const [method, opts] of [['GET', {}], ['PATCH', { body: { name: 'stolen' } }], ['DELETE', {}]] as const) {
      const res = await call(method, `/browser/credentials/${created.id}`, { key: otherKey, ...opts });
      assert.equal(res.status, 404, `${method}: ${res.text}`);
      assert.deepEqual(res.body, NOT_FOUND);
    }
    assert.deepEqual((await call('GET', `/browser/credentials/${created.id}`)).body, created);
  });

  test("a tenant's list holds only its own credentials", async () => {
    const mine = await create({ name: 'other tenant' }, otherKey);
    const theirs = await call('GET', '/browser/credentials', { key: otherKey });
    assert.deepEqual(theirs.body.credentials, [mine]);
    const admins = await call('GET', '/browser/credentials');
    assert.ok(!admins.body.credentials.some((c: any) => c.id === mine.id));
  });
});

describe('secrets never leave the vault', () => {
  const values = Object.entries(SECRETS).map(([what, value]) => [what, String(value)] as const);

  test('no response body or header holds a username, password or TOTP secret', () => {
    assert.ok(responses.length > 40, 'the tests above should have made many requests');
    for (const [what, value] of values) {
      const leaks = responses.filter((text) => text.includes(value));
      assert.deepEqual(leaks, [], `${what} appeared in a response`);
    }
  });

  test('no log line holds a username, password or TOTP secret', () => {
    assert.ok(navis.logs.length > 40, 'expected request logs');
    for (const [what, value] of values) {
      const leaks = navis.logs.filter((line) => line.includes(value));
      assert.deepEqual(leaks, [], `${what} appeared in a log line`);
    }
  });
});
