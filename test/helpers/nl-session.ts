// A real navis with one session and the fixture server, for tests of natural-language actions:
// run an instruction, open a fixture page (a typed navigate, not part of what is tested), read the
// page back with an evaluate step.
import assert from 'node:assert/strict';
import { startFixtureServer, type FixtureServer } from './fixtures.js';
import { startNavis, type TestNavis } from './navis.js';

const RUN = '/public/single-actions/run-action';

export interface NlSession {
  navis: TestNavis;
  fixtures: FixtureServer;
  sessionId: string;
  /** POST run-action on the session; asserts 200 and returns the answer. */
  run(action: string, extra?: Record<string, unknown>): Promise<any>;
  /** Typed actions on the session; asserts 201 and returns the task result. */
  task(actions: unknown[]): Promise<any>;
  /** Opens a fixture page by its path under test/fixtures. */
  open(path: string): Promise<void>;
  /** The value of a script on the current page. */
  pageValue(script: string): Promise<any>;
  close(): Promise<void>;
}

export async function startNlSession(): Promise<NlSession> {
  const fixtures = await startFixtureServer();
  const navis = await startNavis({ poolSize: 1 });
  const sessionId = (await navis.createSession()).session_id as string;
  const task = async (actions: unknown[]) => {
    const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, { body: { actions } });
    assert.equal(res.status, 201, res.text);
    return res.body;
  };
  return {
    navis,
    fixtures,
    sessionId,
    async run(action, extra = {}) {
      const res = await navis.request('POST', RUN, { body: { action, session_id: sessionId, ...extra } });
      assert.equal(res.status, 200, `${res.text}\n${navis.logs.filter((l) => l.includes('"level":50')).join('\n')}`);
      return res.body;
    },
    task,
    async open(path) {
      await task([{ type: 'navigate', url: `${fixtures.url}/${path}` }]);
    },
    async pageValue(script) {
      return (await task([{ type: 'evaluate', script }])).actionResults[0].value;
    },
    async close() {
      await navis.close();
      await fixtures.close();
    },
  };
}
