// Seed 000's 500 body for Run Single Action: an internal failure answers exactly
// {"detail": "Failed to run single action: internal error"}; what broke stays in the log.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { withBrokenPlanner } from '../helpers/broken-planner.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

const RUN = '/public/single-actions/run-action';
/** In the planner's error message: distinctive, so a leak into the answer is found by substring search. */
const MARKER = 'planner-bug-7f3c';

let navis: TestNavis;
before(async () => {
  navis = await startNavis({ poolSize: 0 });
});
after(() => navis.close());

test('a planner that throws a plain Error answers 500 with exactly the seed 000 body, and the log has the error', async () => {
  const session = await navis.createSession();
  try {
    const res = await withBrokenPlanner(MARKER, () =>
      navis.request('POST', RUN, { body: { action: 'click Save', session_id: session.session_id } }),
    );
    assert.equal(res.status, 500, res.text);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(res.body, { detail: 'Failed to run single action: internal error' });
    assert.ok(
      navis.logs.some((line) => line.includes(MARKER) && JSON.parse(line).level >= 50),
      'the error is logged at level error',
    );
  } finally {
    await navis.terminate(session.session_id);
  }
});

test('the session stays usable after the internal error', async () => {
  const session = await navis.createSession();
  try {
    await withBrokenPlanner(MARKER, () =>
      navis.request('POST', RUN, { body: { action: 'click Save', session_id: session.session_id } }),
    );
    const res = await navis.request('POST', RUN, {
      body: { action: 'go to about:blank', session_id: session.session_id },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.success, true, res.text);
    assert.equal((await navis.request('GET', `/public/sessions/${session.session_id}`)).body.status, 'active');
  } finally {
    await navis.terminate(session.session_id);
  }
});
