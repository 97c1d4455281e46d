// The authenticate action of Run Task (seed 003) against real login forms that a fixture site
// checks on its server: vault logins (one step, two steps, TOTP, behind consent banners, explicit
// selectors), the allowedDomains check with pages that move the form to another host (a two-step
// submit, a consent click, a script while typing, a cross-origin iframe), prompt_user and
// vault_then_prompt with a person logging in over CDP (and clicking Done on the live view when
// there is no success condition), the request errors (all before any action runs), and that
// username, password and TOTP secret never reach a response body or a log line.
//
// The site answers on 127.0.0.1 and on localhost (the same server): a credential for 127.0.0.1
// must never be filled into, or sent to, the page on localhost.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { parseTotpSecret, totpCode } from '../../src/vault/totp.js';
import { startFixtureServer, type FixtureRoute, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, waitFor, type TestNavis } from '../helpers/navis.js';

// The one account the fixture site knows. Distinctive values, so a leak is found by substring search.
const ACCOUNT = {
  username: 'auth-user-5Kq2@example.test',
  password: 'auth-pass-Zr9!mW4x#',
  totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
};
const WRONG_PASSWORD = 'auth-wrong-pass-Hn3$Lp';
const OTHER_TOTP_SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
const SECRETS = [ACCOUNT.username, ACCOUNT.password, ACCOUNT.totpSecret, WRONG_PASSWORD, OTHER_TOTP_SECRET];

const WELCOME = { url: '/welcome', text: 'Welcome back', selector: '#welcome' };
const toWelcome = { condition: 'url', value: WELCOME.url } as const;

// ---- the fixture site: checks logins on its server, as a real one does ----

/** What the site saw: password logins tried, one-time codes accepted and refused. */
const site = { passwordAttempts: 0, codesAccepted: 0, codesRefused: 0 };
/** Every form the site's server read: the host it was sent to, the path, the body. */
const received: Array<{ host: string; path: string; body: string }> = [];
/** Hosts on which the account signed in, in order. */
const signedInOn: string[] = [];
/** Logins half done: a ticket for the account after the identify step or after a right password. */
const pendingLogins = new Map<string, string>();
const signedIn = new Set<string>();

const siteTotp = parseTotpSecret(ACCOUNT.totpSecret);
/** The codes the site takes now: this period's and the previous one's (typing time, clock drift). */
const acceptedCodes = () => [totpCode(siteTotp, Date.now()), totpCode(siteTotp, Date.now() - siteTotp.period * 1000)];

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) text += chunk;
  received.push({ host: hostnameOf(req), path: req.url ?? '', body: text });
  return new URLSearchParams(text);
}

const hostnameOf = (req: http.IncomingMessage) => new URL(`http://${req.headers.host}`).hostname;
const portOf = (req: http.IncomingMessage) => new URL(`http://${req.headers.host}`).port;

/** What the site's server received on `host` that holds the account's username or password. */
const credentialsReceivedOn = (host: string) =>
  received.filter(
    (r) =>
      r.host === host &&
      [ACCOUNT.username, ACCOUNT.password].some((secret) => decodeURIComponent(r.body + r.path).includes(secret)),
  );

const cookieOf = (req: http.IncomingMessage, name: string) =>
  req.headers.cookie
    ?.split(';')
    .map((pair) => pair.trim().split('='))
    .find(([key]) => key === name)?.[1];

function redirect(res: http.ServerResponse, location: string, setCookie?: string): void {
  res.writeHead(303, { location, ...(setCookie ? { 'set-cookie': setCookie } : {}) });
  res.end();
}

