// The recent runs of sessions (sessions/runs.ts) stay bounded: 50 runs a session, pictures on the
// newest 10 only, the histories of the last 100 sessions; a tenant reads only its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SessionRuns, pageAddress, withoutQueries, type RunRecord } from '../../src/sessions/runs.js';

const run = (title: string): Omit<RunRecord, 'id' | 'screenshot'> => ({
  kind: 'task',
  title,
  startedAt: new Date().toISOString(),
  durationMs: 1,
  url: null,
  success: true,
  steps: [],
});

test('a session keeps its newest 50 runs, newest first', () => {
  const runs = new SessionRuns();
  for (let i = 0; i < 60; i++) runs.add('t', 's', run(`run ${i}`));
  const kept = runs.list('t', 's');
  assert.equal(kept.length, 50);
  assert.equal(kept[0].title, 'run 59');
  assert.equal(kept[49].title, 'run 10');
});

test('only the newest 10 runs of a session keep a picture', () => {
  const runs = new SessionRuns();
  const first = runs.add('t', 's', run('first'));
  runs.picture('s', first.id, 'AAAA');
  assert.equal(runs.list('t', 's')[0].screenshot, 'AAAA');
  for (let i = 0; i < 10; i++) runs.add('t', 's', run(`later ${i}`));
  assert.equal(runs.list('t', 's').at(-1)!.screenshot, null, 'pushed out of the newest 10, its picture goes');
  runs.picture('s', first.id, 'BBBB');
  assert.equal(runs.list('t', 's').at(-1)!.screenshot, null, 'a late picture of an old run is dropped');
});

test('histories of the last 100 sessions that ran something are kept', () => {
  const runs = new SessionRuns();
  for (let i = 0; i < 101; i++) runs.add('t', `s${i}`, run('x'));
  assert.deepEqual(runs.list('t', 's0'), []);
  assert.equal(runs.list('t', 's1').length, 1);
  runs.add('t', 's1', run('again'));
  runs.add('t', 'new', run('x'));
  assert.equal(runs.list('t', 's1').length, 2, 'a session that ran again is among the last');
  assert.deepEqual(runs.list('t', 's2'), []);
});

test('another tenant reads nothing of a session', () => {
  const runs = new SessionRuns();
  runs.add('t', 's', run('mine'));
  assert.deepEqual(runs.list('other', 's'), []);
});

test('URLs are kept without their queries and fragments', () => {
  assert.equal(
    withoutQueries('navigate to https://a.test/reset?token=abc#x until load'),
    'navigate to https://a.test/reset?… until load',
  );
  assert.equal(withoutQueries("opened 'http://b.test/p#frag'"), "opened 'http://b.test/p?…'");
  assert.equal(withoutQueries('no url? fine#'), 'no url? fine#');
  assert.equal(pageAddress('https://a.test/p?q=1#f'), 'https://a.test/p');
  assert.equal(pageAddress('about:blank'), 'about:blank');
});
