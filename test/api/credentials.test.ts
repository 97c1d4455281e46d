// Contract of the credential vault under /browser/credentials: every route and status, the exact
// keys of each body, tenant isolation, that re-binding a credential to other sites takes its
// password, and that username, password and TOTP secret never come back out: not in a response,
// not in an error, not in a log line.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const VIEW_KEYS = ['allowInsecure', 'allowedDomains', 'createdAt', 'hasTotp', 'id', 'name', 'updatedAt'];
const NOT_FOUND = { error: 'Credential not found', code: 'CREDENTIAL_NOT_FOUND' };

// Distinctive values, so a leak anywhere is found by a plain substring search.
const SECRETS = {
  username: 'vault-user-4f7b@example.com',
  password: 'vault-pass-Q8z!r2Lm#',
  totpSecret: 'KRUGS4ZANFZSAYJAOZQXK3DUEBZWKY3S',
  newPassword: 'vault-pass-second-Xy71',
  wrongPassword: 'vault-pass-wrong-Tq3$Jd',
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
  test('answers 201 with exactly id, name, allowedDomains, hasTotp, allowInsecure, createdAt and updatedAt', async () => {
    const res = await call('POST', '/browser/credentials', { body: validBody({ totpSecret: SECRETS.totpSecret }) });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), VIEW_KEYS);
    assert.match(res.body.id, UUID);
    assert.equal(res.body.name, 'example login');
    assert.deepEqual(res.body.allowedDomains, ['login.example.com', '*.example.org']);
    assert.equal(res.body.hasTotp, true);
    assert.equal(res.body.allowInsecure, false);
    assert.match(res.body.createdAt, ISO_8601);
    assert.equal(res.body.updatedAt, res.body.createdAt);
  });

  test('without totpSecret hasTotp is false', async () => {
    assert.equal((await create()).hasTotp, false);
  });

  test('allowInsecure: true is kept and shown', async () => {
    const created = await create({ allowInsecure: true });
    assert.equal(created.allowInsecure, true);
    assert.equal((await call('GET', `/browser/credentials/${created.id}`)).body.allowInsecure, true);
    assert.equal(navis.navis.services.vault.reveal(adminTenant(), created.id).allowInsecure, true);
  });

  test('domains come back canonical: lower-case, no trailing dot, IDN as punycode, no duplicates', async () => {
    const created = await create({ allowedDomains: ['Login.Example.COM.', 'login.example.com', 'Bücher.example'] });
    assert.deepEqual(created.allowedDomains, ['login.example.com', 'xn--bcher-kva.example']);
  });

  test('an otpauth URI is accepted as totpSecret', async () => {
    const created = await create({
      totpSecret: `otpauth://totp/Example:me?secret=${SECRETS.totpSecret}&digits=8&period=60`,
    });
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
    const res = await call('POST', '/browser/credentials', {
      body: validBody({ allowedDomains: ['example.com', '*.co.uk'] }),
    });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /'allowedDomains\.1'/);
  });

  test('a URL instead of a hostname answers 400 saying to give the hostname only', async () => {
    const res = await call('POST', '/browser/credentials', {
      body: validBody({ allowedDomains: ['https://example.com/login'] }),
    });
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
    const res = await call('POST', '/browser/credentials', {
      body: validBody({ password: SECRETS.wrongTypePassword }),
    });
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
    const res = await call('POST', '/browser/credentials', {
      rawBody,
      headers: { 'content-type': 'application/json' },
    });
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
    assert.deepEqual(
      res.body.credentials.find((c: any) => c.id === created.id),
      created,
    );
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
    const res = await call('PATCH', `/browser/credentials/${created.id}`, {
      body: { name: 'after', allowedDomains: ['new.example.com'], password: SECRETS.password },
    });
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
    const res = await call('PATCH', `/browser/credentials/${created.id}`, {
      body: { password: SECRETS.newPassword, currentPassword: SECRETS.password },
    });
    assert.equal(res.status, 200, res.text);
    const revealed = navis.navis.services.vault.reveal(adminTenant(), created.id);
    assert.equal(revealed.password, SECRETS.newPassword);
    assert.equal(revealed.username, SECRETS.username);
  });

  test('PATCH of totpSecret adds or replaces it, and totpSecret: null removes it', async () => {
    const created = await create();
    const added = await call('PATCH', `/browser/credentials/${created.id}`, {
      body: { totpSecret: SECRETS.totpSecret },
    });
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
    assert.match(res.body.error, /at least one of name, allowedDomains, username, password, totpSecret, allowInsecure/);
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
      const res = await call(
        method,
        `/browser/credentials/${randomUUID()}`,
        method === 'PATCH' ? { body: { name: 'x' } } : {},
      );
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, NOT_FOUND);
    });
  }
});

