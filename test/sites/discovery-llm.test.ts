// The LLM namer against the scripted model server (no browser, no internet): what it shows the
// model, how its tool call becomes names, the one correction, and failures without the API key.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import pino from 'pino';
import { NavisError } from '../../src/errors.js';
import type { NamingSummary } from '../../src/sites/discovery/index.js';
import { loadConfig } from '../../src/config.js';
import { LlmNamer, llmNamer, namerFrom, type LlmNamerOptions } from '../../src/sites/discovery/llm-namer.js';
import { promptText, startModelServer, type ModelServer } from '../helpers/model-server.js';

const API_KEY = 'sk-namer-do-not-leak-0123456789';

const summary: NamingSummary = {
  site: { baseUrl: 'http://shop.test', title: 'Mug Shop' },
  states: [
    {
      key: 'LoginPage',
      url: '/login.html',
      title: 'Log in - Mug Shop',
      headings: ['Log in'],
      views: [],
      actions: [
        { key: 'submit_login', kind: 'submit', label: 'Log in', inputs: ['email', 'password'], destructive: false },
      ],
    },
  ],
};

const naming = {
  states: [{ key: 'LoginPage', name: 'SignInPage', description: 'Customers sign in.' }],
  actions: [{ state: 'LoginPage', key: 'submit_login', name: 'sign_in', description: 'Signs in.' }],
};

async function modelServer(t: TestContext): Promise<ModelServer> {
  const server = await startModelServer();
  t.after(() => server.close());
  return server;
}

const namerFor = (server: ModelServer, options: Partial<LlmNamerOptions> = {}) =>
  llmNamer({
    provider: 'openai',
    baseUrl: server.url,
    model: 'test-model',
    apiKey: API_KEY,
    timeoutMs: 5000,
    ...options,
  });

test('the model is shown the derived names and the name_site tool; its call becomes the names', async (t) => {
  const server = await modelServer(t);
  server.script([{ tool: 'name_site', args: naming }]);
  assert.deepEqual(await namerFor(server).name(summary), naming);
  const [request] = server.requests;
  assert.equal(request.body.model, 'test-model');
  assert.equal(request.headers.authorization, `Bearer ${API_KEY}`);
  assert.deepEqual(
    request.body.tools.map((tool) => tool.function.name),
    ['name_site'],
  );
  const prompt = promptText(request.body);
  assert.match(prompt, /PascalCase/);
  assert.match(prompt, /"key": "submit_login"/);
  assert.match(prompt, /\/login\.html/);
});

test('the Anthropic format works the same way', async (t) => {
  const server = await modelServer(t);
  server.script([{ tool: 'name_site', args: naming }]);
  assert.deepEqual(await namerFor(server, { provider: 'anthropic' }).name(summary), naming);
  assert.equal(server.requests[0].path, '/v1/messages');
  assert.equal(server.requests[0].headers['x-api-key'], API_KEY);
});

test('a reply without the tool call is sent back once with what was wrong', async (t) => {
  const server = await modelServer(t);
  server.script([{ content: 'Here are some names: SignInPage.' }, { tool: 'name_site', args: naming }]);
  assert.deepEqual(await namerFor(server).name(summary), naming);
  assert.equal(server.requests.length, 2);
  assert.match(promptText(server.requests[1].body), /could not be used: the reply held no tool call/);
});

test('two unusable replies fail with PLANNER_FAILED, and the API key is in no error', async (t) => {
  const server = await modelServer(t);
  server.script([
    { tool: 'click', args: { ref: 'e1' } },
    { tool: 'name_site', args: { states: 'all of them' } },
  ]);
  await assert.rejects(namerFor(server).name(summary), (error: unknown) => {
    assert.ok(error instanceof NavisError);
    assert.equal(error.code, 'PLANNER_FAILED');
    assert.match(error.message, /bad arguments for name_site: states/);
    assert.ok(!error.message.includes(API_KEY));
    return true;
  });
  assert.match(promptText(server.requests[1].body), /there is no tool named "click"/);
});

test('a model server error is a PLANNER_FAILED naming the server, not the key', async (t) => {
  const server = await modelServer(t);
  server.script([{ status: 401, body: { error: { message: `bad key ${API_KEY}` } } }]);
  await assert.rejects(namerFor(server).name(summary), (error: unknown) => {
    assert.ok(error instanceof NavisError);
    assert.equal(error.code, 'PLANNER_FAILED');
    assert.match(error.message, /answered 401/);
    assert.ok(!error.message.includes(API_KEY));
    return true;
  });
});

test('the namer follows the planner settings: an LLM namer with NAVIS_PLANNER=llm, none with the rule planner', () => {
  const silent = pino({ level: 'silent' });
  assert.equal(namerFrom(loadConfig({}), silent), undefined);
  const config = loadConfig({
    NAVIS_PLANNER: 'llm',
    NAVIS_LLM_MODEL: 'test-model',
    NAVIS_LLM_BASE_URL: 'http://127.0.0.1:9/v1',
  });
  assert.ok(namerFrom(config, silent) instanceof LlmNamer);
});
