// Contract of /public/credentials, the credential vault as the product's own Python client calls it
// (create_credential, list_credentials): the exact keys of each body, how service_name becomes the
// sites a credential may be filled into, the `{"detail": "..."}` errors, that it is the same vault
// as /browser/credentials (an authenticate step logs in with a credential made here), and that
// username, password and TOTP secret never come back out.
import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const KEYS = [
  'allow_insecure',
  'allowed_domains',
  'created_at',
  'has_totp',
  'id',
  'service_name',
  'updated_at',
  'user_id',
  'username_or_email',
];

// Distinctive values, so a leak anywhere is found by a plain substring search.
const ACCOUNT = {
  username: 'public-cred-user-7Hq@example.test',
  password: 'public-cred-pass-Vx4!kP',
  totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
};

let navis: TestNavis;
let fixtures: FixtureServer;
const responses: string[] = [];

async function call(method: string, urlPath: string, opts: Parameters<TestNavis['request']>[2] = {}) {
  const res = await navis.request(method, urlPath, opts);
  responses.push(res.text);
  return res;
}

const account = (over: Record<string, unknown> = {}) => ({
  username_or_email: ACCOUNT.username,
  password: ACCOUNT.password,
  ...over,
});

async function create(body: Record<string, unknown>, key = ADMIN_KEY): Promise<Record<string, any>> {
  const res = await call('POST', '/public/credentials', { key, body });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

/** An error answer of the /public dialect: the status, and a body that is exactly `{detail}`. */
function assertDetail(res: { status: number; body: any; text: string }, status: number, detail: RegExp | string): void {
  assert.equal(res.status, status, res.text);
  assert.deepEqual(Object.keys(res.body ?? {}), ['detail'], res.text);
  if (typeof detail === 'string') assert.equal(res.body.detail, detail);
  else assert.match(res.body.detail, detail);
}

// The fixture site's login: POST /login checks the account, as a real site's server does.
async function login(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  let text = '';
  for await (const chunk of req) text += chunk;
  const form = new URLSearchParams(text);
  const ok = form.get('username') === ACCOUNT.username && form.get('password') === ACCOUNT.password;
  res.writeHead(303, { location: ok ? '/welcome' : '/login.html?error=credentials' });
  res.end();
}

before(async () => {
  navis = await startNavis({ poolSize: 0 });
  fixtures = await startFixtureServer({
    routes: {
      '/login': login,
      '/welcome': (_req, res) =>
        void res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><title>Welcome</title><h1>Welcome back</h1>'),
    },
  });
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

describe('POST /public/credentials', () => {
  test('answers 200 with id, user_id, service_name, username_or_email (null), allowed_domains, has_totp, allow_insecure and the dates', async () => {
    const res = await call('POST', '/public/credentials', { body: account({ service_name: 'login.example.com' }) });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), KEYS);
    assert.match(res.body.id, UUID);
    assert.equal(res.body.user_id, navis.navis.services.tenants.authenticate(ADMIN_KEY).tenantId);
    assert.equal(res.body.service_name, 'login.example.com');
    assert.equal(res.body.username_or_email, null);
    assert.deepEqual(res.body.allowed_domains, ['login.example.com']);
    assert.equal(res.body.has_totp, false);
    assert.equal(res.body.allow_insecure, false);
    assert.match(res.body.created_at, ISO_8601);
    assert.equal(res.body.updated_at, res.body.created_at);
  });

  test('a service_name that is a host binds the credential to that host, as the URL parser spells it', async () => {
    assert.deepEqual((await create(account({ service_name: 'Accounts.Example.COM' }))).allowed_domains, [
      'accounts.example.com',
    ]);
    assert.deepEqual((await create(account({ service_name: '127.0.0.1' }))).allowed_domains, ['127.0.0.1']);
    assert.deepEqual((await create(account({ service_name: 'localhost' }))).allowed_domains, ['localhost']);
  });

  test('a service_name that is not a host takes its sites from allowed_domains', async () => {
    const credential = await create(
      account({ service_name: 'Gmail', allowed_domains: ['accounts.google.com', '*.google.com'] }),
    );
    assert.equal(credential.service_name, 'Gmail');
    assert.deepEqual(credential.allowed_domains, ['accounts.google.com', '*.google.com']);
  });

  test('allowed_domains, when sent, is used instead of a host service_name', async () => {
    assert.deepEqual(
      (await create(account({ service_name: 'example.com', allowed_domains: ['login.example.org'] }))).allowed_domains,
      ['login.example.org'],
    );
  });

  test('a service_name that is not a host, without allowed_domains, answers 400 saying what to send', async () => {
    const res = await call('POST', '/public/credentials', { body: account({ service_name: 'Gmail' }) });
    assertDetail(
      res,
      400,
      'Invalid request body: service_name "Gmail" is not a host name, so navis cannot tell which sites the credential may be filled into. ' +
        'Name the login host as service_name (e.g. "accounts.google.com"), or send allowed_domains (e.g. ["accounts.google.com"]).',
    );
  });

  test('totp_secret sets has_totp', async () => {
    assert.equal(
      (await create(account({ service_name: 'example.com', totp_secret: ACCOUNT.totpSecret }))).has_totp,
      true,
    );
  });

  test('allow_insecure true is stored', async () => {
    assert.equal(
      (await create(account({ service_name: 'intranet.example', allow_insecure: true }))).allow_insecure,
      true,
    );
  });

  test('an allowed_domains entry that is not a hostname answers 400 naming allowed_domains and the entry', async () => {
    const res = await call('POST', '/public/credentials', {
      body: account({ service_name: 'Bank', allowed_domains: ['https://bank.example/login'] }),
    });
    assertDetail(
      res,
      400,
      /^Invalid request body: field 'allowed_domains\.0' \("https:\/\/bank\.example\/login"\): give a hostname only/,
    );
  });

  test('an empty allowed_domains answers 400 naming allowed_domains', async () => {
    assertDetail(
      await call('POST', '/public/credentials', {
        body: account({ service_name: 'example.com', allowed_domains: [] }),
      }),
      400,
      /field 'allowed_domains': list at least one hostname/,
    );
  });

  test('without service_name, username_or_email or password: 400 naming the field', async () => {
    for (const [field, body] of [
      ['service_name', account()],
      ['username_or_email', { service_name: 'example.com', password: ACCOUNT.password }],
      ['password', { service_name: 'example.com', username_or_email: ACCOUNT.username }],
    ] as const) {
      assertDetail(
        await call('POST', '/public/credentials', { body }),
        400,
        new RegExp(`field '${field}': is required`),
      );
    }
  });

  test("the hosted product's gmail_oauth_account_id and phone_number_id answer 400 saying navis has no such thing", async () => {
    const gmail = await call('POST', '/public/credentials', {
      body: account({ service_name: 'gmail.com', gmail_oauth_account_id: 'acc_1' }),
    });
    assertDetail(
      gmail,
      400,
      "Invalid request body: field 'gmail_oauth_account_id': navis has no connected Gmail accounts; leave it out",
    );
    const phone = await call('POST', '/public/credentials', {
      body: account({ service_name: 'example.com', phone_number_id: 'pn_1' }),
    });
    assertDetail(phone, 400, /^Invalid request body: field 'phone_number_id': navis has no phone numbers/);
  });

  test('an unknown field answers 400 naming it', async () => {
    assertDetail(
      await call('POST', '/public/credentials', { body: account({ service_name: 'example.com', pasword: 'x' }) }),
      400,
      "Invalid request body: unknown field 'pasword'",
    );
  });

  test('without an API key: 401 {"detail": "Invalid API key"}', async () => {
    const res = await call('POST', '/public/credentials', {
      key: null,
      body: account({ service_name: 'example.com' }),
    });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { detail: 'Invalid API key' });
  });
});

