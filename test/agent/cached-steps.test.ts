// Step cache rows as the Action schema reads them: the old `{kind: …}` steps (stored before the
// planners planned Actions) convert to Actions, once at startup and at read time; a row that does
// not fit stays a miss that says why.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { actionOfLegacyStep, readCachedSteps, type LegacyStep } from '../../src/agent/cached-steps.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis } from '../helpers/navis.js';

const field = { role: 'textbox', name: 'Title', css: '#title' };
const save = { role: 'button', name: 'Save', css: '#save' };

describe('an old-format step becomes the Action it meant', () => {
  const cases: Array<[LegacyStep, Record<string, unknown>]> = [
    [
      { kind: 'navigate', url: 'https://example.test/{{page}}' },
      { type: 'navigate', url: 'https://example.test/{{page}}' },
    ],
    [{ kind: 'history', direction: 'back' }, { type: 'back' }],
    [{ kind: 'history', direction: 'forward' }, { type: 'forward' }],
    [
      { kind: 'click', target: save },
      { type: 'click', target: save },
    ],
    [
      { kind: 'click', target: save, how: 'double' },
      { type: 'click', target: save, clickCount: 2 },
    ],
    [
      { kind: 'click', target: save, how: 'right' },
      { type: 'click', target: save, button: 'right' },
    ],
    [
      { kind: 'type', target: field, value: '{{title}}' },
      { type: 'type', target: field, text: '{{title}}' },
    ],
    [
      { kind: 'type', target: field, value: '{{pw}}', secret: true },
      { type: 'type', target: field, text: '{{pw}}', secret: true },
    ],
    [
      { kind: 'select', target: field, value: '15:00' },
      { type: 'select', target: field, text: '15:00' },
    ],
    [
      { kind: 'check', target: field, checked: false },
      { type: 'check', target: field, checked: false },
    ],
    [
      { kind: 'press', key: 'Enter' },
      { type: 'press', key: 'Enter' },
    ],
    [
      { kind: 'press', key: 'Enter', target: field },
      { type: 'press', key: 'Enter', target: field },
    ],
    [
      { kind: 'hover', target: save },
      { type: 'hover', target: save },
    ],
    [
      { kind: 'focus', target: field },
      { type: 'focus', target: field },
    ],
    [
      { kind: 'scroll', direction: 'bottom' },
      { type: 'scroll', direction: 'bottom' },
    ],
    [{ kind: 'scroll' }, { type: 'scroll', direction: 'down' }],
    [
      { kind: 'scroll', target: save },
      { type: 'scroll', target: save },
    ],
    [
      { kind: 'wait', target: save },
      { type: 'wait', target: save },
    ],
    [
      { kind: 'wait', text: 'Saved' },
      { type: 'wait', text: 'Saved' },
    ],
    [
      { kind: 'wait', ms: 500 },
      { type: 'wait', ms: 500 },
    ],
    [
      { kind: 'wait', ms: 90_000 },
      { type: 'wait', ms: 30_000 },
    ],
    [{ kind: 'extract' }, { type: 'extract' }],
    [
      { kind: 'extract', target: save, description: 'the button' },
      { type: 'extract', target: save, description: 'the button' },
    ],
  ];
  for (const [legacy, action] of cases) {
    test(`${JSON.stringify(legacy)} → ${JSON.stringify(action)}`, () => {
      assert.deepEqual(actionOfLegacyStep(legacy), action);
      const read = readCachedSteps(JSON.stringify([legacy]));
      assert.deepEqual(read, { ok: true, steps: [action], legacy: true });
    });
  }

  test('a row of Actions reads as it is, and one of an unknown kind or a step without its target does not read', () => {
    assert.deepEqual(readCachedSteps('[{"type":"back"}]'), { ok: true, steps: [{ type: 'back' }], legacy: false });
    for (const broken of ['[{"kind":"teleport"}]', '[{"kind":"click"}]', '[{"type":"type","text":"x"}]']) {
      const read = readCachedSteps(broken);
      assert.equal(read.ok, false, broken);
      assert.match(!read.ok ? read.reason : '', /do not fit the step format/);
    }
  });
});

describe('an old-format cache row', () => {
  let fixtures: FixtureServer;
  before(async () => {
    fixtures = await startFixtureServer();
  });
  after(() => fixtures.close());

  test('is converted at startup and replays with used_cache, as it also does when read before conversion', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-test-'));
    const action = `Navigate to ${fixtures.url}/sa-calendar.html, then type {{meeting_title}} into Title, then click Save`;
    const legacy = JSON.stringify([
      { kind: 'navigate', url: `${fixtures.url}/sa-calendar.html` },
      { kind: 'type', target: field, value: '{{meeting_title}}' },
      { kind: 'click', target: save },
    ]);
    const run = async (navis: Awaited<ReturnType<typeof startNavis>>, title: string) => {
      const session = (await navis.createSession()).session_id as string;
      const res = await navis.request('POST', '/public/single-actions/run-action', {
        body: { action, session_id: session, id: 'old-row', variables: { meeting_title: title } },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.success, true, res.body.error);
      const status = await navis.request('POST', `/browser/sessions/${session}/tasks`, {
        body: { actions: [{ type: 'extract', selector: '#status' }] },
      });
      return { body: res.body, status: status.body.actionResults[0].text as string };
    };
    const stepsInDb = (navis: Awaited<ReturnType<typeof startNavis>>) =>
      JSON.parse(
        (
          navis.navis.services.db.prepare('SELECT steps FROM step_cache WHERE cache_id = ?').get('old-row') as {
            steps: string;
          }
        ).steps,
      ) as unknown[];

    const first = await startNavis({ poolSize: 1 }, { dataDir });
    try {
      assert.equal((await run(first, 'Planned')).body.set_cache, true);
      first.navis.services.db.prepare('UPDATE step_cache SET steps = ? WHERE cache_id = ?').run(legacy, 'old-row');
      const tolerated = await run(first, 'Read as it was');
      assert.deepEqual(
        [tolerated.body.used_cache, tolerated.body.cache_failed, tolerated.body.credits],
        [true, false, 0],
        tolerated.body.cache_detail,
      );
      assert.match(tolerated.status, /^Meeting scheduled: Read as it was on/);
    } finally {
      await first.close();
    }

    const restarted = await startNavis({ poolSize: 1 }, { dataDir });
    try {
      assert.deepEqual(stepsInDb(restarted), [
        { type: 'navigate', url: `${fixtures.url}/sa-calendar.html` },
        { type: 'type', target: field, text: '{{meeting_title}}' },
        { type: 'click', target: save },
      ]);
      const replayed = await run(restarted, 'After restart');
      assert.deepEqual(
        [replayed.body.used_cache, replayed.body.cache_failed],
        [true, false],
        replayed.body.cache_detail,
      );
      assert.match(replayed.status, /^Meeting scheduled: After restart on/);
    } finally {
      await restarted.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
