// seed 000: a natural-language action that submits a form and then reads the result page answers
// that page's text (the step that caused the navigation waits for it to load before the planner
// looks at the page again). The results page is served a little late, as a real search is, so a
// step that did not wait would read the page while it changes (test/tasks/navigation.test.ts has
// the same for typed steps).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { slowSearchResults, startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

const RUN = '/public/single-actions/run-action';
const RUNS = 6;

let navis: TestNavis;
let fixtures: FixtureServer;
let sessionId: string;

before(async () => {
  fixtures = await startFixtureServer({
    routes: {
      '/search-results': slowSearchResults(['Blue Mug', 'Red Mug']),
    },
  });
  navis = await startNavis({ poolSize: 1 });
  sessionId = (await navis.createSession()).session_id;
});
after(async () => {
  await navis?.close();
  await fixtures?.close();
});

async function openSearch(): Promise<void> {
  const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, {
    body: { url: `${fixtures.url}/search-form.html` },
  });
  assert.equal(res.status, 201, res.text);
}

test('a natural-language action that submits a form with Enter and then reads the page answers the result page, every run', async () => {
  for (let run = 0; run < RUNS; run++) {
    await openSearch();
    const res = await navis.request('POST', RUN, {
      body: {
        action: 'type "mug" into Search products, then press Enter, then extract the page text',
        session_id: sessionId,
      },
    });
    assert.equal(res.status, 200, `run ${run}: ${res.text}`);
    assert.equal(res.body.success, true, `run ${run}: ${res.text}`);
    assert.match(res.body.result, /Results for mug/, `run ${run}`);
    assert.match(res.body.result, /Red Mug/, `run ${run}`);
  }
});
