// seed 000 Run Single Action end to end: contract, variables, the step cache (replay, fallback
// locators, cache failure and healing), user_agent, usage, and the LLM planner against a scripted
// OpenAI-compatible server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { promptText, refShown, startModelServer, type ModelServer } from '../helpers/model-server.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

const RUN = '/public/single-actions/run-action';
let fixtures: FixtureServer;

before(async () => {
  fixtures = await startFixtureServer();
});
after(() => fixtures.close());

const MEETING = 'Type {{meeting_title}} into Title, type {{date}} into Date, select 15:00 in Time, then click Save';

async function open(navis: TestNavis, sessionId: string, path: string): Promise<void> {
  const res = await navis.request('POST', RUN, {
    body: { action: `go to ${fixtures.url}${path}`, session_id: sessionId },
  });
  assert.equal(res.body.success, true, res.body.error);
}

/** Without any planner (the LLM describe scripts every model call): the Run Task endpoint on the same session. */
async function viaTask(navis: TestNavis, sessionId: string, actions: unknown[]): Promise<any> {
  const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, { body: { actions } });
  assert.equal(res.status, 201, res.text);
  return res.body;
}
const openByTask = (navis: TestNavis, sessionId: string, path: string) =>
  viaTask(navis, sessionId, [{ type: 'navigate', url: `${fixtures.url}${path}` }]);
const statusByTask = async (navis: TestNavis, sessionId: string) =>
  (
    await viaTask(navis, sessionId, [
      { type: 'evaluate', script: "document.querySelector('[role=status]').textContent" },
    ])
  ).actionResults[0].value as string;

