// The LLM planner against the scripted model server: no browser, no internet. Pages are built by
// hand; each test scripts the model's replies and checks the decision and what was sent.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { llmPlannerFactory, type LlmPlannerFactoryOptions } from '../../src/agent/llm/index.js';
import type { PageSnapshot, Planner, PlannerInput } from '../../src/agent/types.js';
import { NavisError } from '../../src/errors.js';
import { promptText, startModelServer, type ModelServer } from '../helpers/model-server.js';

const API_KEY = 'sk-test-do-not-leak-0123456789';

const page: PageSnapshot = {
  url: 'http://app.test/notes/new',
  title: 'New note',
  elements: [
    {
      ref: 'e1',
      role: 'textbox',
      name: 'Title',
      tag: 'input',
      inputType: 'text',
      label: 'Title',
      value: '',
      css: '#title',
      visible: true,
    },
    {
      ref: 'e2',
      role: 'textbox',
      name: 'Password',
      tag: 'input',
      inputType: 'password',
      label: 'Password',
      css: '#pw',
      visible: true,
    },
    {
      ref: 'e3',
      role: 'button',
      name: 'Save',
      tag: 'button',
      text: 'Save',
      testId: 'save',
      css: 'form > button',
      visible: true,
    },
    {
      ref: 'e4',
      role: 'combobox',
      name: 'Folder',
      tag: 'select',
      options: ['Inbox', 'Archive'],
      value: 'Inbox',
      css: '#folder',
      visible: true,
    },
    {
      ref: 'e5',
      role: 'checkbox',
      name: 'Pinned',
      tag: 'input',
      inputType: 'checkbox',
      checked: false,
      css: '#pinned',
      visible: true,
    },
  ],
  text: 'New note\nTitle\nPassword\nFolder\nPinned\nSave',
};

const input = (overrides: Partial<PlannerInput> = {}): PlannerInput => ({
  instruction: 'save a note called Groceries',
  page,
  history: [],
  variables: {},
  ...overrides,
});

async function modelServer(t: TestContext): Promise<ModelServer> {
  const server = await startModelServer();
  t.after(() => server.close());
  return server;
}

function plannerFor(server: ModelServer, options: Partial<LlmPlannerFactoryOptions> = {}): Planner {
  return llmPlannerFactory({
    provider: 'openai',
    baseUrl: server.url,
    model: 'test-model',
    apiKey: API_KEY,
    timeoutMs: 5000,
    maxSteps: 25,
    ...options,
  }).create();
}

/** Asserts a typed planner failure that names what went wrong and never the API key. */
function plannerFailure(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof NavisError, `expected a NavisError, got ${String(error)}`);
    assert.equal(error.code, 'PLANNER_FAILED');
    assert.equal(error.status, 502);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes(API_KEY), `the API key leaked into: ${error.message}`);
    assert.ok(!JSON.stringify(error.details ?? {}).includes(API_KEY));
    return true;
  };
}

test('a scripted click becomes a click step on the target of that ref', async (t) => {
  const server = await modelServer(t);
  server.script([{ tool: 'click', args: { ref: 'e3' }, text: 'The Save button saves the note.' }]);
  const planner = plannerFor(server);
  const decision = await planner.next(input());
  assert.deepEqual(decision, {
    type: 'step',
    step: {
      type: 'click',
      target: { role: 'button', name: 'Save', text: 'Save', testId: 'save', css: 'form > button' },
    },
    thought: 'The Save button saves the note.',
  });
  assert.equal(planner.creditsPerCall, 1);
  assert.equal(planner.name, 'llm');
  assert.equal(planner.wantsScreenshot, false);
});

test('typing into a password field marks the step secret, into a text field not', async (t) => {
  const server = await modelServer(t);
  server.script([
    { tool: 'type', args: { ref: 'e2', text: 'hunter2' } },
    { tool: 'type', args: { ref: 'e1', text: 'Groceries' } },
  ]);
  const planner = plannerFor(server);
  assert.deepEqual(await planner.next(input()), {
    type: 'step',
    step: {
      type: 'type',
      target: { role: 'textbox', name: 'Password', label: 'Password', css: '#pw' },
      text: 'hunter2',
      secret: true,
    },
  });
  const title = await planner.next(input());
  assert.equal(title.type === 'step' && title.step.type === 'type' && title.step.secret, undefined);
});

