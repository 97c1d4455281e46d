// bench/miniwob.ts as a smoke test: its core function runs a few episodes of simple tasks with the
// rule planner and with the LLM planner against the scripted model server; the declared task list
// covers the vendored tasks exactly; and nothing in src/ knows about MiniWoB.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  closeMiniwob,
  EXCLUDED,
  MINIWOB_HTML,
  normalizeError,
  runMiniwob,
  TASKS,
  type MiniwobReport,
} from '../../bench/miniwob.js';
import { promptText, refShown, startModelServer } from '../helpers/model-server.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

after(() => closeMiniwob());

function checkShape(r: MiniwobReport, tasks: string[], episodes: number): void {
  assert.equal(r.bench, 'miniwob');
  assert.deepEqual(
    r.tasks.map((t) => t.task),
    tasks,
  );
  assert.equal(r.episodes.length, tasks.length * episodes);
  assert.equal(r.overall.episodes, tasks.length * episodes);
  for (const e of r.episodes) {
    assert.ok(e.utterance.length > 0, `${e.task}: an instruction was read (${e.error})`);
    assert.ok(!e.cause?.startsWith('harness:'), `${e.task}: no harness failure (${e.cause})`);
    assert.match(e.seed, new RegExp(`^${r.settings.seed}-${e.task}-\\d+$`));
    assert.ok(Number.isFinite(e.ms) && e.ms > 0);
    assert.equal(e.success, e.done && e.rawReward > 0);
  }
  const failed = r.episodes.filter((e) => !e.success).length;
  assert.equal(
    r.failures.reduce((a, g) => a + g.count, 0),
    failed,
    'every failed episode is in one cause group',
  );
}

test('the declared list and the exclusions cover the vendored tasks exactly, each once', () => {
  const vendored = fs
    .readdirSync(path.join(MINIWOB_HTML, 'miniwob'))
    .filter((f) => f.endsWith('.html'))
    .map((f) => f.slice(0, -'.html'.length))
    .sort();
  const declared: string[] = [...TASKS];
  assert.ok(declared.length >= 40, `at least 40 tasks declared (${declared.length})`);
  assert.deepEqual(
    declared.filter((t) => t in EXCLUDED),
    [],
    'no task both declared and excluded',
  );
  assert.deepEqual([...declared, ...Object.keys(EXCLUDED)].sort(), vendored);
  for (const [task, why] of Object.entries(EXCLUDED)) assert.ok(why.length > 10, `${task} says why`);
});

test('error texts group by cause: quoted strings and numbers taken out', () => {
  assert.equal(
    normalizeError('could not find "nisi" to click after 1500 ms'),
    normalizeError('could not find "Lorem ipsum" to click after 20 ms'),
  );
  assert.equal(normalizeError('could not find "x" in 3 places'), 'could not find "…" in N places');
  assert.equal(
    normalizeError('could not understand "Reply to "Ann" with "At dictum eu."": it does not start'),
    'could not understand "…": it does not start',
  );
});

test('rule planner: episodes of simple tasks run and are scored', async () => {
  const tasks = ['click-button', 'click-link', 'enter-text'];
  const r = await runMiniwob({ tasks, episodes: 2, seed: 'smoke', episodeMs: 10_000, planner: 'rules' });
  checkShape(r, tasks, 2);
  // "Click on the "ok" button." is within the rule planner's reach (not every episode: a page may
  // have both "Cancel" and "cancel", and only the exact one counts).
  assert.ok(r.tasks[0].successes >= 1, JSON.stringify(r.episodes.slice(0, 2)));
  // Seeded: the same seed gives the same instructions.
  const again = await runMiniwob({
    tasks: ['click-button'],
    episodes: 2,
    seed: 'smoke',
    episodeMs: 10_000,
    planner: 'rules',
  });
  assert.deepEqual(
    again.episodes.map((e) => e.utterance),
    r.episodes.slice(0, 2).map((e) => e.utterance),
  );
});

test('LLM planner through the scripted model server: click-button', async () => {
  const model = await startModelServer();
  try {
    const episodes = 2;
    const script = [];
    for (let i = 0; i < episodes; i++) {
      script.push((req: Parameters<typeof refShown>[0]) => {
        const name = /Click on the "([^"]+)" button\./.exec(promptText(req.body))?.[1];
        assert.ok(name, 'the model was given the instruction as written');
        return { tool: 'click', args: { ref: refShown(req, `button "${name}"`) } };
      });
      script.push({ tool: 'done', args: { result: 'clicked' } });
    }
    model.script(script);
    const r = await runMiniwob({
      tasks: ['click-button'],
      episodes,
      seed: 'smoke-llm',
      episodeMs: 10_000,
      planner: 'llm',
      modelUrl: model.url,
      model: 'scripted-model',
      apiKey: 'sk-bench-unused',
    });
    checkShape(r, ['click-button'], episodes);
    assert.equal(r.settings.model, 'scripted-model');
    assert.equal(r.overall.successes, episodes, JSON.stringify(r.episodes));
    assert.equal(model.requests.length, 2 * episodes);
  } finally {
    await model.close();
  }
});

test('nothing in src/ knows about MiniWoB', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|js|html|json)$/.test(entry.name)) files.push(full);
    }
  };
  walk(path.join(ROOT, 'src'));
  assert.ok(files.length > 20);
  // Task names long and specific enough not to be ordinary words of a planner.
  const names = TASKS.filter((t) => t.includes('-') && !['click-button', 'click-link', 'enter-text'].includes(t));
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(ROOT, file);
    assert.doesNotMatch(text, /miniwob|seedrandom|WOB_|getUtterance|sync-task-cover/i, rel);
    for (const name of names) assert.ok(!text.toLowerCase().includes(name), `${rel} names the task ${name}`);
  }
});