describe('with the rule planner', () => {
  let navis: TestNavis;
  let sessionId: string;
  before(async () => {
    navis = await startNavis({ poolSize: 1 });
    sessionId = (await navis.createSession()).session_id;
  });
  after(() => navis.close());

  test('answers every documented field, and says which session ran the action', async () => {
    const res = await navis.request('POST', RUN, {
      body: { action: `Navigate to ${fixtures.url}/sa-home.html`, session_id: sessionId, id: 'home' },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.success, true);
    assert.equal(typeof res.body.result, 'string');
    assert.equal(res.body.credits, 0);
    assert.equal(res.body.used_cache, false);
    assert.equal(res.body.set_cache, true);
    assert.equal(res.body.cache_failed, false);
    assert.equal(res.body.session_id, sessionId);
    assert.equal('error' in res.body, false);
  });

  test('a missing or wrong X-API-Key answers 401 {"detail": "Invalid API key"}', async () => {
    for (const key of [null, 'nv_wrong_key_0000000000000000']) {
      const res = await navis.request('POST', RUN, { key, body: { action: 'click Save', session_id: sessionId } });
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { detail: 'Invalid API key' });
    }
  });

  test('an unknown session answers 404 and an ended one 410, each with a detail', async () => {
    const unknown = await navis.request('POST', RUN, {
      body: { action: 'click Save', session_id: '00000000-0000-4000-8000-000000000000' },
    });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { detail: 'Session not found' });
    const ended = await navis.createSession();
    await navis.terminate(ended.session_id);
    const res = await navis.request('POST', RUN, { body: { action: 'click Save', session_id: ended.session_id } });
    assert.equal(res.status, 410);
    assert.match(res.body.detail, /terminated/);
  });

  test('a referenced variable that is missing is a 400 naming it, and nothing runs', async () => {
    const res = await navis.request('POST', RUN, {
      body: { action: 'Type {{meeting_title}} into Title', session_id: sessionId, variables: { other: 'x' } },
    });
    assert.equal(res.status, 400);
    assert.match(res.body.detail, /\{\{meeting_title\}\}/);
    assert.match(res.body.detail, /"meeting_title"/);
  });

  test('an empty or missing action is a 400', async () => {
    for (const body of [
      { session_id: sessionId },
      { action: '   ', session_id: sessionId },
      { action: 5, session_id: sessionId },
    ]) {
      const res = await navis.request('POST', RUN, { body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.detail, /action/);
    }
  });

  test("the seed's flow: navigate by a link's name, then a meeting with variables, then a cached replay with new ones", async () => {
    await open(navis, sessionId, '/sa-home.html');
    const nav = await navis.request('POST', RUN, {
      body: { action: 'Navigate to Google Calendar', session_id: sessionId, id: 'nav-to-calendar' },
    });
    assert.equal(nav.body.success, true, nav.body.error);

    const first = await navis.request('POST', RUN, {
      body: {
        action: MEETING,
        session_id: sessionId,
        id: 'calendar-meeting-step',
        variables: { meeting_title: 'Internal sync', date: '2026-11-24' },
      },
    });
    assert.equal(first.body.success, true, first.body.error);
    assert.deepEqual([first.body.used_cache, first.body.set_cache, first.body.cache_failed], [false, true, false]);
    assert.equal(await statusByTask(navis, sessionId), 'Meeting scheduled: Internal sync on 2026-11-24 at 15:00');

    const entry = await navis.request('GET', '/public/step-cache/calendar-meeting-step');
    assert.equal(entry.status, 200);
    const stored = JSON.stringify(entry.body.steps);
    assert.match(stored, /\{\{meeting_title\}\}/);
    assert.doesNotMatch(stored, /Internal sync/);

    await open(navis, sessionId, '/sa-calendar.html');
    const replay = await navis.request('POST', RUN, {
      body: {
        action: MEETING,
        session_id: sessionId,
        id: 'calendar-meeting-step',
        variables: { meeting_title: 'Quarterly review', date: '2026-12-01' },
      },
    });
    assert.equal(replay.body.success, true, replay.body.error);
    assert.deepEqual(
      [replay.body.used_cache, replay.body.set_cache, replay.body.cache_failed, replay.body.credits],
      [true, false, false, 0],
    );
    assert.equal(await statusByTask(navis, sessionId), 'Meeting scheduled: Quarterly review on 2026-12-01 at 15:00');
  });

  test('a page whose ids, classes and structure changed still replays through the fallback locators', async () => {
    await open(navis, sessionId, '/sa-calendar.html');
    const vars = { meeting_title: 'Design review', date: '2026-11-30' };
    const first = await navis.request('POST', RUN, {
      body: { action: MEETING, session_id: sessionId, id: 'fallback', variables: vars },
    });
    assert.equal(first.body.success, true, first.body.error);

    await open(navis, sessionId, '/sa-calendar-v2.html');
    const replay = await navis.request('POST', RUN, {
      body: {
        action: MEETING,
        session_id: sessionId,
        id: 'fallback',
        variables: { ...vars, meeting_title: 'Moved review' },
      },
    });
    assert.equal(replay.body.success, true, replay.body.error);
    assert.equal(replay.body.used_cache, true);
    assert.equal(replay.body.cache_failed, false);
    assert.equal(await statusByTask(navis, sessionId), 'Meeting scheduled: Moved review on 2026-11-30 at 15:00');
  });

  test('a relabelled target is a cache failure, never a wrong click: it re-plans and heals the entry', async () => {
    await open(navis, sessionId, '/sa-calendar.html');
    const vars = { meeting_title: 'Heal me', date: '2026-11-28' };
    assert.equal(
      (
        await navis.request('POST', RUN, {
          body: { action: MEETING, session_id: sessionId, id: 'heal', variables: vars },
        })
      ).body.success,
      true,
    );

    await open(navis, sessionId, '/sa-calendar-v3.html');
    const res = await navis.request('POST', RUN, {
      body: { action: MEETING, session_id: sessionId, id: 'heal', variables: vars },
    });
    assert.equal(res.body.success, true, res.body.error);
    assert.equal(res.body.used_cache, true);
    assert.equal(res.body.cache_failed, true);
    assert.equal(res.body.set_cache, true);
    assert.match(res.body.cache_detail, /step 4 of 4 \(click\)/);
    assert.match(res.body.cache_detail, /button "Save"/);
    assert.equal(await statusByTask(navis, sessionId), 'Meeting scheduled: Heal me on 2026-11-28 at 15:00');

    const healed = await navis.request('GET', '/public/step-cache/heal');
    assert.equal(healed.body.heals, 1);
    assert.match(healed.body.last_failure.detail, /cached step 4 of 4 \(click\) failed/);
    assert.ok(Date.parse(healed.body.last_failure.at) > 0);
    assert.match(JSON.stringify(healed.body.steps), /Save meeting/);
    const again = await navis.request('POST', RUN, {
      body: { action: MEETING, session_id: sessionId, id: 'heal', variables: vars },
    });
    assert.deepEqual([again.body.used_cache, again.body.cache_failed], [true, false]);
  });

  test('the cache keeps {{n}} where a whole value was a variable, never inside ?p=10 or 127.0.0.1', async () => {
    const action = `go to ${fixtures.url}/sa-calendar.html?p=10 then type {{n}} into Title`;
    const first = await navis.request('POST', RUN, {
      body: { action, session_id: sessionId, id: 'whole-values', variables: { n: '1' } },
    });
    assert.equal(first.body.success, true, first.body.error);
    const entry = await navis.request('GET', '/public/step-cache/whole-values');
    assert.deepEqual(
      entry.body.steps.map((step: any) => step.url ?? step.text),
      [`${fixtures.url}/sa-calendar.html?p=10`, '{{n}}'],
    );

    const replay = await navis.request('POST', RUN, {
      body: { action, session_id: sessionId, id: 'whole-values', variables: { n: '2' } },
    });
    assert.deepEqual([replay.body.success, replay.body.used_cache], [true, true], replay.body.error);
    const page = await viaTask(navis, sessionId, [
      { type: 'evaluate', script: 'return [location.search, document.querySelector("#title").value]' },
    ]);
    assert.deepEqual(page.actionResults[0].value, ['?p=10', '2']);
  });

  test('a cache row that does not parse is a miss saying so (cache_failed, never a 500), and the run heals it', async () => {
    const body = { action: `Navigate to ${fixtures.url}/sa-home.html`, session_id: sessionId, id: 'corrupt-row' };
    assert.equal((await navis.request('POST', RUN, { body })).body.set_cache, true);
    const db = navis.navis.services.db;
    for (const broken of ['{"not": "a list"', '[{"kind": "teleport"}]', '[{"kind": "click"}]']) {
      db.prepare('UPDATE step_cache SET steps = ? WHERE cache_id = ?').run(broken, 'corrupt-row');
      const res = await navis.request('POST', RUN, { body });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.success, true, res.body.error);
      assert.equal(res.body.used_cache, false);
      assert.equal(res.body.cache_failed, true);
      assert.match(
        res.body.cache_detail,
        /cached steps not used: the cached steps (are not valid JSON|do not fit the step format)/,
      );
      assert.equal(res.body.set_cache, true, 'the entry is stored again');
      const healed = await navis.request('POST', RUN, { body });
      assert.equal(healed.body.used_cache, true, healed.text);
      assert.equal(healed.body.cache_failed, false);
    }
  });

  test('set_cache false never writes the cache, and another action text under the same id re-plans', async () => {
    await open(navis, sessionId, '/sa-calendar.html');
    const vars = { meeting_title: 'No cache', date: '2026-11-27' };
    const res = await navis.request('POST', RUN, {
      body: { action: MEETING, session_id: sessionId, id: 'never-stored', variables: vars, set_cache: false },
    });
    assert.equal(res.body.success, true, res.body.error);
    assert.equal(res.body.set_cache, false);
    assert.equal((await navis.request('GET', '/public/step-cache/never-stored')).status, 404);

    const stored = await navis.request('POST', RUN, {
      body: { action: 'Type {{meeting_title}} into Title', session_id: sessionId, id: 'text-change', variables: vars },
    });
    assert.equal(stored.body.set_cache, true);
    const other = await navis.request('POST', RUN, {
      body: { action: 'Type {{meeting_title}} into Date', session_id: sessionId, id: 'text-change', variables: vars },
    });
    assert.equal(other.body.success, true, other.body.error);
    assert.deepEqual([other.body.used_cache, other.body.cache_failed, other.body.set_cache], [false, false, true]);
    assert.equal(
      (await navis.request('GET', '/public/step-cache/text-change')).body.action,
      'Type {{meeting_title}} into Date',
    );
  });

  test('step cache entries can be listed, inspected and deleted, and belong to their tenant', async () => {
    const list = await navis.request('GET', '/public/step-cache');
    assert.equal(list.status, 200);
    assert.ok(list.body.total >= 1);
    assert.ok(list.body.entries.every((e: any) => typeof e.id === 'string' && typeof e.step_count === 'number'));
    const otherKey = await navis.newTenant('other');
    assert.equal(
      (await navis.request('GET', '/public/step-cache/calendar-meeting-step', { key: otherKey })).status,
      404,
    );
    assert.equal((await navis.request('GET', '/public/step-cache', { key: otherKey })).body.total, 0);
    assert.equal((await navis.request('DELETE', '/public/step-cache/calendar-meeting-step')).status, 204);
    assert.equal((await navis.request('GET', '/public/step-cache/calendar-meeting-step')).status, 404);
  });

  test('double-click and right-click are those clicks, on a first run and on a replay from the cache', async () => {
    for (const [action, expected] of [
      ['double-click Notes', 'click, click, dblclick'],
      ['right-click Notes', 'contextmenu'],
      ['click Notes', 'click'],
    ]) {
      for (const round of ['planned', 'replayed']) {
        await openByTask(navis, sessionId, '/sa-clicks.html');
        const res = await navis.request('POST', RUN, {
          body: { action, session_id: sessionId, id: `clicks-${action}` },
        });
        assert.equal(res.body.success, true, res.body.error);
        assert.equal(res.body.used_cache, round === 'replayed');
        assert.equal(await statusByTask(navis, sessionId), expected, `${action} (${round})`);
        assert.match(res.body.result, new RegExp(`^${action.split(' ')[0]}ed (button )?"?Notes`, 'i'));
      }
    }
  });

  test('go back returns to the page before, planned and replayed', async () => {
    for (const round of ['planned', 'replayed']) {
      await openByTask(navis, sessionId, '/sa-home.html');
      await openByTask(navis, sessionId, '/sa-clicks.html');
      const res = await navis.request('POST', RUN, {
        body: { action: 'go back', session_id: sessionId, id: 'history-back' },
      });
      assert.equal(res.body.success, true, res.body.error);
      assert.equal(res.body.used_cache, round === 'replayed');
      const where = await viaTask(navis, sessionId, [{ type: 'evaluate', script: 'location.pathname' }]);
      assert.equal(where.actionResults[0].value, '/sa-home.html', round);
      assert.match(res.body.result, /went back/i);
    }
  });

  test('a failing action answers success false with an error saying what was not found', async () => {
    await open(navis, sessionId, '/sa-calendar.html');
    const res = await navis.request('POST', RUN, {
      body: { action: 'click Sumbit', session_id: sessionId, id: 'fails' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.success, false);
    assert.match(res.body.error, /Sumbit/);
    assert.match(res.body.error, /Save/);
    assert.equal(res.body.set_cache, false);
    assert.equal((await navis.request('GET', '/public/step-cache/fails')).status, 404);
  });

  test('a password typed from a literal is never stored in the cache', async () => {
    await open(navis, sessionId, '/login.html');
    const secret = 'hunter2-literal-secret';
    const res = await navis.request('POST', RUN, {
      body: { action: `type "${secret}" into Password`, session_id: sessionId, id: 'literal-password' },
    });
    assert.equal(res.body.success, true, res.body.error);
    assert.equal(res.body.set_cache, false);
    assert.match(res.body.cache_detail, /password/);
    assert.doesNotMatch(JSON.stringify(res.body), new RegExp(secret));
    assert.equal((await navis.request('GET', '/public/step-cache/literal-password')).status, 404);
  });

  test('user_agent applies to this action only', async () => {
    const ua = 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15';
    const res = await navis.request('POST', RUN, {
      body: { action: `go to ${fixtures.url}/sa-ua.html then read the status`, session_id: sessionId, user_agent: ua },
    });
    assert.equal(res.body.success, true, res.body.error);
    assert.match(res.body.result, /iPhone OS 16_0/);
    await open(navis, sessionId, '/sa-ua.html');
    assert.doesNotMatch(await statusByTask(navis, sessionId), /iPhone/);
  });

  test('without session_id a 10-minute session with the given screen is created and named in the answer', async () => {
    const res = await navis.request('POST', RUN, {
      body: { action: `go to ${fixtures.url}/sa-home.html`, screen_config: { width: 1024, height: 768 } },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.success, true, res.body.error);
    const session = await navis.request('GET', `/public/sessions/${res.body.session_id}`);
    assert.equal(session.status, 200);
    assert.equal(session.body.ttl, 600);
    assert.deepEqual(session.body.screen_config, { width: 1024, height: 768 });
    await navis.terminate(res.body.session_id);
  });

  test('usage counts actions and credits per tenant', async () => {
    const res = await navis.request('GET', '/public/usage');
    assert.equal(res.status, 200);
    assert.ok(res.body.actions >= 5);
    assert.equal(res.body.total_credits, 0);
    assert.ok(res.body.cached_actions >= 2);
    assert.ok(res.body.recent.some((u: any) => u.id === 'calendar-meeting-step' && u.used_cache === true));
  });
});

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

  test("the seed's meeting action is planned by the model, costs one credit per call, and replays with no call", async () => {
    await openByTask(navis, sessionId, '/sa-calendar.html');
    model.script([
      (req) => ({ tool: 'type', args: { ref: refShown(req, 'textbox "Title"'), text: 'Internal sync' } }),
      (req) => ({ tool: 'select', args: { ref: refShown(req, 'combobox "Time"'), option: '15:00' } }),
      (req) => ({ tool: 'click', args: { ref: refShown(req, 'button "Save"') } }),
      { tool: 'done', args: { result: 'Meeting scheduled for tomorrow at 3:00 PM' } },
    ]);
    const action = 'Create a meeting called {{meeting_title}} for tomorrow at 3pm';
    const first = await navis.request('POST', RUN, {
      body: { action, session_id: sessionId, id: 'llm-meeting', variables: { meeting_title: 'Internal sync' } },
    });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(
      {
        success: first.body.success,
        result: first.body.result,
        credits: first.body.credits,
        used_cache: first.body.used_cache,
        set_cache: first.body.set_cache,
        cache_failed: first.body.cache_failed,
      },
      {
        success: true,
        result: 'Meeting scheduled for tomorrow at 3:00 PM',
        credits: 4,
        used_cache: false,
        set_cache: true,
        cache_failed: false,
      },
    );
    assert.equal(
      await statusByTask(navis, sessionId),
      'Meeting scheduled: Internal sync on  at 15:00',
      JSON.stringify(first.body),
    );
    const calls = model.requests.length;
    assert.match(promptText(model.requests[0].body), /Create a meeting called Internal sync/);

    await openByTask(navis, sessionId, '/sa-calendar.html');
    const replay = await navis.request('POST', RUN, {
      body: { action, session_id: sessionId, id: 'llm-meeting', variables: { meeting_title: 'Team lunch' } },
    });
    assert.equal(replay.body.success, true, replay.body.error);
    assert.deepEqual([replay.body.used_cache, replay.body.credits, replay.body.cache_failed], [true, 0, false]);
    assert.equal(model.requests.length, calls, 'a clean replay calls no planner');
    assert.equal(await statusByTask(navis, sessionId), 'Meeting scheduled: Team lunch on  at 15:00');
  });

  test('a model server failure is {"detail": "Failed to run single action: ..."} without the key', async () => {
    model.script([{ status: 500, body: { error: { message: 'model exploded' } } }]);
    const res = await navis.request('POST', RUN, { body: { action: 'click Save', session_id: sessionId } });
    assert.equal(res.status, 500);
    assert.match(res.body.detail, /^Failed to run single action: /);
    assert.doesNotMatch(res.text, /sk-test-never-shown/);
    assert.ok(navis.logs.every((line) => !line.includes('sk-test-never-shown')));
  });
});