function sendPage(res: http.ServerResponse, title: string, body: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`);
}

function signIn(req: http.IncomingMessage, res: http.ServerResponse): void {
  const sid = randomBytes(12).toString('hex');
  signedIn.add(sid);
  signedInOn.push(hostnameOf(req));
  redirect(res, '/welcome', `sid=${sid}; Path=/; HttpOnly`);
}

const postOnly =
  (route: FixtureRoute): FixtureRoute =>
  (req, res, url) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' });
      return void res.end();
    }
    return route(req, res, url);
  };

const routes: Record<string, FixtureRoute> = {
  // Every login form posts here; `from` is the form's page, where a failed login goes back to.
  '/login': postOnly(async (req, res, url) => {
    const form = await readForm(req);
    await sleep(Number(url.searchParams.get('delayMs') ?? 0)); // a slow site (/login-slow)
    const from = form.get('from') ?? '/login.html';
    const username = form.get('username') ?? form.get('f1') ?? pendingLogins.get(form.get('ticket') ?? '');
    const password = form.get('password') ?? form.get('f2');
    site.passwordAttempts++;
    if (username !== ACCOUNT.username || password !== ACCOUNT.password)
      return redirect(res, `${from}?error=credentials`);
    if (from !== '/login-totp.html') return signIn(req, res);
    const ticket = randomBytes(12).toString('hex');
    pendingLogins.set(ticket, username);
    redirect(res, '/login-totp.html?step=code', `pending=${ticket}; Path=/; HttpOnly`);
  }),
  '/login/code': postOnly(async (req, res) => {
    const form = await readForm(req);
    const ticket = cookieOf(req, 'pending') ?? '';
    if (!pendingLogins.has(ticket)) return redirect(res, '/login-totp.html?error=credentials');
    if (!acceptedCodes().includes(form.get('otp') ?? '')) {
      site.codesRefused++;
      return redirect(res, '/login-totp.html?step=code&error=code');
    }
    site.codesAccepted++;
    pendingLogins.delete(ticket);
    signIn(req, res);
  }),
  // The first page of login-identify.html; the password page may be on another host (?to=).
  '/login/identify': postOnly(async (req, res) => {
    const form = await readForm(req);
    const ticket = randomBytes(12).toString('hex');
    pendingLogins.set(ticket, form.get('identifier') ?? '');
    const origin = form.get('host') ? `http://${form.get('host')}:${portOf(req)}` : '';
    redirect(res, `${origin}/login/password?ticket=${ticket}`);
  }),
  '/login/password': (_req, res, url) =>
    sendPage(
      res,
      'Enter your password',
      `<h1>Enter your password</h1>
      <form method="post" action="/login">
        <input type="hidden" name="from" value="/login-identify.html">
        <input type="hidden" name="ticket" value="${encodeURIComponent(url.searchParams.get('ticket') ?? '')}">
        <label>Password <input type="password" name="password" autocomplete="current-password"></label>
        <button type="submit">Sign in</button>
      </form>`,
    ),
  // Hostile pages on the allowed host, each of which moves the login form to localhost.
  '/consent-elsewhere': (req, res) =>
    sendPage(
      res,
      'Sign in',
      `<h1>Sign in</h1>
      <form method="post" action="/login">
        <input type="hidden" name="from" value="/login.html">
        <label>Username <input name="username" autocomplete="username"></label>
        <label>Password <input type="password" name="password" autocomplete="current-password"></label>
        <button type="submit">Sign in</button>
      </form>
      <div id="onetrust-banner-sdk"><button id="onetrust-accept-btn-handler"
        onclick="location.href = 'http://localhost:${portOf(req)}/login.html'">Accept All Cookies</button></div>`,
    ),
  '/moves-while-typing': (req, res) =>
    sendPage(
      res,
      'Sign in',
      `<h1>Sign in</h1>
      <form method="post" action="/login">
        <input type="hidden" name="from" value="/login.html">
        <label>Username <input name="username" autocomplete="username"
          oninput="location.href = 'http://localhost:${portOf(req)}/login.html'"></label>
        <label>Password <input type="password" name="password" autocomplete="current-password"></label>
        <button type="submit">Sign in</button>
      </form>`,
    ),
  // login.html, on a site that takes `delayMs` to answer the form.
  '/login-slow': (_req, res, url) =>
    sendPage(
      res,
      'Sign in',
      `<h1>Sign in</h1>
      <form method="post" action="/login?delayMs=${Number(url.searchParams.get('delayMs') ?? 0)}">
        <input type="hidden" name="from" value="/login.html">
        <label>Username <input name="username" autocomplete="username"></label>
        <label>Password <input type="password" name="password" autocomplete="current-password"></label>
        <button type="submit">Sign in</button>
      </form>`,
    ),
  '/framed-login': (req, res) =>
    sendPage(
      res,
      'Your account',
      `<h1>Your account</h1><iframe src="http://localhost:${portOf(req)}/login.html" width="600" height="400"></iframe>`,
    ),
  '/welcome': (req, res) => {
    if (!signedIn.has(cookieOf(req, 'sid') ?? '')) return redirect(res, '/login.html');
    sendPage(res, 'Welcome', `<nav>Signed in</nav><h1 id="welcome">${WELCOME.text}</h1>`);
  },
};

// ---- navis ----

let navis: TestNavis;
let fixtures: FixtureServer;
let otherTenantKey: string;
/** Sessions a test created, terminated after it. */
const sessions: string[] = [];
/** Every response body of the current test, for the leak check after it. */
const responses: string[] = [];