test('done ends the run with the result in words', async (t) => {
  const server = await modelServer(t);
  server.script([{ tool: 'done', args: { result: 'Saved the note "Groceries".' } }]);
  assert.deepEqual(await plannerFor(server).next(input()), { type: 'done', result: 'Saved the note "Groceries".' });
});

test('fail ends the run with the reason', async (t) => {
  const server = await modelServer(t);
  server.script([{ tool: 'fail', args: { reason: 'The page asks for a login.' } }]);
  assert.deepEqual(await plannerFor(server).next(input()), { type: 'fail', error: 'The page asks for a login.' });
});

test('a bad ref is sent back once with the error, and the retry is used and costs a credit', async (t) => {
  const server = await modelServer(t);
  server.script([
    { tool: 'click', args: { ref: 'e99' } },
    { tool: 'click', args: { ref: 'e3' } },
  ]);
  const planner = plannerFor(server);
  const decision = await planner.next(input());
  assert.equal(decision.type === 'step' && decision.step.type === 'click' && decision.step.target?.name, 'Save');
  assert.equal(planner.creditsPerCall, 2);
  assert.equal(server.requests.length, 2);
  const retry = server.requests[1].body.messages;
  assert.equal(retry.length, 4, 'system, the turn, the bad reply, the correction');
  assert.match(String(retry.at(-2)!.content), /click\(\{"ref":"e99"\}\)/);
  assert.match(String(retry.at(-1)!.content), /no element with ref "e99"/);
});

test('a second bad reply fails the turn without a third request', async (t) => {
  const server = await modelServer(t);
  server.script([
    { tool: 'teleport', args: {} },
    { tool: 'check', args: { ref: 'e5', checked: 'yes' } },
  ]);
  const planner = plannerFor(server);
  const decision = await planner.next(input());
  assert.equal(decision.type, 'fail');
  assert.match(decision.type === 'fail' ? decision.error : '', /bad arguments for check: checked/);
  assert.match(String(server.requests[1].body.messages.at(-1)!.content), /no tool named "teleport"/);
  assert.equal(planner.creditsPerCall, 2);
  assert.equal(server.requests.length, 2);
});

test('the request carries the model, the tools, the key, the element lines and the history', async (t) => {
  const server = await modelServer(t);
  server.script([{ tool: 'click', args: { ref: 'e3' } }]);
  await plannerFor(server).next(
    input({
      history: [
        {
          step: { type: 'type', target: { label: 'Title' }, text: 'Groceries' },
          summary: "typed 'Groceries' into Title",
        },
        { step: { type: 'extract' }, summary: 'read the page', extracted: 'Folder: Inbox' },
      ],
    }),
  );
  const [request] = server.requests;
  assert.equal(request.path, '/v1/chat/completions');
  assert.equal(request.headers.authorization, `Bearer ${API_KEY}`);
  assert.equal(request.body.model, 'test-model');
  assert.equal(request.body.tool_choice, 'required');
  assert.equal(request.body.messages[0].role, 'system');
  assert.deepEqual(
    request.body.tools.map((tool) => tool.function.name),
    [
      'click',
      'type',
      'select',
      'check',
      'press',
      'hover',
      'focus',
      'scroll',
      'navigate',
      'history',
      'wait',
      'extract',
      'done',
      'fail',
    ],
  );
  assert.deepEqual(request.body.tools[0].function.parameters.required, ['ref']);
  const prompt = promptText(request.body);
  assert.match(prompt, /Instruction: save a note called Groceries/);
  for (const line of [
    '[e1] textbox "Title" value=""',
    '[e2] textbox "Password" password',
    '[e3] button "Save"',
    '[e4] combobox "Folder" value="Inbox" options=["Inbox", "Archive"]',
    '[e5] checkbox "Pinned" unchecked',
  ]) {
    assert.ok(prompt.includes(line), `missing element line ${line}`);
  }
  assert.match(prompt, /1\. typed 'Groceries' into Title\n2\. read the page: "Folder: Inbox"/);
  assert.match(prompt, /URL: http:\/\/app\.test\/notes\/new\nTitle: New note/);
});

