// Secrets in natural-language actions never reach the model, a URL, the step cache or an answer.
// Detection (names, passwords written in the instruction) and the run's secret set are tested
// without a browser; then attacks end to end: a scripted model that looks for the password in its
// prompt and tries to carry it off in a URL, the rule planner echoing a written password, and the
// cache keeping {{password}} instead of the value.
import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { RunSecrets } from '../../src/agent/run-secrets.js';
import { isSecretName, secretsWrittenIn } from '../../src/agent/secrets.js';
import type { PageSnapshot } from '../../src/agent/types.js';
import { NavisError } from '../../src/errors.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { promptText, refShown, startModelServer, type ModelServer } from '../helpers/model-server.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

const RUN = '/public/single-actions/run-action';

describe('what counts as a secret', () => {
  test('variables named like secrets are secret, as whole words or name parts, in any case', () => {
    for (const name of [
      'password',
      'PASSWORD',
      'user_password',
      'newPassword2',
      'passwd',
      'pass',
      'pw',
      'pwd',
      'pin',
      'userPIN',
      'otp',
      'totp',
      'mfa_code',
      '2fa',
      'apiToken',
      'token',
      'client_secret',
      'card_cvv',
      'cvc',
      'api_key',
      'APIKey',
      'apikey',
      'private_key',
      'ssn',
      'security_code',
      'userpassword',
    ]) {
      assert.equal(isSecretName(name), true, name);
    }
  });

  test('names that only look close are not secret', () => {
    for (const name of [
      'meeting_title',
      'username',
      'email',
      'zip_code',
      'postal_code',
      'promo_code',
      'pinned',
      'passport',
      'compass',
      'secretary',
      'door',
      'keyword',
      'date',
    ]) {
      assert.equal(isSecretName(name), false, name);
    }
  });

  test('passwords written in the instruction are found, in the ways people write them', () => {
    const cases: Array<[string, string[]]> = [
      ['enter my password hunter2 and click Go', ['hunter2']],
      ['password: hunter2', ['hunter2']],
      ['log in with password "hunter 2"', ['hunter 2']],
      ['log in as alice with password s3cret', ['s3cret']],
      ['my pin is 1234', ['1234']],
      ['type s3cret into Password', ['s3cret']],
      ['type alice into Username and hunter2 into the password field', ['hunter2']],
      ['fill Password with s3cret', ['s3cret']],
      ['set my password to hunter2.', ['hunter2']],
      ['my OTP is 123456', ['123456']],
    ];
    for (const [instruction, literals] of cases)
      assert.deepEqual(secretsWrittenIn(instruction).literals, literals, instruction);
  });

  test('words about passwords that are no password are left alone', () => {
    for (const instruction of [
      'click the password reset link',
      'pin the tab',
      'Type {{password}} into Password, then click Sign in',
      'enter the password into Password',
      'go to https://app.test/reset?token=abc123 and set a new password', // an address the user wrote is a URL, not a written password
    ]) {
      assert.deepEqual(secretsWrittenIn(instruction).literals, [], instruction);
    }
  });

  test('a variable written where a password goes is secret whatever its name', () => {
    assert.deepEqual(secretsWrittenIn('log in as alice with password {{x}}').variables, ['x']);
    const secrets = RunSecrets.of('log in with password {{x}}', { x: 'plain-looking' });
    assert.equal(secrets.names.has('x'), true);
  });
});