before(async () => {
  navis = await startNavis();
  fixtures = await startFixtureServer({ routes });
  otherTenantKey = await navis.newTenant('other', { network: { allowPrivate: true } });
});
after(async () => {
  await navis?.close();
  await fixtures?.close();
});
afterEach(async () => {
  for (const id of sessions.splice(0)) await call('POST', `/public/sessions/${id}/terminate`);
  const leaks = [
    ...responses.splice(0).map((text) => `response: ${text}`),
    ...navis.logs.map((line) => `log: ${line}`),
  ].filter((text) => SECRETS.some((secret) => text.includes(secret)));
  assert.deepEqual(leaks, [], 'a username, password or TOTP secret reached a response body or a log line');
});

/** navis.request, keeping the response body for the leak check. */
async function call(method: string, urlPath: string, opts: Parameters<TestNavis['request']>[2] = {}) {
  const res = await navis.request(method, urlPath, opts);
  responses.push(res.text);
  return res;
}

async function createCredential(over: Record<string, unknown> = {}, key?: string): Promise<string> {
  const res = await call('POST', '/browser/credentials', {
    key,
    body: {
      name: 'fixture site',
      allowedDomains: ['127.0.0.1'],
      username: ACCOUNT.username,
      password: ACCOUNT.password,
      ...over,
    },
  });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}

interface Session {
  id: string;
  cdpUrl: string;
  liveViewUrl: string;
}

async function newSession(): Promise<Session> {
  const session = await navis.createSession({}, { dialect: 'browser' });
  sessions.push(session.id);
  return { id: session.id, cdpUrl: session.cdpUrl, liveViewUrl: session.liveViewUrl };
}

/** Opens `path` of the fixture site (or a full URL) and runs one authenticate step there. */
function authenticate(session: Session, path: string, action: Record<string, unknown>) {
  return call('POST', `/browser/sessions/${session.id}/tasks`, {
    body: {
      url: path.startsWith('http') ? path : `${fixtures.url}${path}`,
      actions: [{ type: 'authenticate', ...action }],
    },
  });
}

/** The fixture site's address on localhost: the same server, another host for the browser. */
const onLocalhost = (path: string) => `${fixtures.url.replace('127.0.0.1', 'localhost')}${path}`;

/** The length of what each visible field of the session's page holds, by name (never the values). */
async function fieldLengths(session: Session): Promise<Record<string, number>> {
  const res = await call('POST', `/browser/sessions/${session.id}/tasks`, {
    body: {
      actions: [
        {
          type: 'evaluate',
          script:
            "Object.fromEntries([...document.querySelectorAll('input:not([type=hidden])')].map((i) => [i.name, i.value.length]))",
        },
      ],
    },
  });
  assert.equal(res.status, 201, res.text);
  return res.body.actionResults[0].value;
}

/** Like fieldLengths, in the session's frame on `host` (a cross-origin iframe), read over its cdpUrl. */
async function frameFieldLengths(session: Session, host: string): Promise<Record<string, number>> {
  const browser = await chromium.connectOverCDP(session.cdpUrl);
  try {
    const page = browser.contexts()[0].pages().at(-1)!;
    // A frame of another site is only just attached on a new CDP connection: ask it where it is.
    const frame = await waitFor(async () => {
      for (const f of page.frames()) if ((await f.evaluate(() => location.hostname).catch(() => '')) === host) return f;
    }, `a frame on ${host}`);
    return await frame.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('input:not([type=hidden])')].map((i) => [
          (i as HTMLInputElement).name,
          (i as HTMLInputElement).value.length,
        ]),
      ),
    );
  } finally {
    await browser.close();
  }
}

/** Asserts a 422 DOMAIN_MISMATCH whose message matches `where`. */
function assertRefused(res: Awaited<ReturnType<typeof call>>, where: RegExp): void {
  assert.equal(res.status, 422, res.text);
  assert.equal(res.body.code, 'DOMAIN_MISMATCH');
  assert.equal(res.body.reason, 'domain_mismatch');
  assert.match(res.body.error, where);
}

/** Polls both GETs of the session until they say it waits for a person; returns the /browser view. */
async function untilAwaitingUser(session: Session): Promise<Record<string, any>> {
  const view = await waitFor(async () => {
    const res = await call('GET', `/browser/sessions/${session.id}`);
    return res.body.awaitingUser ? res.body : undefined;
  }, 'GET /browser/sessions/{id} to show awaitingUser');
  const publicView = await call('GET', `/public/sessions/${session.id}`);
  assert.equal(publicView.status, 200, publicView.text);
  assert.ok(publicView.body.awaiting_user, publicView.text);
  assert.equal(publicView.body.awaiting_user.timeout_ms, view.awaitingUser.timeoutMs);
  assert.equal(publicView.body.metadata.live_url, view.liveViewUrl);
  return view;
}