test('the Anthropic Messages format works end to end', async (t) => {
  const server = await modelServer(t);
  server.script([{ tool: 'select', args: { ref: 'e4', option: 'archive' }, text: 'Moving it to the archive.' }]);
  const planner = plannerFor(server, {
    provider: 'anthropic',
    baseUrl: server.url.replace(/\/v1$/, ''),
    model: 'claude-test',
  });
  const decision = await planner.next(input());
  assert.deepEqual(decision, {
    type: 'step',
    step: { type: 'select', target: { role: 'combobox', name: 'Folder', css: '#folder' }, text: 'Archive' },
    thought: 'Moving it to the archive.',
  });
  const [request] = server.requests;
  assert.equal(request.path, '/v1/messages');
  assert.equal(request.headers['x-api-key'], API_KEY);
  assert.equal(request.headers['anthropic-version'], '2023-06-01');
  assert.equal(request.headers.authorization, undefined);
  assert.equal(request.body.model, 'claude-test');
  assert.deepEqual(request.body.tool_choice, { type: 'any' });
  assert.match(request.body.system ?? '', /navis/);
  assert.equal(request.body.messages[0].role, 'user');
  assert.deepEqual(request.body.tools.find((tool) => tool.name === 'check')?.input_schema.required, ['ref', 'checked']);
  assert.ok(promptText(request.body).includes('[e3] button "Save"'));
});

test('an HTTP 500 is a typed error naming the server and status, without the API key', async (t) => {
  const server = await modelServer(t);
  server.script([{ status: 500, body: { error: { message: `upstream exploded while using key ${API_KEY}` } } }]);
  await assert.rejects(
    plannerFor(server).next(input()),
    plannerFailure(/model server at http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions answered 500.*upstream exploded/),
  );
});

test('a rejected API key is a typed error that says to check NAVIS_LLM_API_KEY, without the key', async (t) => {
  const server = await modelServer(t);
  server.script([{ status: 401, body: { error: { message: `Incorrect API key provided: ${API_KEY}` } } }]);
  await assert.rejects(
    plannerFor(server).next(input()),
    plannerFailure(/answered 401.*Incorrect API key provided.*NAVIS_LLM_API_KEY/),
  );
});

test('a model server slower than the timeout is a typed error', async (t) => {
  const server = await modelServer(t);
  server.script([{ delayMs: 5000 }]);
  const started = Date.now();
  await assert.rejects(
    plannerFor(server, { timeoutMs: 1000 }).next(input()),
    plannerFailure(/did not answer within 1000 ms.*NAVIS_LLM_TIMEOUT_MS/),
  );
  assert.ok(Date.now() - started < 4000);
});

test("the caller's abort signal cancels the request", async (t) => {
  const server = await modelServer(t);
  server.script([{ delayMs: 5000 }]);
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('run cancelled')), 100);
  await assert.rejects(plannerFor(server).next(input(), controller.signal), /run cancelled/);
});

test('an unreachable model server is a typed error', async (t) => {
  const server = await modelServer(t);
  const url = server.url;
  await server.close();
  await assert.rejects(
    plannerFor(server, { baseUrl: url }).next(input()),
    plannerFailure(/Could not reach the model server at .*NAVIS_LLM_BASE_URL/),
  );
});

