// Issue 12, "caching stays right", on the nl-shop counter page: a cached action whose last button
// was renamed is repaired from the step that failed. The steps replayed before it (typing a
// {{variable}}, clicking "Add one") count as done and are never run again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { promptText, refShown, startModelServer, type ModelServer } from '../helpers/model-server.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

const RUN = '/public/single-actions/run-action';
let fixtures: FixtureServer;
/** The navis (rule or LLM planner) of the describe block running. */
let navis: TestNavis;
let sessionId: string;

before(async () => {
  fixtures = await startFixtureServer();
});
after(() => fixtures.close());

async function run(action: string, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await navis.request('POST', RUN, { body: { action, session_id: sessionId, ...extra } });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

/** Typed steps on the same session (no planner, so no model call). */
async function task(actions: unknown[]): Promise<any> {
  const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, { body: { actions } });
  assert.equal(res.status, 201, res.text);
  return res.body;
}
const open = (path: string) => task([{ type: 'navigate', url: `${fixtures.url}/nl-shop/${path}` }]);
const shown = async (): Promise<{ count: string; saved: string }> =>
  (await task([{ type: 'evaluate', script: '({ ...document.body.dataset })' }])).actionResults[0].value;

/** Caches `action` on the counter page, then replays it on the page whose Save button is now "Store". */
async function repairAfterRename(id: string, action: string, first: object, second: object, savedName: string) {
  await open('counter.html');
  const planned = await run(action, { id, ...first });
  assert.equal(planned.success, true, planned.error);
  assert.equal((await shown()).count, '1');

  await open('counter.html?save=Store');
  const repaired = await run(action, { id, ...second });
  assert.equal(repaired.success, true, repaired.error);
  assert.deepEqual([repaired.used_cache, repaired.cache_failed, repaired.set_cache], [true, true, true]);
  assert.match(repaired.cache_detail, /step 3 of 3 \(click\)/);
  const page = await shown();
  assert.equal(page.count, '1', `Add one was clicked again: ${JSON.stringify(repaired.steps)}`);
  assert.equal(page.saved, `Saved ${savedName} with 1`);
  assert.equal(repaired.steps.length, 3, JSON.stringify(repaired.steps));

  const entry = await navis.request('GET', `/public/step-cache/${id}`);
  assert.equal(entry.body.heals, 1);
  assert.match(JSON.stringify(entry.body.steps), /Store/);
}

describe('repairing a cached action (rule planner)', () => {
  before(async () => {
    navis = await startNavis({ poolSize: 1 });
    sessionId = (await navis.createSession()).session_id;
  });
  after(() => navis.close());

  test('with {{variables}}: resumes at the renamed button, the counter goes up once', async () => {
    await repairAfterRename(
      'counter-vars',
      'type {{who}} into Name, click Add one, click Save',
      { variables: { who: 'Ada' } },
      { variables: { who: 'Grace' } },
      'Grace',
    );
  });

  test('with literal values: resumes at the renamed button, the counter goes up once', async () => {
    await repairAfterRename('counter-literal', 'type Ada into Name, click Add one, click Save', {}, {}, 'Ada');
  });
});

describe('repairing a cached action (LLM planner against a scripted model)', () => {
  let model: ModelServer;
  before(async () => {
    model = await startModelServer();
    navis = await startNavis({ poolSize: 1, planner: 'llm', llmBaseUrl: model.url, llmModel: 'scripted-model' });
    sessionId = (await navis.createSession()).session_id;
  });
  after(async () => {
    await navis.close();
    await model.close();
  });

  test('the model is asked from the failed step on, told what the replayed steps did', async () => {
    const action = 'type {{who}} into Name, click Add one, click Save';
    model.script([
      (req) => ({ tool: 'type', args: { ref: refShown(req, 'textbox "Name"'), text: 'Ada' } }),
      (req) => ({ tool: 'click', args: { ref: refShown(req, 'button "Add one"') } }),
      (req) => ({ tool: 'click', args: { ref: refShown(req, 'button "Save"') } }),
      { tool: 'done', args: { result: 'Saved' } },
      (req) => ({ tool: 'click', args: { ref: refShown(req, 'button "Store"') } }),
      { tool: 'done', args: { result: 'Saved' } },
    ]);
    await open('counter.html');
    const planned = await run(action, { id: 'counter-llm', variables: { who: 'Ada' } });
    assert.equal(planned.success, true, planned.error);
    const calls = model.requests.length;

    await open('counter.html?save=Store');
    const repaired = await run(action, { id: 'counter-llm', variables: { who: 'Grace' } });
    assert.equal(repaired.success, true, repaired.error);
    assert.deepEqual([repaired.used_cache, repaired.cache_failed, repaired.credits], [true, true, 2]);
    const prompt = promptText(model.requests[calls].body);
    assert.match(prompt, /Steps done so far:\n1\. typed 'Grace' into textbox "Name"\n2\. clicked button "Add one"\n/);
    assert.match(prompt, /never do one again/);
    assert.deepEqual(await shown(), { ...(await shown()), count: '1', saved: 'Saved Grace with 1' });
  });
});