/** The person, on the session's browser through its cdpUrl, logs in on the page it shows. */
async function personLogsIn(session: Session): Promise<void> {
  const browser = await chromium.connectOverCDP(session.cdpUrl);
  try {
    const page = browser.contexts()[0].pages().at(-1)!;
    await page.locator('input[name="username"]').fill(ACCOUNT.username);
    await page.locator('input[name="password"]').fill(ACCOUNT.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`**${WELCOME.url}`);
  } finally {
    await browser.close();
  }
}

async function awaitingUserOf(session: Session): Promise<unknown> {
  const res = await call('GET', `/browser/sessions/${session.id}`);
  assert.equal(res.status, 200, res.text);
  return res.body.awaitingUser;
}

function assertLoggedIn(
  res: Awaited<ReturnType<typeof call>>,
  how: 'vault' | 'prompt_user',
  description: RegExp,
): void {
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.actionResults.length, 1);
  assert.deepEqual(Object.keys(res.body.actionResults[0]).sort(), ['reason', 'success']);
  assert.equal(res.body.actionResults[0].success, true);
  assert.match(res.body.actionResults[0].reason, new RegExp(`^${how}: ${description.source}`));
  assert.equal(new URL(res.body.url).pathname, WELCOME.url);
  assert.equal(res.body.stepLog.find((e: any) => e.index === 0).status, 'ok');
}

// ---- tests ----

