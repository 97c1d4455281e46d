// Nothing a request or a remote endpoint sends may end or freeze the navis process: malformed
// WebSocket upgrades and request lines from a caller with or without a key, a cdp_url whose
// "browser" does not speak CDP, and a site whose robots.txt would make a RegExp backtrack for ever.
// After each attack navis must still answer /healthz and run a task on a new session.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, waitFor, type TestNavis } from '../helpers/navis.js';
import {
  HOSTILE_ANSWERS,
  bodyOf,
  garbage,
  hostileVersionRoutes,
  rawExchange,
  startHostileCdp,
  startMuteServer,
  statusOf,
  upgradeRequest,
  type HostileCdp,
} from './hostile.js';

/** Exceptions nothing caught: in production each would have ended the process. */
const uncaught: unknown[] = [];
process.on('uncaughtExceptionMonitor', (error) => uncaught.push(error));

let navis: TestNavis;
let port: number;
let hostile: HostileCdp;
let versions: FixtureServer;
let mute: Awaited<ReturnType<typeof startMuteServer>>;

before(async () => {
  navis = await startNavis({ poolSize: 0 });
  port = Number(new URL(navis.base).port);
  hostile = await startHostileCdp();
  versions = await startFixtureServer({ routes: hostileVersionRoutes(hostile.url('/silent')) });
  mute = await startMuteServer();
});
after(async () => {
  await navis.close();
  await hostile.close();
  await versions.close();
  await mute.close();
});

/** No exception escaped, navis answers /healthz, and a new session runs a task and ends. */
async function assertStillServing(): Promise<void> {
  assert.deepEqual(uncaught, []);
  const health = await navis.request('GET', '/healthz', { key: null });
  assert.equal(health.status, 200, health.text);
  const session = await navis.createSession({}, { dialect: 'browser' });
  const task = await navis.request('POST', `/browser/sessions/${session.id}/tasks`, {
    body: { actions: [{ type: 'evaluate', script: '6 * 7' }] },
  });
  assert.equal(task.status, 201, task.text);
  assert.equal(task.body.actionResults[0].value, 42);
  await navis.terminate(session.id);
}

/** Runs `work` on every item, `width` at a time. */
async function inBatches<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width)
    results.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  return results;
}

