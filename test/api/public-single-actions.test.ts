// Seed 000's 500 body for Run Single Action: an internal failure answers exactly
// {"detail": "Failed to run single action: internal error"}; what broke stays in the log.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { rulePlannerFactory } from '../../src/agent/rules/index.js';
import type { Planner } from '../../src/agent/types.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

const RUN = '/public/single-actions/run-action';
/** A distinctive message, so a leak into the answer is found by substring search. */
const BUG = "Cannot read properties of undefined (reading 'ref') [planner-bug-7f3c]";

let navis: TestNavis;
before(async () => {
  navis = await startNavis({ poolSize: 0 });
});
after(() => navis.close());

/** Runs `fn` while the built-in planner (NAVIS_PLANNER=rules, the default) is one with a bug. */
async function withBrokenPlanner<T>(fn: () => Promise<T>): Promise<T> {
  const create = rulePlannerFactory.create;
  const broken: Planner = {
    name: 'broken',
    creditsPerCall: 0,
    wantsScreenshot: false,
    next: async () => {
      throw new TypeError(BUG);
    },
  };
  rulePlannerFactory.create = () => broken;
  try {
    return await fn();
  } finally {
    rulePlannerFactory.create = create;
  }
}

test('a planner that throws a plain Error answers 500 with exactly the seed 000 body, and the log has the error', async () => {
  const session = await navis.createSession();
  try {
    const res = await withBrokenPlanner(() => navis.request('POST', RUN, { body: { action: 'click Save', session_id: session.session_id } }));
    assert.equal(res.status, 500, res.text);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(res.body, { detail: 'Failed to run single action: internal error' });
    assert.ok(navis.logs.some((line) => line.includes('planner-bug-7f3c') && JSON.parse(line).level >= 50), 'the error is logged at level error');
  } finally {
    await navis.terminate(session.session_id);
  }
});

test('the session stays usable after the internal error', async () => {
  const session = await navis.createSession();
  try {
    await withBrokenPlanner(() => navis.request('POST', RUN, { body: { action: 'click Save', session_id: session.session_id } }));
    const res = await navis.request('POST', RUN, { body: { action: 'go to about:blank', session_id: session.session_id } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.success, true, res.text);
    assert.equal((await navis.request('GET', `/public/sessions/${session.session_id}`)).body.status, 'active');
  } finally {
    await navis.terminate(session.session_id);
  }
});