describe('mode vault', () => {
  test('logs in on a one-step form and answers {success, reason} once the URL contains the success value', async () => {
    const credentialId = await createCredential();
    const res = await authenticate(await newSession(), '/login.html', {
      mode: 'vault',
      credentialId,
      success: toWelcome,
    });
    assertLoggedIn(res, 'vault', /page URL contains '\/welcome'/);
  });

  test('a text success condition holds once that text shows on the page', async () => {
    const credentialId = await createCredential();
    const res = await authenticate(await newSession(), '/login.html', {
      mode: 'vault',
      credentialId,
      success: { condition: 'text', value: WELCOME.text },
    });
    assertLoggedIn(res, 'vault', /text 'Welcome back' is visible/);
  });

  test('a selector success condition holds once that selector is visible', async () => {
    const credentialId = await createCredential();
    const res = await authenticate(await newSession(), '/login.html', {
      mode: 'vault',
      credentialId,
      success: { condition: 'selector', value: WELCOME.selector },
    });
    assertLoggedIn(res, 'vault', /'#welcome' is visible/);
  });

  test('logs in where the password field appears only after the email is submitted', async () => {
    const credentialId = await createCredential();
    const res = await authenticate(await newSession(), '/login-two-step.html', {
      mode: 'vault',
      credentialId,
      success: toWelcome,
    });
    assertLoggedIn(res, 'vault', /page URL contains/);
  });

  test('logs in where the server answers the username with a second page asking for the password', async () => {
    const credentialId = await createCredential();
    const res = await authenticate(await newSession(), '/login-identify.html', {
      mode: 'vault',
      credentialId,
      success: toWelcome,
    });
    assertLoggedIn(res, 'vault', /page URL contains/);
  });

  test('fills the one-time code computed from the stored TOTP secret, and the site accepts it', async () => {
    const credentialId = await createCredential({ totpSecret: ACCOUNT.totpSecret });
    const accepted = site.codesAccepted;
    const res = await authenticate(await newSession(), '/login-totp.html', {
      mode: 'vault',
      credentialId,
      success: toWelcome,
    });
    assertLoggedIn(res, 'vault', /page URL contains/);
    assert.equal(site.codesAccepted, accepted + 1);
  });

  test('a code from another TOTP secret is refused by the site, so the login answers 408', async () => {
    const credentialId = await createCredential({ totpSecret: OTHER_TOTP_SECRET });
    const refused = site.codesRefused;
    const session = await newSession();
    const res = await authenticate(session, '/login-totp.html', {
      mode: 'vault',
      credentialId,
      success: { ...toWelcome, timeoutMs: 1500 },
    });
    assert.equal(res.status, 408, res.text);
    assert.equal(res.body.code, 'ACTION_TIMEOUT');
    assert.equal(site.codesRefused, refused + 1);
  });

  test("success.timeoutMs longer than the step's timeoutMs is waited for in full", async () => {
    const credentialId = await createCredential();
    const res = await authenticate(await newSession(), '/login-slow?delayMs=2500', {
      mode: 'vault',
      credentialId,
      timeoutMs: 1500,
      success: { ...toWelcome, timeoutMs: 8000 },
    });
    assertLoggedIn(res, 'vault', /page URL contains '\/welcome'/);
    assert.ok(
      res.body.stepLog.find((e: any) => e.index === 0).durationMs > 1500,
      JSON.stringify(res.body.stepLog.find((e: any) => e.index === 0)),
    );
  });

  test('a TOTP credential logs in on a site that asks for no code', async () => {
    const credentialId = await createCredential({ totpSecret: ACCOUNT.totpSecret });
    const res = await authenticate(await newSession(), '/login.html', {
      mode: 'vault',
      credentialId,
      success: { condition: 'selector', value: WELCOME.selector },
      timeoutMs: 4000,
    });
    assertLoggedIn(res, 'vault', /'#welcome' is visible/);
  });

  test('the consent fixture blocks the form: a plain click on its submit button times out while the banner is up', async () => {
    const session = await newSession();
    const res = await call('POST', `/browser/sessions/${session.id}/tasks`, {
      body: {
        url: `${fixtures.url}/consent-login.html`,
        actions: [{ type: 'click', selector: 'button[type="submit"]', timeoutMs: 1000 }],
      },
    });
    assert.equal(res.status, 408, res.text);
  });

  test('accepts a OneTrust banner that covers the form, then logs in', async () => {
    const credentialId = await createCredential();
    const res = await authenticate(await newSession(), '/consent-login.html', {
      mode: 'vault',
      credentialId,
      success: toWelcome,
    });
    assertLoggedIn(res, 'vault', /page URL contains/);
    assert.match(
      res.body.stepLog.find((e: any) => e.index === 0).detail,
      /dismissed consent banner \(#onetrust-accept-btn-handler\)/,
    );
  });

  test('accepts a cookie wall whose only way out is an "Accept all" button, then logs in', async () => {
    const credentialId = await createCredential();
    const res = await authenticate(await newSession(), '/consent-login-text.html', {
      mode: 'vault',
      credentialId,
      success: toWelcome,
    });
    assertLoggedIn(res, 'vault', /page URL contains/);
    assert.match(
      res.body.stepLog.find((e: any) => e.index === 0).detail,
      /dismissed consent banner \(button "Accept all"\)/,
    );
  });

  test('a wrong stored password leaves the success condition unmet: 408 ACTION_TIMEOUT, and the site shows its error', async () => {
    const credentialId = await createCredential({ password: WRONG_PASSWORD });
    const session = await newSession();
    const attempts = site.passwordAttempts;
    const res = await authenticate(session, '/login.html', {
      mode: 'vault',
      credentialId,
      success: { ...toWelcome, timeoutMs: 1500 },
    });
    assert.equal(res.status, 408, res.text);
    assert.equal(res.body.code, 'ACTION_TIMEOUT');
    assert.match(res.body.error, /success condition was not met/);
    assert.equal(res.body.failedActionIndex, 0);
    assert.equal(res.body.stepLog.find((e: any) => e.index === 0).status, 'failed');
    assert.equal(site.passwordAttempts, attempts + 1);
    const shown = await call('POST', `/browser/sessions/${session.id}/tasks`, {
      body: { actions: [{ type: 'evaluate', script: "document.getElementById('error').textContent" }] },
    });
    assert.equal(shown.body.actionResults[0].value, 'Wrong username or password.');
  });

  test('explicit selectors log in on a form whose fields and button no heuristic finds', async () => {
    const credentialId = await createCredential();
    const res = await authenticate(await newSession(), '/login-odd.html', {
      mode: 'vault',
      credentialId,
      selectors: { username: '#f1', password: '#f2', submit: '#go' },
      success: toWelcome,
    });
    assertLoggedIn(res, 'vault', /page URL contains/);
  });

  test('without selectors that form answers 404 SELECTOR_NOT_FOUND saying to pass selectors, and nothing is filled', async () => {
    const credentialId = await createCredential();
    const session = await newSession();
    const res = await authenticate(session, '/login-odd.html', { mode: 'vault', credentialId, success: toWelcome });
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.code, 'SELECTOR_NOT_FOUND');
    assert.match(res.body.error, /selectors\.username and selectors\.password/);
    assert.deepEqual(await fieldLengths(session), { f1: 0, f2: 0 });
  });
});