describe('GET /public/credentials', () => {
  let otherKey: string;
  let mine: Record<string, any>;
  before(async () => {
    otherKey = await navis.newTenant('other');
    mine = await create(account({ service_name: 'listed.example.com' }));
  });

  test("answers a bare array of the tenant's credentials in the same shape", async () => {
    const res = await call('GET', '/public/credentials');
    assert.equal(res.status, 200, res.text);
    assert.ok(Array.isArray(res.body), res.text);
    assert.deepEqual(
      res.body.find((c: any) => c.id === mine.id),
      mine,
    );
    for (const credential of res.body) assert.deepEqual(Object.keys(credential).sort(), KEYS);
  });

  test("another tenant's list holds none of them, and its own credential only", async () => {
    assert.deepEqual((await call('GET', '/public/credentials', { key: otherKey })).body, []);
    const theirs = await create(account({ service_name: 'theirs.example.com' }), otherKey);
    assert.deepEqual((await call('GET', '/public/credentials', { key: otherKey })).body, [theirs]);
  });

  test('without an API key: 401 {"detail": "Invalid API key"}', async () => {
    const res = await call('GET', '/public/credentials', { key: null });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { detail: 'Invalid API key' });
  });
});

describe('the same vault as /browser/credentials', () => {
  test('a credential made here is the /browser one of the same id, name and domains, and its secrets are stored', async () => {
    const made = await create(account({ service_name: 'same.example.com', totp_secret: ACCOUNT.totpSecret }));
    const res = await call('GET', `/browser/credentials/${made.id}`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      id: made.id,
      name: 'same.example.com',
      allowedDomains: ['same.example.com'],
      hasTotp: true,
      allowInsecure: false,
      createdAt: made.created_at,
      updatedAt: made.updated_at,
    });
    const revealed = navis.navis.services.vault.reveal(made.user_id, made.id);
    assert.equal(revealed.username, ACCOUNT.username);
    assert.equal(revealed.password, ACCOUNT.password);
    assert.ok(revealed.totp);
  });

  test('a credential made under /browser is listed here with its name as service_name', async () => {
    const res = await call('POST', '/browser/credentials', {
      body: {
        name: 'from browser',
        allowedDomains: ['b.example.com'],
        username: ACCOUNT.username,
        password: ACCOUNT.password,
      },
    });
    assert.equal(res.status, 201, res.text);
    const listed = (await call('GET', '/public/credentials')).body.find((c: any) => c.id === res.body.id);
    assert.equal(listed.service_name, 'from browser');
    assert.deepEqual(listed.allowed_domains, ['b.example.com']);
  });

  test('an authenticate step logs in on the fixture site with a credential made here for service_name 127.0.0.1', async () => {
    const { id } = await create(account({ service_name: '127.0.0.1' }));
    const session = await navis.createSession({}, { dialect: 'browser' });
    try {
      const res = await call('POST', `/browser/sessions/${session.id}/tasks`, {
        body: {
          url: `${fixtures.url}/login.html`,
          actions: [
            {
              type: 'authenticate',
              mode: 'vault',
              credentialId: id,
              success: { condition: 'text', value: 'Welcome back' },
            },
          ],
        },
      });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.actionResults[0].success, true, res.text);
      assert.equal(new URL(res.body.url).pathname, '/welcome');
    } finally {
      await navis.terminate(session.id);
    }
  });
});

test('no response and no log line holds the username, password or TOTP secret', () => {
  for (const secret of Object.values(ACCOUNT)) {
    assert.equal(
      responses.some((text) => text.includes(secret)),
      false,
      `a response holds ${secret}`,
    );
    assert.equal(
      navis.logs.some((line) => line.includes(secret)),
      false,
      `a log line holds ${secret}`,
    );
  }
});