test("a server refusing tool_choice 'required' is asked again with 'auto', and keeps it", async (t) => {
  const server = await modelServer(t);
  server.script([
    { status: 400, body: { error: { message: "tool_choice 'required' is not supported by this server" } } },
    { tool: 'click', args: { ref: 'e3' } },
    { tool: 'done', args: { result: 'saved' } },
  ]);
  const factory = llmPlannerFactory({
    provider: 'openai',
    baseUrl: server.url,
    model: 'test-model',
    timeoutMs: 5000,
    maxSteps: 25,
  });
  const planner = factory.create();
  assert.equal((await planner.next(input())).type, 'step');
  assert.equal(planner.creditsPerCall, 1);
  assert.equal((await factory.create().next(input())).type, 'done');
  assert.deepEqual(
    server.requests.map((r) => r.body.tool_choice),
    ['required', 'auto', 'auto'],
  );
  assert.equal(server.requests[0].headers.authorization, undefined, 'no key configured: no Authorization header');
});

test('a tool call written as JSON text is read, for servers without tool calling', async (t) => {
  const server = await modelServer(t);
  server.script([{ content: 'I will save it.\n```json\n{"tool": "click", "args": {"ref": "e3"}}\n```' }]);
  const decision = await plannerFor(server).next(input());
  assert.equal(
    decision.type === 'step' && decision.step.type === 'click' && decision.step.target?.css,
    'form > button',
  );
});

test('an option the select does not offer is sent back as a bad call', async (t) => {
  const server = await modelServer(t);
  server.script([
    { tool: 'select', args: { ref: 'e4', option: 'Trash' } },
    { tool: 'select', args: { ref: 'e4', option: 'Inbox' } },
  ]);
  const decision = await plannerFor(server).next(input());
  assert.equal(decision.type === 'step' && decision.step.type === 'select' && decision.step.text, 'Inbox');
  assert.match(
    String(server.requests[1].body.messages.at(-1)!.content),
    /"Trash" is not an option of e4; its options are "Inbox", "Archive"/,
  );
});

test('navigate resolves a relative URL against the page and refuses file URLs', async (t) => {
  const server = await modelServer(t);
  server.script([
    { tool: 'navigate', args: { url: '/notes' } },
    { tool: 'navigate', args: { url: 'file:///etc/passwd' } },
    { tool: 'navigate', args: { url: 'file:///etc/passwd' } },
  ]);
  const planner = plannerFor(server);
  assert.deepEqual(await planner.next(input()), {
    type: 'step',
    step: { type: 'navigate', url: 'http://app.test/notes' },
  });
  const refused = await planner.next(input());
  assert.equal(refused.type, 'fail');
  assert.match(refused.type === 'fail' ? refused.error : '', /only http and https/);
});

test('the step limit ends the run without asking the model', async (t) => {
  const server = await modelServer(t);
  server.script([
    { tool: 'scroll', args: { direction: 'down' } },
    { tool: 'press', args: { key: 'Enter', ref: 'e1' } },
  ]);
  const planner = plannerFor(server, { maxSteps: 2 });
  assert.deepEqual(await planner.next(input()), { type: 'step', step: { type: 'scroll', direction: 'down' } });
  const press = await planner.next(input());
  assert.equal(press.type === 'step' && press.step.type === 'press' && press.step.target?.name, 'Title');
  const stopped = await planner.next(input());
  assert.equal(stopped.type, 'fail');
  assert.match(stopped.type === 'fail' ? stopped.error : '', /stopped after 2 planner steps/);
  assert.equal(planner.creditsPerCall, 0);
  assert.equal(server.requests.length, 2);
});

test('with wantsScreenshot the page screenshot is sent as an image', async (t) => {
  const server = await modelServer(t);
  server.script([{ tool: 'done', args: { result: 'ok' } }]);
  const planner = plannerFor(server, { wantsScreenshot: true });
  assert.equal(planner.wantsScreenshot, true);
  await planner.next(input({ page: { ...page, screenshot: 'iVBORw0KGgo=' } }));
  const content = server.requests[0].body.messages[1].content as Array<{ type: string; image_url?: { url: string } }>;
  assert.deepEqual(
    content.map((part) => part.type),
    ['text', 'image_url'],
  );
  assert.equal(content[1].image_url?.url, 'data:image/png;base64,iVBORw0KGgo=');
});