describe('allowedDomains', () => {
  test('a credential for another domain is refused on this host: 422 DOMAIN_MISMATCH, reason domain_mismatch, nothing filled', async () => {
    const credentialId = await createCredential({ allowedDomains: ['example.com'] });
    const session = await newSession();
    const attempts = site.passwordAttempts;
    const res = await authenticate(session, '/login.html', { mode: 'vault', credentialId, success: toWelcome });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.code, 'DOMAIN_MISMATCH');
    assert.equal(res.body.reason, 'domain_mismatch');
    assert.match(res.body.error, /domain_mismatch: the page is on '127\.0\.0\.1'.*example\.com/);
    assert.deepEqual(await fieldLengths(session), { username: 0, password: 0 });
    assert.equal(site.passwordAttempts, attempts);
  });

  test('a login whose password page moves to another host is refused there before the password is filled', async () => {
    const credentialId = await createCredential();
    const session = await newSession();
    const attempts = site.passwordAttempts;
    const res = await authenticate(session, '/login-identify.html?to=localhost', {
      mode: 'vault',
      credentialId,
      success: toWelcome,
    });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.code, 'DOMAIN_MISMATCH');
    assert.equal(res.body.reason, 'domain_mismatch');
    assert.match(res.body.error, /the page is on 'localhost'/);
    const now = await call('POST', `/browser/sessions/${session.id}/tasks`, { body: { actions: [] } });
    assert.equal(new URL(now.body.url).hostname, 'localhost');
    assert.deepEqual(await fieldLengths(session), { password: 0 });
    assert.equal(site.passwordAttempts, attempts);
    assert.deepEqual(credentialsReceivedOn('localhost'), []);
  });

  test('a consent button that sends the page to another host is caught before any fill, and that host receives nothing', async () => {
    const credentialId = await createCredential();
    const session = await newSession();
    const res = await authenticate(session, '/consent-elsewhere', { mode: 'vault', credentialId, success: toWelcome });
    assertRefused(
      res,
      /domain_mismatch: the page is on 'localhost', which is not one of the credential's allowedDomains \(127\.0\.0\.1\)/,
    );
    const now = await call('POST', `/browser/sessions/${session.id}/tasks`, { body: { actions: [] } });
    assert.equal(new URL(now.body.url).hostname, 'localhost');
    assert.deepEqual(await fieldLengths(session), { username: 0, password: 0 });
    assert.deepEqual(credentialsReceivedOn('localhost'), []);
  });

  test('a page that moves to another host while the username is typed gets no password there, and that host receives nothing', async () => {
    const credentialId = await createCredential();
    const session = await newSession();
    const res = await authenticate(session, '/moves-while-typing', { mode: 'vault', credentialId, success: toWelcome });
    assertRefused(res, /the page is on 'localhost'/);
    assert.deepEqual(await fieldLengths(session), { username: 0, password: 0 });
    assert.deepEqual(credentialsReceivedOn('localhost'), []);
  });

  test('a login form in a cross-origin iframe of an allowed page is refused before any fill', async () => {
    const credentialId = await createCredential();
    const session = await newSession();
    const res = await authenticate(session, '/framed-login', { mode: 'vault', credentialId, success: toWelcome });
    assertRefused(
      res,
      /domain_mismatch: the username field is in a frame that is on 'localhost', which is not one of the credential's allowedDomains/,
    );
    assert.deepEqual(await frameFieldLengths(session, 'localhost'), { username: 0, password: 0 });
    assert.deepEqual(credentialsReceivedOn('localhost'), []);
  });

  test('explicit selectors that match only in a cross-origin iframe are refused the same way', async () => {
    const credentialId = await createCredential();
    const session = await newSession();
    const selectors = {
      username: 'input[name="username"]',
      password: 'input[name="password"]',
      submit: 'button[type="submit"]',
    };
    const res = await authenticate(session, '/framed-login', {
      mode: 'vault',
      credentialId,
      selectors,
      success: toWelcome,
    });
    assertRefused(res, /the username field is in a frame that is on 'localhost'/);
    assert.deepEqual(await frameFieldLengths(session, 'localhost'), { username: 0, password: 0 });
    assert.deepEqual(credentialsReceivedOn('localhost'), []);
  });

  test("a login form in an iframe is filled when the frame's host is allowed too", async () => {
    const credentialId = await createCredential({ allowedDomains: ['127.0.0.1', 'localhost'] });
    const signIns = signedInOn.length;
    const res = await authenticate(await newSession(), '/framed-login', { mode: 'vault', credentialId });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.actionResults[0], {
      success: true,
      reason: 'vault: form submitted (no success condition given)',
    });
    await waitFor(() => signedInOn.length > signIns, 'the site to sign the account in');
    assert.deepEqual(signedInOn.slice(signIns), ['localhost']);
  });

  test('plain http on a loopback host logs in without allowInsecure', async () => {
    const credentialId = await createCredential({ allowedDomains: ['localhost'] });
    assert.equal((await call('GET', `/browser/credentials/${credentialId}`)).body.allowInsecure, false);
    const res = await authenticate(await newSession(), onLocalhost('/login.html'), {
      mode: 'vault',
      credentialId,
      success: toWelcome,
    });
    assertLoggedIn(res, 'vault', /page URL contains/);
    assert.equal(new URL(res.body.url).hostname, 'localhost');
  });

  test('vault_then_prompt on a refused host answers 422 and does not wait for a person', async () => {
    const credentialId = await createCredential({ allowedDomains: ['example.com'] });
    const session = await newSession();
    const res = await authenticate(session, '/login.html', {
      mode: 'vault_then_prompt',
      credentialId,
      success: toWelcome,
      pauseTimeoutMs: 600_000,
    });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.code, 'DOMAIN_MISMATCH');
    assert.equal(res.body.reason, 'domain_mismatch');
    assert.equal(await awaitingUserOf(session), null);
  });
});