describe('malformed upgrades and request lines over raw TCP', () => {
  const KEY = `X-API-Key: ${ADMIN_KEY}`;
  const unknown = randomUUID();
  /** Attacks whose answer is known: [name, bytes, status]. */
  const exact: Array<[string, string, number]> = [
    ['a bad escape in a cdp id', upgradeRequest('/cdp/%E0'), 400],
    ['a lone % in a cdp id', upgradeRequest('/cdp/%'), 400],
    ['a bad escape in a live id', upgradeRequest('/live/%zz/ws'), 400],
    ['an overlong UTF-8 escape in a live id', upgradeRequest('/live/%C0%80%E0/ws?token=x'), 400],
    ['a target that parses as an authority', upgradeRequest('//['), 400],
    ['an absolute-form target', upgradeRequest('http://127.0.0.1/cdp/x'), 400],
    ['a cdp upgrade for a session that does not exist', upgradeRequest(`/cdp/${unknown}?token=%zz`), 401],
    ['a live upgrade with a broken token', upgradeRequest(`/live/${unknown}/ws?token=%`), 401],
    ['a very long session id', upgradeRequest(`/cdp/${'%41'.repeat(3000)}`), 401],
    ['an upgrade to no endpoint', upgradeRequest('/nowhere/%zz'), 404],
    ['an absurd Sec-WebSocket-Key', upgradeRequest(`/cdp/${unknown}`, [`Sec-WebSocket-Key: ${'x'.repeat(8000)}`]), 401],
    [
      'an absurd Sec-WebSocket-Version',
      upgradeRequest(`/cdp/${unknown}`, ['Sec-WebSocket-Version: 99999999999999999999999']),
      401,
    ],
  ];
  /** Attacks whose only promise is "no 5xx, no crash": [name, bytes, how the socket ends]. */
  const loose: Array<[string, string | Buffer, { end?: boolean }]> = [
    ['a truncated upgrade', upgradeRequest('/cdp/%E0').slice(0, 60), { end: true }],
    ['an upgrade without a version', 'GET /cdp/%E0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n', {}],
    ['an unknown HTTP version', upgradeRequest('/cdp/%').replace('HTTP/1.1', 'HTTP/9.9'), {}],
    ['a control character in a header', upgradeRequest('/cdp/%', ['X-Bad: a\u0001b']), {}],
    ['a header far past the size limit', upgradeRequest('/cdp/x', [`X-Big: ${'y'.repeat(70_000)}`]), {}],
    ['a plain GET of an authority-like target', 'GET //[ HTTP/1.1\r\nHost: x\r\n\r\n', {}],
    ['a plain GET of a bad escape', 'GET /live/%E0 HTTP/1.1\r\nHost: x\r\n\r\n', {}],
    [
      'a POST upgrade with a body',
      upgradeRequest('/cdp/%').replace('GET', 'POST').replace('\r\n\r\n', '\r\nContent-Length: 5\r\n\r\nhello'),
      {},
    ],
    ['a TLS hello', Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]), { end: true }],
    ...[1, 2, 3, 4].map((seed): [string, Buffer, { end?: boolean }] => [
      `binary garbage #${seed}`,
      garbage(512 * seed, seed),
      { end: true },
    ]),
  ];

  test('each malformed upgrade gets a plain 4xx with a JSON error, with or without a key', async () => {
    const attempts = exact.flatMap(([name, bytes, status]) =>
      [false, true].flatMap((keyed) =>
        Array.from({ length: 6 }, () => ({
          name,
          status,
          bytes: keyed ? bytes.replace('\r\n\r\n', `\r\n${KEY}\r\n\r\n`) : bytes,
        })),
      ),
    );
    const answers = await inBatches(attempts, 40, async (a) => ({ ...a, answer: await rawExchange(port, a.bytes) }));
    for (const { name, status, answer } of answers) {
      assert.equal(statusOf(answer), status, `${name}: ${answer.slice(0, 200)}`);
      assert.equal(typeof bodyOf(answer)?.error, 'string', `${name} says what was wrong`);
    }
    assert.ok(answers.length >= 100);
    assert.match(bodyOf(answers[0].answer).error, /percent-encoding/);
    await assertStillServing();
  });

  test('truncated requests, bad request lines and binary garbage get no 5xx', async () => {
    const attempts = loose.flatMap(([name, bytes, opts]) => Array.from({ length: 10 }, () => ({ name, bytes, opts })));
    const answers = await inBatches(attempts, 40, async (a) => ({
      ...a,
      answer: await rawExchange(port, a.bytes, a.opts),
    }));
    for (const { name, answer } of answers) {
      const status = statusOf(answer);
      assert.ok(status === undefined || (status >= 400 && status < 500), `${name}: ${answer.slice(0, 200)}`);
    }
    await assertStillServing();
  });

  test('clients that reset the connection mid-upgrade leave the session and its proxy working', async () => {
    const session = await navis.createSession();
    const cdp = new URL(session.cdp_url);
    const target = `${cdp.pathname}${cdp.search}`;
    await inBatches(
      Array.from({ length: 60 }, (_, i) => i),
      20,
      (i) =>
        rawExchange(
          port,
          i % 3 === 0 ? upgradeRequest(target) : upgradeRequest(i % 3 === 1 ? '/cdp/%E0' : '/nowhere'),
          { reset: true },
        ),
    );
    const ws = new WebSocket(session.cdp_url);
    try {
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const reply = new Promise<any>((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))));
      ws.send(JSON.stringify({ id: 1, method: 'Browser.getVersion' }));
      assert.match((await reply).result.product, /Chrom/);
    } finally {
      ws.close();
      await navis.terminate(session.session_id);
    }
    await assertStillServing();
  });
});