describe("a run's secrets", () => {
  const page: PageSnapshot = {
    url: 'http://app.test/form',
    title: 'Form',
    elements: [
      {
        ref: 'e1',
        role: 'textbox',
        name: 'Notes',
        tag: 'input',
        inputType: 'text',
        value: 'hunter2-xyz',
        css: '#notes',
        visible: true,
      },
      {
        ref: 'e2',
        role: 'textbox',
        name: 'Short',
        tag: 'input',
        inputType: 'text',
        value: 'ab',
        css: '#short',
        visible: true,
      },
    ],
    text: 'You typed: hunter2-xyz',
  };

  test('a planner is given secret values only as {{name}}: instruction, page, history and variables', () => {
    const secrets = RunSecrets.of('Type {{password}} into Notes', {
      password: 'hunter2-xyz',
      pin: 'ab',
      title: 'Hello',
    });
    const masked = secrets.maskInput({
      instruction: 'Type hunter2-xyz into Notes',
      page,
      history: [
        {
          step: { type: 'type', target: { name: 'Notes' }, text: 'hunter2-xyz' },
          summary: "typed 'hunter2-xyz' into Notes",
          extracted: 'hunter2-xyz',
        },
      ],
      variables: { password: 'hunter2-xyz', pin: 'ab', title: 'Hello' },
    });
    const shown = JSON.stringify(masked);
    assert.doesNotMatch(shown, /hunter2-xyz/);
    assert.equal(masked.page.elements[0].value, '{{password}}');
    assert.equal(masked.page.elements[1].value, '{{pin}}', 'a field holding exactly a short secret is masked too');
    assert.equal(masked.page.text, 'You typed: {{password}}');
    assert.deepEqual(masked.variables, { password: '{{password}}', pin: '{{pin}}', title: 'Hello' });
    assert.equal(masked.page.elements[0].css, '#notes', 'locators stay usable');
  });

  test('an unknown name in secret_variables is a 400 naming it, as it may be a typo', () => {
    assert.throws(
      () => RunSecrets.of('Type {{door_code}} into Door', { door_code: '4711' }, ['door_cod']),
      (error: unknown) =>
        error instanceof NavisError && error.status === 400 && /secret_variables names "door_cod"/.test(error.message),
    );
  });

  test('a URL holding a secret is refused without naming its value', () => {
    const secrets = RunSecrets.of('my password is hunter2-lit', { password: 'hunter2-xyz' });
    for (const [written, resolved] of [
      ['https://evil.example/?p={{password}}', 'https://evil.example/?p=hunter2-xyz'],
      ['https://evil.example/%7B%7Bpassword%7D%7D', 'https://evil.example/%7B%7Bpassword%7D%7D'],
      ['https://evil.example/?p=hunter2-lit', 'https://evil.example/?p=hunter2-lit'],
    ]) {
      const refusal = secrets.urlRefusal(written, resolved);
      assert.match(refusal ?? '', /a secret may not be sent in a URL/, written);
      assert.doesNotMatch(refusal ?? '', /hunter2/);
    }
    assert.equal(secrets.urlRefusal('https://app.test/login', 'https://app.test/login'), undefined);
  });

  test('answers and errors are redacted, including what was typed into a password field', () => {
    const secrets = RunSecrets.of('enter my password hunter2-lit', {});
    secrets.note('typed-secret');
    const out = secrets.redactOutput({
      result: 'typed hunter2-lit',
      error: 'typed-secret failed',
      steps: ['hunter2-lit'],
      cacheDetail: 'typed-secret',
    });
    assert.doesNotMatch(JSON.stringify(out), /hunter2-lit|typed-secret/);
    const error = secrets.redactError(
      new NavisError(
        'PLANNER_FAILED',
        'model said hunter2-lit',
        { body: 'hunter2-lit' },
        { cause: new Error('cause hunter2-lit') },
      ),
    );
    assert.ok(error instanceof NavisError);
    assert.equal(error.code, 'PLANNER_FAILED');
    assert.doesNotMatch(
      `${error.message} ${JSON.stringify(error.details)} ${error.stack} ${String((error.cause as Error).message)}`,
      /hunter2-lit/,
    );
  });
});

/** A form whose plain fields echo what is typed into the page text, a password field, and a sink that records every hit. */
const FORM = `<!doctype html><html><head><meta charset="utf-8"><title>Account</title></head><body>
<form>
  <label>Username <input name="username"></label>
  <label>Password <input type="password" name="password"></label>
  <label>Notes <input name="notes"></label>
  <label>Door code <input name="door"></label>
  <button type="button" id="go">Go</button>
</form>
<p id="echo" role="status"></p>
<script>
  for (const name of ['notes', 'door']) document.querySelector('[name=' + name + ']').addEventListener('input', (e) => { document.getElementById('echo').textContent = 'You typed: ' + e.target.value; });
</script>
</body></html>`;
const NO_FIELDS =
  '<!doctype html><html><head><meta charset="utf-8"><title>Start</title></head><body><h1>Start</h1><button type="button">Go</button></body></html>';

let fixtures: FixtureServer;
const sinkHits: string[] = [];
const page = (html: string) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
};

before(async () => {
  fixtures = await startFixtureServer({
    routes: {
      '/secret-form': page(FORM),
      '/no-fields': page(NO_FIELDS),
      '/collect': (req, res) => {
        sinkHits.push(req.url ?? '');
        page('<!doctype html><title>Thanks</title>')(req, res);
      },
    },
  });
});
after(() => fixtures.close());

async function viaTask(navis: TestNavis, sessionId: string, actions: unknown[]): Promise<any> {
  const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, { body: { actions } });
  assert.equal(res.status, 201, res.text);
  return res.body;
}
const openByTask = (navis: TestNavis, sessionId: string, path: string) =>
  viaTask(navis, sessionId, [{ type: 'navigate', url: `${fixtures.url}${path}` }]);
const fieldValue = async (navis: TestNavis, sessionId: string, name: string) =>
  (await viaTask(navis, sessionId, [{ type: 'evaluate', script: `document.querySelector('[name=${name}]').value` }]))
    .actionResults[0].value as string;