describe('mode prompt_user', () => {
  test('the session shows it waits for a person, who logs in over CDP; the task answers 201 and the wait ends', async () => {
    const session = await newSession();
    assert.equal(await awaitingUserOf(session), null);
    const task = authenticate(session, '/login.html', {
      mode: 'prompt_user',
      success: toWelcome,
      pauseTimeoutMs: 120_000,
    });
    const waiting = await untilAwaitingUser(session);
    assert.equal(waiting.awaitingUser.timeoutMs, 120_000);
    assert.match(waiting.awaitingUser.reason, /live view/);
    assert.equal(waiting.liveViewUrl, session.liveViewUrl);
    await personLogsIn(session);
    assertLoggedIn(await task, 'prompt_user', /page URL contains '\/welcome'/);
    assert.equal(await awaitingUserOf(session), null);
    assert.equal((await call('GET', `/public/sessions/${session.id}`)).body.awaiting_user, null);
  });

  test('answers 408 ACTION_TIMEOUT when nobody logs in within pauseTimeoutMs, and the session stops waiting', async () => {
    const session = await newSession();
    const task = authenticate(session, '/login.html', {
      mode: 'prompt_user',
      success: toWelcome,
      pauseTimeoutMs: 1500,
    });
    await untilAwaitingUser(session);
    const res = await task;
    assert.equal(res.status, 408, res.text);
    assert.equal(res.body.code, 'ACTION_TIMEOUT');
    assert.match(res.body.error, /prompt_user: the success condition was not met within 1500 ms/);
    assert.equal(await awaitingUserOf(session), null);
  });
});

describe('mode prompt_user without a success condition', () => {
  /** The person's own browser, where the live view page opens. */
  let viewerBrowser: Browser | undefined;
  before(async () => {
    viewerBrowser = await chromium.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
  });
  after(async () => {
    await viewerBrowser?.close();
  });

  test('waits until the person clicks Done on the live view, then answers 201 on the page they left', async () => {
    const session = await newSession();
    const task = authenticate(session, '/login.html', { mode: 'prompt_user', pauseTimeoutMs: 120_000 });
    const waiting = await untilAwaitingUser(session);
    assert.match(waiting.awaitingUser.reason, /click Done/);

    const viewer = await viewerBrowser!.newPage();
    try {
      await viewer.goto(session.liveViewUrl);
      await viewer.getByRole('button', { name: 'Done' }).waitFor({ state: 'visible' });
      assert.match((await viewer.locator('#pause').textContent()) ?? '', /waiting for a person to log in/);
      await personLogsIn(session);
      assert.ok(await awaitingUserOf(session), 'logging in alone does not end a wait without a success condition');
      await viewer.getByRole('button', { name: 'Done' }).click();
      const res = await task;
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body.actionResults[0], {
        success: true,
        reason: 'prompt_user: the person clicked Done on the live view',
      });
      assert.equal(new URL(res.body.url).pathname, WELCOME.url);
      assert.equal(await awaitingUserOf(session), null);
      await viewer.locator('#pause').waitFor({ state: 'hidden' });
    } finally {
      await viewer.close();
    }
  });

  test('answers 408 when nobody clicks Done within pauseTimeoutMs, saying what to do', async () => {
    const session = await newSession();
    const res = await authenticate(session, '/login.html', { mode: 'prompt_user', pauseTimeoutMs: 1000 });
    assert.equal(res.status, 408, res.text);
    assert.equal(res.body.code, 'ACTION_TIMEOUT');
    assert.match(res.body.error, /nobody clicked Done on the live view within 1000 ms/);
    assert.equal(await awaitingUserOf(session), null);
  });
});

