// SIGTERM while navis is busy: every request in flight either finishes or gets a clear 503 (never
// a dropped connection), then navis exits 0 with no Chromium left.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { browsersUnder, startChildNavis, type ChildNavis } from '../helpers/child-navis.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/navis.js';

let fixtures: FixtureServer;
let slowHits = 0;
let navis: ChildNavis | undefined;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-sigterm-'));

before(async () => {
  fixtures = await startFixtureServer({
    routes: {
      '/slow': (_req, res) => {
        slowHits++;
        const timer = setTimeout(() => res.end('<!doctype html><title>slow</title>done'), 3_000);
        res.once('close', () => clearTimeout(timer));
      },
    },
  });
});
after(async () => {
  await navis?.stop('SIGKILL');
  await fixtures?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('SIGTERM under load: requests in flight finish or answer 503, then navis exits with no Chromium left', async () => {
  navis = await startChildNavis(dataDir, { NAVIS_POOL_SIZE: '2' });
  const sessions: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await navis.request('POST', '/public/sessions', { body: {} });
    assert.equal(res.status, 200, res.text);
    sessions.push(res.body.session_id);
  }
  const inFlight: Array<Promise<{ what: string; status: number; text: string }>> = [];
  const send = (what: string, method: string, url: string, body?: unknown) =>
    inFlight.push(
      navis!.request(method, url, { body }).then(
        (res) => ({ what, status: res.status, text: res.text }),
        (error: Error) => ({ what, status: 0, text: String((error.cause as Error)?.message ?? error.message) }),
      ),
    );
  for (const id of sessions) {
    send('task', 'POST', `/browser/sessions/${id}/tasks`, { url: `${fixtures.url}/slow` });
    send('queued task', 'POST', `/browser/sessions/${id}/tasks`, { url: `${fixtures.url}/index.html` });
  }
  send('action', 'POST', '/public/single-actions/run-action', { action: `Go to ${fixtures.url}/slow` });
  await waitFor(() => slowHits >= sessions.length, 'the tasks to reach the slow page');
  for (let i = 0; i < 4; i++) {
    send('create', 'POST', '/public/sessions', {});
    send('list', 'GET', '/public/sessions');
  }

  navis.child.kill('SIGTERM');
  const answers = await Promise.all(inFlight);
  for (const { what, status, text } of answers) {
    const said = `${what}: ${status} ${text.slice(0, 300)}`;
    assert.notEqual(status, 0, `an answer, never a dropped connection: ${said}`);
    if (status >= 200 && status < 300) continue;
    // Ended by the shutdown: 503 (shutting down, or the browser closed under the run) or 410 (a
    // queued run whose session ended first), each saying so.
    assert.ok(status === 503 || status === 410, said);
    assert.match(text, /shutting down|server_shutdown|browser closed/, said);
  }
  const exit = await navis.exited;
  assert.equal(exit.code, 0, navis.output());
  assert.deepEqual(browsersUnder(dataDir), []);
});
