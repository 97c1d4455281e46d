// A page whose renderer crashed (issue 14: the fuzz's chrome://crash) left its session `active` while
// every later task answered 422 "Target crashed". Now the request that meets the crash answers 422
// saying the page crashed and was replaced, the session stays active on a new blank page, and the
// next request works. The crash is made as a client of the session can: CDP's Page.crash on a page,
// through the session's cdp_url.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, waitFor, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
let fixtures: FixtureServer;
before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer();
});
after(async () => {
  await navis?.close();
  await fixtures?.close();
});

type Answer = Awaited<ReturnType<TestNavis['request']>>;

interface CrashableSession {
  id: string;
  task(body: unknown): Promise<Answer>;
  /** The session's page as a client sees it over cdp_url. */
  clientPage(): Page;
  /** Crashes the renderer of the session's page; resolves once the client saw it crash. */
  crash(): Promise<void>;
}

async function withSession(use: (session: CrashableSession) => Promise<void>): Promise<void> {
  const created = await navis.createSession({});
  const id = created.session_id as string;
  let client: Browser | undefined;
  try {
    client = await chromium.connectOverCDP(created.cdp_url);
    const context = client.contexts()[0];
    const clientPage = () =>
      context
        .pages()
        .filter((p) => !p.isClosed())
        .at(-1)!;
    await use({
      id,
      task: (body) => navis.request('POST', `/browser/sessions/${id}/tasks`, { body }),
      clientPage,
      async crash() {
        const page = clientPage();
        const crashed = page.waitForEvent('crash');
        const cdp = await context.newCDPSession(page);
        cdp.send('Page.crash').catch(() => {}); // never answered: the renderer is gone
        await crashed;
      },
    });
  } finally {
    await client?.close();
    await navis.request('DELETE', `/browser/sessions/${id}`);
  }
}

/** The session reads active and its next task opens a page and reads it. */
async function assertGoesOn(session: CrashableSession): Promise<void> {
  const read = await navis.request('GET', `/public/sessions/${session.id}`);
  assert.equal(read.body.status, 'active', read.text);
  const next = await session.task({
    url: `${fixtures.url}/index.html`,
    actions: [{ type: 'evaluate', script: 'document.title' }],
    content: true,
  });
  assert.equal(next.status, 201, next.text);
  assert.equal(next.body.actionResults[0].value, 'navis fixture');
}

test('a page that crashed between tasks is replaced: the next task answers 422 saying so, the one after works', async () => {
  await withSession(async (session) => {
    const opened = await session.task({ url: `${fixtures.url}/index.html`, actions: [] });
    assert.equal(opened.status, 201, opened.text);
    // The task's page picture (its recent runs) is drawn after it answered: a renderer dying while
    // Chromium draws it can take the whole browser down (a Chromium bug), not what this test is about.
    await waitFor(async () => {
      const runs = await navis.request('GET', `/browser/sessions/${session.id}/runs`);
      return runs.body.runs[0]?.screenshot;
    }, "the task's page picture");
    await session.crash();
    const met = await session.task({ actions: [{ type: 'evaluate', script: '1 + 1' }] });
    assert.equal(met.status, 422, met.text);
    assert.equal(met.body.code, 'ACTION_FAILED');
    // Before this request as navis saw it, or during it when navis heard of the crash only then.
    assert.match(
      met.body.error,
      /page had crashed before this request .*so nothing of it ran|page crashed while this ran/,
    );
    assert.match(met.body.error, /replaced by a new blank one/);
    await assertGoesOn(session);
  });
});

test('a page that crashes while a task runs: that task answers 422 saying so, the next one works', async () => {
  await withSession(async (session) => {
    const running = session.task({
      url: `${fixtures.url}/index.html`,
      actions: [{ type: 'evaluate', script: 'window.waiting = true; await new Promise(() => {});', timeoutMs: 20_000 }],
    });
    await waitFor(
      () =>
        session
          .clientPage()
          .evaluate('window.waiting === true')
          .catch(() => false),
      'the task to be waiting in its script',
    );
    await session.crash();
    const met = await running;
    assert.equal(met.status, 422, met.text);
    assert.equal(met.body.code, 'ACTION_FAILED');
    assert.match(met.body.error, /^actions\[0\] \(evaluate\): the page crashed while this ran/);
    assert.equal(met.body.failedActionIndex, 0);
    await assertGoesOn(session);
  });
});