describe('mode vault_then_prompt', () => {
  test('a wrong stored password falls back to the person, who logs in', async () => {
    const credentialId = await createCredential({ password: WRONG_PASSWORD });
    const session = await newSession();
    const task = authenticate(session, '/login.html', {
      mode: 'vault_then_prompt',
      credentialId,
      success: { ...toWelcome, timeoutMs: 1500 },
      pauseTimeoutMs: 120_000,
    });
    const waiting = await untilAwaitingUser(session);
    assert.match(waiting.awaitingUser.reason, /success condition was not met/);
    await personLogsIn(session);
    const res = await task;
    assertLoggedIn(res, 'prompt_user', /page URL contains '\/welcome'/);
    assert.match(res.body.stepLog.find((e: any) => e.index === 0).detail, /vault login did not succeed/);
    assert.equal(await awaitingUserOf(session), null);
  });
});

describe('request errors', () => {
  test('mode vault without credentialId answers 400 naming the field', async () => {
    const res = await authenticate(await newSession(), '/login.html', { mode: 'vault', success: toWelcome });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.code, 'INVALID_REQUEST');
    assert.match(res.body.error, /credentialId/);
  });

  test('an invalid authenticate answers 400 before any action of the task runs', async () => {
    const session = await newSession();
    const invalid: Array<[Record<string, unknown>, RegExp]> = [
      [
        { mode: 'prompt_user', success: { condition: 'selector', value: '#welcome[' } },
        /actions\[1\]\.success\.value.*'#welcome\[' is not a valid selector/,
      ],
      [{ mode: 'prompt_user', success: { condition: 'text' } }, /actions\[1\]\.success\.value.*required/],
      [
        { mode: 'vault', credentialId: randomUUID(), selectors: { username: 'input[name=' } },
        /actions\[1\]\.selectors\.username/,
      ],
      [{ mode: 'vault' }, /actions\[1\]\.credentialId/],
    ];
    for (const [action, error] of invalid) {
      const res = await call('POST', `/browser/sessions/${session.id}/tasks`, {
        body: {
          url: `${fixtures.url}/login.html`,
          actions: [
            { type: 'evaluate', script: "document.title = 'ran'" },
            { type: 'authenticate', ...action },
          ],
        },
      });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 'INVALID_REQUEST');
      assert.match(res.body.error, error);
    }
    const now = await call('POST', `/browser/sessions/${session.id}/tasks`, { body: { actions: [] } });
    assert.equal(now.body.url, 'about:blank', 'neither the url nor the first action ran');
  });

  test('a raw username or password on authenticate is a 400 naming the fields, never dropped and never echoed', async () => {
    const credentialId = await createCredential();
    const session = await newSession();
    const res = await authenticate(session, '/login.html', {
      mode: 'vault',
      credentialId,
      username: ACCOUNT.username,
      password: ACCOUNT.password,
      success: toWelcome,
    });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.code, 'INVALID_REQUEST');
    assert.match(res.body.error, /unknown fields 'username', 'password' in 'actions\[0\]'/);
    const nested = await authenticate(session, '/login.html', {
      mode: 'prompt_user',
      success: { ...toWelcome, timeout: 5000 },
      selectors: { user: '#u' },
    });
    assert.equal(nested.status, 400, nested.text);
    assert.match(nested.body.error, /'timeout'|'user'/);
  });

  test('an unknown credentialId answers 404 CREDENTIAL_NOT_FOUND', async () => {
    const res = await authenticate(await newSession(), '/login.html', {
      mode: 'vault',
      credentialId: randomUUID(),
      success: toWelcome,
    });
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.code, 'CREDENTIAL_NOT_FOUND');
  });

  test("another tenant's credential answers 404 CREDENTIAL_NOT_FOUND and is not filled", async () => {
    const credentialId = await createCredential({}, otherTenantKey);
    const session = await newSession();
    const res = await authenticate(session, '/login.html', { mode: 'vault', credentialId, success: toWelcome });
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.code, 'CREDENTIAL_NOT_FOUND');
    assert.deepEqual(await fieldLengths(session), { username: 0, password: 0 });
  });
});