describe('a cdp_url endpoint that does not speak CDP', () => {
  const create = (cdpUrl: string) => navis.request('POST', '/public/sessions', { body: { cdp_url: cdpUrl } });

  test('every answer that is not CDP makes the create a 400 saying the connection failed', async () => {
    const paths = [...Object.keys(HOSTILE_ANSWERS), '/silent'];
    const answers = await Promise.all(paths.map(async (path) => ({ path, res: await create(hostile.url(path)) })));
    for (const { path, res } of answers) {
      assert.equal(res.status, 400, `${path}: ${res.text}`);
      assert.match(res.body.detail, /^Could not connect to the browser at cdp_url: /, path);
    }
    const detail = (path: string) => answers.find((a) => a.path === path)!.res.body.detail;
    assert.match(detail('/null'), /not a JSON object/);
    assert.match(detail('/null-error'), /malformed reply/);
    assert.match(detail('/string-error'), /malformed reply/);
    assert.match(detail('/silent'), /no answer within/);
    await assertStillServing();
  });

  test('a browser that turns hostile after the session is made ends that session, not navis', async () => {
    const session = await navis.createSession({ cdp_url: hostile.url('/mimic') });
    for (const ws of hostile.connections('/mimic')) ws.send('null');
    const ended = await navis.waitUntilEnded(session.session_id, {
      dialect: 'public',
      what: 'the session to notice its browser broke the protocol',
    });
    assert.match(ended.end_reason, /^browser_disconnected/);
    await assertStillServing();
  });

  test('malformed events from a cdp_url browser while the live view watches it end nothing', async () => {
    const session = await navis.createSession({ cdp_url: hostile.url('/mimic?live') });
    const viewer = new WebSocket(session.metadata.live_url.replace(/^http/, 'ws').replace('?', '/ws?'));
    const titles: string[] = [];
    viewer.on('message', (data) => titles.push(JSON.parse(data.toString()).title));
    await waitFor(() => titles.includes('mimic'), 'the live view to show the page');
    const events = [
      { method: 'Page.frameNavigated', sessionId: 'S1', params: {} },
      { method: 'Target.targetCreated', params: {} },
      { method: 'Target.targetInfoChanged', params: null },
      { method: 'Page.screencastFrame', sessionId: 'S1', params: { data: 42 } },
      // A well-formed event after the bad ones: the viewer shows it once they have all been read.
      {
        method: 'Target.targetInfoChanged',
        params: { targetInfo: { targetId: 'T1', type: 'page', url: 'about:blank', title: 'still here' } },
      },
    ];
    for (const ws of hostile.connections('/mimic?live')) for (const event of events) ws.send(JSON.stringify(event));
    await waitFor(() => titles.includes('still here'), 'the live view to show the event after the malformed ones');
    viewer.close();
    await navis.terminate(session.session_id);
    await assertStillServing();
  });

  test('a WebSocket handshake that never ends is a 400 once the connect times out', async () => {
    const res = await create(mute.url);
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.detail, /no WebSocket handshake within/);
  });

  test('a /json/version that is not a DevTools answer is a 400 naming what was wrong', async () => {
    const expected: Record<string, RegExp> = {
      '/v-null': /did not answer a JSON object/,
      '/v-array': /did not answer a JSON object/,
      '/v-number': /did not answer a JSON object/,
      '/v-text': /did not answer JSON/,
      '/v-url-number': /did not name a webSocketDebuggerUrl/,
      '/v-url-http': /not a ws:\/\/ or wss:\/\/ URL/,
      '/v-silent-browser': /no answer within/,
      '/v-huge': /more than 64 KiB/,
      '/v-hang': /did not answer within/,
      '/v-trickle': /did not answer within/,
    };
    const answers = await Promise.all(
      Object.keys(expected).map(async (path) => ({ path, res: await create(`${versions.url}${path}`) })),
    );
    for (const { path, res } of answers) {
      assert.equal(res.status, 400, `${path}: ${res.text}`);
      assert.equal(res.body.code ?? 'CDP_CONNECT_FAILED', 'CDP_CONNECT_FAILED');
      assert.match(res.body.detail, expected[path], path);
    }
    await assertStillServing();
  });
});

describe('a robots.txt built to make a RegExp backtrack', () => {
  const trap = `/${'a'.repeat(40)}`;
  let site: FixtureServer;
  before(async () => {
    const html = (body: string) => (_req: unknown, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>trap</title>${body}`);
    };
    site = await startFixtureServer({
      routes: {
        '/robots.txt': (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('User-agent: *\nDisallow: /*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\n');
        },
        '/start': html(`<h1>Start</h1><a href="${trap}">a page of a's</a> <a href="${trap}b">a disallowed page</a>`),
        [trap]: html('<h1>Many a</h1><a href="/start">back</a>'),
      },
    });
  });
  after(() => site.close());

  test('discovery finishes and /healthz answers all along', async () => {
    let finished = false;
    const discovery = navis
      .request('POST', '/api/sites/discover', {
        key: null,
        body: { url: `${site.url}/start`, maxPages: 3, slug: 'robots-trap', verify: false },
      })
      .finally(() => (finished = true));
    let answered = 0;
    await waitFor(
      async () => {
        const health = await navis.request('GET', '/healthz', { key: null });
        assert.equal(health.status, 200);
        answered++;
        return finished;
      },
      'discovery to finish',
      120_000,
    );
    const res = await discovery;
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.report.skippedByRobots, [`${site.url}${trap}b`]);
    assert.ok(answered > 0);
    await assertStillServing();
  });
});