describe('re-binding a credential or replacing its password takes its password (PATCH allowedDomains, allowInsecure: true, password)', () => {
  const FORBIDDEN_KEYS = ['code', 'error'];

  /** PATCHes `body` and asserts 403 FORBIDDEN with nothing changed, the password included. */
  async function refused(created: Record<string, any>, body: Record<string, unknown>): Promise<string> {
    const res = await call('PATCH', `/browser/credentials/${created.id}`, { body });
    assert.equal(res.status, 403, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), FORBIDDEN_KEYS);
    assert.equal(res.body.code, 'FORBIDDEN');
    assert.deepEqual((await call('GET', `/browser/credentials/${created.id}`)).body, created);
    assert.equal(navis.navis.services.vault.reveal(adminTenant(), created.id).password, SECRETS.password);
    return res.body.error;
  }

  test('new allowedDomains without the password: 403 saying to send it as password or currentPassword, nothing changed', async () => {
    const created = await create();
    const error = await refused(created, { allowedDomains: ['attacker.example'] });
    assert.match(error, /changing allowedDomains or turning on allowInsecure needs the credential's current password/);
    assert.match(error, /as 'currentPassword' \(or, when the password stays as it is, as 'password'\)/);
  });

  test('new allowedDomains with a wrong password: 403, and the wrong password does not replace the stored one', async () => {
    const created = await create();
    const error = await refused(created, {
      allowedDomains: ['attacker.example'],
      password: SECRETS.wrongPassword,
      name: 'moved',
    });
    assert.match(error, /'password' does not match the credential's stored password; nothing was changed/);
  });

  test('new allowedDomains with the right password: 200, the domains change and the password stays', async () => {
    const created = await create();
    const res = await call('PATCH', `/browser/credentials/${created.id}`, {
      body: { allowedDomains: ['moved.example.com'], password: SECRETS.password },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.allowedDomains, ['moved.example.com']);
    const revealed = navis.navis.services.vault.reveal(adminTenant(), created.id);
    assert.deepEqual(revealed.allowedDomains, ['moved.example.com']);
    assert.equal(revealed.password, SECRETS.password);
  });

  test('a new password with new allowedDomains is taken as the proof: refused, as it is not the stored one', async () => {
    const created = await create();
    await refused(created, { allowedDomains: ['moved.example.com'], password: SECRETS.newPassword });
  });

  test('a new password with new allowedDomains and the right currentPassword changes both', async () => {
    const created = await create();
    const body = {
      allowedDomains: ['moved.example.com'],
      password: SECRETS.newPassword,
      currentPassword: SECRETS.password,
    };
    const res = await call('PATCH', `/browser/credentials/${created.id}`, { body });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.allowedDomains, ['moved.example.com']);
    assert.equal(navis.navis.services.vault.reveal(adminTenant(), created.id).password, SECRETS.newPassword);
  });

  test('a wrong currentPassword is refused, even where no proof was needed', async () => {
    const created = await create();
    const error = await refused(created, { name: 'renamed', currentPassword: SECRETS.wrongPassword });
    assert.match(error, /'currentPassword' does not match/);
    await refused(created, {
      allowedDomains: ['moved.example.com'],
      password: SECRETS.newPassword,
      currentPassword: SECRETS.wrongPassword,
    });
  });

  test('the same allowedDomains in another order is no change and needs no password', async () => {
    const created = await create();
    const res = await call('PATCH', `/browser/credentials/${created.id}`, {
      body: { allowedDomains: ['*.example.org', 'Login.Example.com'] },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([...res.body.allowedDomains].sort(), [...created.allowedDomains].sort());
  });

  test('allowInsecure: true needs the password; turning it off again does not', async () => {
    const created = await create();
    const error = await refused(created, { allowInsecure: true });
    assert.match(error, /turning on allowInsecure/);
    const on = await call('PATCH', `/browser/credentials/${created.id}`, {
      body: { allowInsecure: true, password: SECRETS.password },
    });
    assert.equal(on.status, 200, on.text);
    assert.equal(on.body.allowInsecure, true);
    const off = await call('PATCH', `/browser/credentials/${created.id}`, { body: { allowInsecure: false } });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.allowInsecure, false);
  });

  test('name, username and totpSecret need no proof', async () => {
    const created = await create();
    const res = await call('PATCH', `/browser/credentials/${created.id}`, {
      body: { name: 'renamed', username: `${SECRETS.username}.2`, totpSecret: SECRETS.totpSecret },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.allowedDomains, created.allowedDomains);
    assert.equal(navis.navis.services.vault.reveal(adminTenant(), created.id).password, SECRETS.password);
  });

  test('a new password alone needs the current one: else a key holder could set one, then use it to move the credential', async () => {
    const created = await create();
    await refused(created, { password: SECRETS.newPassword });
    await refused(created, { password: SECRETS.newPassword, currentPassword: SECRETS.wrongPassword });
    const res = await call('PATCH', `/browser/credentials/${created.id}`, {
      body: { password: SECRETS.newPassword, currentPassword: SECRETS.password },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(navis.navis.services.vault.reveal(adminTenant(), created.id).password, SECRETS.newPassword);
  });

  test('a body with an invalid field answers 400 before any proof is asked for', async () => {
    const created = await create();
    const res = await call('PATCH', `/browser/credentials/${created.id}`, {
      body: { allowedDomains: ['attacker.example'], totpSecret: SECRETS.badTotp },
    });
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.error, /'totpSecret'/);
  });

  test('currentPassword alone is no change: 400', async () => {
    const created = await create();
    const res = await call('PATCH', `/browser/credentials/${created.id}`, {
      body: { currentPassword: SECRETS.password },
    });
    assert.equal(res.status, 400, res.text);
  });

  test("another tenant's key with the right password answers 404 and moves nothing", async () => {
    const created = await create();
    const res = await call('PATCH', `/browser/credentials/${created.id}`, {
      key: otherKey,
      body: { allowedDomains: ['attacker.example'], password: SECRETS.password },
    });
    assert.equal(res.status, 404, res.text);
    assert.deepEqual((await call('GET', `/browser/credentials/${created.id}`)).body, created);
  });
});

describe('tenant isolation', () => {
  test("another tenant's credential answers 404 to GET, PATCH and DELETE and is left unchanged", async () => {
    const created = await create({ name: 'admin only' });
    for (const [method, opts] of [
      ['GET', {}],
      ['PATCH', { body: { name: 'stolen' } }],
      ['DELETE', {}],
    ] as const) {
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