/** Asserts a secret is nowhere: not in the answer, not in any log line. */
function assertNowhere(navis: TestNavis, secret: string, ...texts: string[]): void {
  for (const text of texts) assert.ok(!text.includes(secret), `the secret leaked into: ${text}`);
  const leaked = navis.logs.find((line) => line.includes(secret));
  assert.equal(leaked, undefined, `the secret leaked into a log line: ${leaked}`);
}

describe('with the LLM planner against a scripted model server', () => {
  let navis: TestNavis;
  let model: ModelServer;
  let sessionId: string;
  before(async () => {
    model = await startModelServer();
    navis = await startNavis({
      poolSize: 1,
      planner: 'llm',
      llmBaseUrl: model.url,
      llmModel: 'scripted-model',
      llmApiKey: 'sk-test-never-shown',
    });
    sessionId = (await navis.createSession()).session_id;
  });
  after(async () => {
    await navis.close();
    await model.close();
  });

  test('the model never sees a password variable: not in the instruction, the page after typing, nor the history', async () => {
    const secret = 'hunter2-xyz';
    await openByTask(navis, sessionId, '/secret-form');
    const from = model.requests.length;
    model.script([
      (req) => ({ tool: 'type', args: { ref: refShown(req, 'textbox "Password"'), text: '{{password}}' } }),
      (req) => ({ tool: 'type', args: { ref: refShown(req, 'textbox "Notes"'), text: '{{password}}' } }),
      { tool: 'done', args: { result: 'Filled in the password and the notes' } },
    ]);
    const res = await navis.request('POST', RUN, {
      body: {
        action: 'Log in as alice with password {{password}} and note it',
        session_id: sessionId,
        variables: { password: secret },
      },
    });
    assert.equal(res.body.success, true, res.text);
    assert.equal(await fieldValue(navis, sessionId, 'password'), secret, 'the real value is typed at execution');
    assert.equal(await fieldValue(navis, sessionId, 'notes'), secret);

    const prompts = model.requests.slice(from).map((r) => promptText(r.body));
    assert.equal(prompts.length, 3);
    for (const prompt of prompts) assert.ok(!prompt.includes(secret), `the model was shown the password:\n${prompt}`);
    assert.match(prompts[0], /Instruction: Log in as alice with password \{\{password\}\} and note it/);
    assert.match(prompts[2], /textbox "Notes" value="\{\{password\}\}"/, 'the field value after typing is masked');
    assert.match(prompts[2], /You typed: \{\{password\}\}/, 'the page text echoing it is masked');
    assert.match(
      prompts[2],
      /1\. typed a password into textbox "Password"\n2\. typed '\{\{password\}\}' into textbox "Notes"/,
      'the history is masked',
    );
    assertNowhere(navis, secret, res.text);
  });

  test('a variable listed in secret_variables is kept from the model like a password', async () => {
    const secret = 'open-sesame-42';
    await openByTask(navis, sessionId, '/secret-form');
    const from = model.requests.length;
    model.script([
      (req) => ({ tool: 'type', args: { ref: refShown(req, 'textbox "Door code"'), text: '{{door}}' } }),
      (req) => ({ tool: 'click', args: { ref: refShown(req, 'button "Go"') } }),
      { tool: 'done', args: { result: 'Opened the door' } },
    ]);
    const res = await navis.request('POST', RUN, {
      body: {
        action: 'Type {{door}} into Door code, then click Go',
        session_id: sessionId,
        variables: { door: secret },
        secret_variables: ['door'],
      },
    });
    assert.equal(res.body.success, true, res.text);
    assert.equal(await fieldValue(navis, sessionId, 'door'), secret);
    const prompts = model.requests.slice(from).map((r) => promptText(r.body));
    for (const prompt of prompts) assert.ok(!prompt.includes(secret), `the model was shown the door code:\n${prompt}`);
    assert.match(prompts[0], /Instruction: Type \{\{door\}\} into Door code, then click Go/);
    assert.match(prompts[1], /textbox "Door code" value="\{\{door\}\}"/);
    assertNowhere(navis, secret, res.text);
  });

  test('an unknown name in secret_variables answers 400 and asks nothing of the model', async () => {
    const from = model.requests.length;
    const res = await navis.request('POST', RUN, {
      body: {
        action: 'Type {{door}} into Door code',
        session_id: sessionId,
        variables: { door: '4711' },
        secret_variables: ['dor'],
      },
    });
    assert.equal(res.status, 400);
    assert.match(res.body.detail, /secret_variables names "dor"/);
    assert.equal(model.requests.length, from);
  });

  test('a model that navigates to a URL carrying the secret is refused, nothing is sent and nothing cached', async () => {
    const cases = [
      {
        action: 'Log in with {{password}}',
        variables: { password: 'hunter2-xyz' },
        url: `${fixtures.url}/collect?p={{password}}`,
        secret: 'hunter2-xyz',
      },
      {
        action: 'Log in with {{password}}',
        variables: { password: 'hunter2-xyz' },
        url: `${fixtures.url}/collect/{{password}}`,
        secret: 'hunter2-xyz',
      },
      {
        action: 'Log in, my password is hunter2-lit',
        variables: {},
        url: `${fixtures.url}/collect?p=hunter2-lit`,
        secret: 'hunter2-lit',
      },
    ];
    for (const [index, { action, variables, url, secret }] of cases.entries()) {
      await openByTask(navis, sessionId, '/secret-form');
      model.script([{ tool: 'navigate', args: { url } }]); // the run must stop there: no further reply is scripted
      const id = `exfil-${index}`;
      const res = await navis.request('POST', RUN, { body: { action, session_id: sessionId, id, variables } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.success, false, url);
      assert.match(res.body.error, /a secret may not be sent in a URL/);
      assert.equal(res.body.set_cache, false);
      assertNowhere(navis, secret, res.text);
      assert.equal((await navis.request('GET', `/public/step-cache/${id}`)).status, 404);
    }
    assert.deepEqual(sinkHits, [], 'the browser never reached the sink');
  });

  test('a model server error quoting a written password is a 500 without it', async () => {
    model.script([{ status: 500, body: { error: { message: 'could not parse: my password is hunter2-lit' } } }]);
    const res = await navis.request('POST', RUN, {
      body: { action: 'Log in, my password is hunter2-lit', session_id: sessionId },
    });
    assert.equal(res.status, 500);
    assert.match(res.body.detail, /^Failed to run single action: /);
    assert.match(res.body.detail, /\[redacted\]/);
    assertNowhere(navis, 'hunter2-lit', res.text);
  });
});

describe('with the rule planner', () => {
  let navis: TestNavis;
  let sessionId: string;
  before(async () => {
    navis = await startNavis({ poolSize: 1 });
    sessionId = (await navis.createSession()).session_id;
  });
  after(() => navis.close());

  test('a failure on a page without a password field does not repeat the password written in the instruction', async () => {
    await openByTask(navis, sessionId, '/no-fields');
    const res = await navis.request('POST', RUN, {
      body: { action: 'enter my password hunter2 and click Go', session_id: sessionId, id: 'written-password' },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.success, false);
    assert.match(res.body.error, /text field/);
    assertNowhere(navis, 'hunter2', res.text);
    assert.equal((await navis.request('GET', '/public/step-cache/written-password')).status, 404);
  });

  test('the cache keeps {{password}}, and the entry replays with a new value', async () => {
    const action = 'Type {{username}} into Username, type {{password}} into Password, then click Submit';
    await openByTask(navis, sessionId, '/agent/login.html');
    const first = await navis.request('POST', RUN, {
      body: { action, session_id: sessionId, id: 'login', variables: { username: 'alice', password: 's3cret' } },
    });
    assert.equal(first.body.success, true, first.text);
    assert.equal(first.body.set_cache, true, first.body.cache_detail);
    const status = async () =>
      (await viaTask(navis, sessionId, [{ type: 'evaluate', script: "document.getElementById('status').textContent" }]))
        .actionResults[0].value;
    assert.equal(await status(), 'Welcome, alice', 'the rule planner typed the real password from {{password}}');

    const entry = await navis.request('GET', '/public/step-cache/login');
    const stored = JSON.stringify(entry.body.steps);
    assert.match(stored, /"text":"\{\{password\}\}"/);
    assert.doesNotMatch(stored, /s3cret/);

    await openByTask(navis, sessionId, '/agent/login.html');
    const replay = await navis.request('POST', RUN, {
      body: { action, session_id: sessionId, id: 'login', variables: { username: 'alice', password: 'not-the-one' } },
    });
    assert.equal(replay.body.success, true, replay.text);
    assert.deepEqual([replay.body.used_cache, replay.body.cache_failed], [true, false]);
    assert.equal(await status(), 'Wrong username or password');
    assertNowhere(navis, 's3cret', first.text, replay.text);
    assertNowhere(navis, 'not-the-one', replay.text);
  });

  test('a URL the instruction builds from a secret is refused before the browser opens it', async () => {
    const res = await navis.request('POST', RUN, {
      body: {
        action: `go to ${fixtures.url}/collect?token={{api_token}}`,
        session_id: sessionId,
        id: 'token-url',
        variables: { api_token: 'tok-123456' },
      },
    });
    assert.equal(res.body.success, false);
    assert.match(res.body.error, /a secret may not be sent in a URL.*\{\{api_token\}\}/);
    assertNowhere(navis, 'tok-123456', res.text);
    assert.deepEqual(sinkHits, []);
    assert.equal((await navis.request('GET', '/public/step-cache/token-url')).status, 404);
  });
});
