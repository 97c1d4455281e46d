// navis's log lines: JSON for machines (not a terminal, or NAVIS_LOG_FORMAT=json), pretty single
// lines for a person at a terminal (or NAVIS_LOG_FORMAT=pretty), redacted the same either way;
// one line per request only at debug, while navis's own events stay at info and a 5xx at error.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logging.js';
import { ADMIN_KEY, startNavis, type TestNavis } from './helpers/navis.js';

const SECRET = 'tok-never-logged-5Rk';

/** A logger as navis builds it, writing into `lines`; `isTty` fakes a terminal. */
function logger(env: Record<string, string>, isTty: boolean) {
  const lines: string[] = [];
  const config = loadConfig({ NAVIS_DATA_DIR: '/nonexistent-navis-test', ...env });
  const log = createLogger(config, { write: (line: string) => void lines.push(line) }, { isTty });
  return { log, lines };
}

/** Entries that carry a secret in each place a log line may: a request URL, a header, an error's message, a multi-line text. */
function writeSamples(log: ReturnType<typeof logger>['log']): void {
  log.info({ component: 'sessions', sessionId: 's-1' }, 'session started');
  log.child({ reqId: 'req-1' }).debug(
    {
      req: {
        id: 'req-1',
        method: 'GET',
        url: `/live/s-1?token=${SECRET}`,
        headers: { 'x-api-key': SECRET, authorization: `Bearer ${SECRET}` },
      },
    },
    'incoming request',
  );
  log.error({ err: new Error('the browser crashed\n  at somewhere') }, 'task failed');
  log.warn('first line\nsecond line \u001b[31mred');
}

describe('format', () => {
  test('NAVIS_LOG_FORMAT is auto unless set to json or pretty; anything else is refused by name', () => {
    assert.equal(loadConfig({}).logFormat, 'auto');
    assert.equal(loadConfig({ NAVIS_LOG_FORMAT: 'json' }).logFormat, 'json');
    assert.equal(loadConfig({ NAVIS_LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
    assert.throws(() => loadConfig({ NAVIS_LOG_FORMAT: 'xml' }), /NAVIS_LOG_FORMAT/);
  });

  test('output that is not a terminal gets JSON lines', () => {
    const { log, lines } = logger({ NAVIS_LOG_LEVEL: 'debug' }, false);
    writeSamples(log);
    assert.equal(lines.length, 4);
    for (const line of lines) assert.equal(typeof JSON.parse(line).level, 'number', line);
  });

  test('NAVIS_LOG_FORMAT=json writes JSON on a terminal too', () => {
    const { log, lines } = logger({ NAVIS_LOG_FORMAT: 'json' }, true);
    log.info('navis listening');
    assert.equal(JSON.parse(lines[0]).msg, 'navis listening');
  });

  test('a terminal gets one pretty line per entry: time, level, [component], message', () => {
    const { log, lines } = logger({ NAVIS_LOG_LEVEL: 'debug' }, true);
    writeSamples(log);
    assert.equal(lines.length, 4);
    for (const line of lines) {
      assert.ok(line.endsWith('\n') && line.indexOf('\n') === line.length - 1, `one line: ${JSON.stringify(line)}`);
      assert.throws(() => JSON.parse(line));
    }
    const plain = lines.map((line) => line.replace(/\u001b\[\d+m/g, ''));
    assert.match(plain[0], /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[sessions\] session started \{"sessionId":"s-1"\}$/m);
    assert.match(
      plain[2],
      /ERROR: task failed \{"err":\{"type":"Error","message":"the browser crashed\\n {2}at somewhere"/,
    );
    assert.match(
      plain[3],
      /WARN: first line\\nsecond line \[31mred$/m,
      'newlines shown as \\n, escape characters dropped',
    );
  });

  test('NAVIS_LOG_FORMAT=pretty writes pretty lines without a terminal, without colours', () => {
    const { log, lines } = logger({ NAVIS_LOG_FORMAT: 'pretty' }, false);
    log.info({ component: 'pool' }, 'pool ready');
    assert.match(lines[0], /^\[[\d:.]+\] INFO: \[pool\] pool ready\n$/);
  });

  test('redaction holds in both formats: no URL token, API key or header reaches a line', () => {
    for (const env of [{ NAVIS_LOG_FORMAT: 'json' }, { NAVIS_LOG_FORMAT: 'pretty' }]) {
      const { log, lines } = logger({ ...env, NAVIS_LOG_LEVEL: 'debug' }, true);
      writeSamples(log);
      assert.equal(lines.length, 4);
      assert.ok(lines[1].includes('token=[redacted]'), lines[1]);
      assert.deepEqual(
        lines.filter((line) => line.includes(SECRET)),
        [],
      );
    }
  });
});

describe('levels, against a real navis', () => {
  let atInfo: TestNavis;
  let atDebug: TestNavis;
  before(async () => {
    atInfo = await startNavis({ poolSize: 0, logLevel: 'info' });
    atDebug = await startNavis({ poolSize: 0, logLevel: 'debug' });
    for (const navis of [atInfo, atDebug]) {
      await navis.request('GET', '/public/sessions');
      await navis.request('GET', `/api/sites/none/views/A/b?api_token=${SECRET}`);
      await navis.request('GET', `/no-such-route?token=${SECRET}`);
    }
  });
  after(async () => {
    await atInfo.close();
    await atDebug.close();
  });
  const entries = (navis: TestNavis) => navis.logs.map((line) => JSON.parse(line));

  test('at info there is no line per request; navis listening is there', () => {
    const messages = entries(atInfo).map((e) => e.msg);
    assert.ok(messages.includes('navis listening'), messages.join(' | '));
    for (const requestLine of ['incoming request', 'request completed'])
      assert.ok(!messages.includes(requestLine), `${requestLine} at info`);
    assert.ok(!messages.some((m) => /^Route .* not found$/.test(m)), 'unknown routes are request lines too');
  });

  test('at debug each request has its lines: method, redacted url, status and ms', () => {
    const completed = entries(atDebug).filter((e) => e.msg === 'request completed');
    const list = completed.find((e) => e.url === '/public/sessions');
    assert.ok(list, JSON.stringify(completed));
    assert.equal(list.level, 20);
    assert.equal(list.method, 'GET');
    assert.equal(list.status, 200);
    assert.equal(typeof list.ms, 'number');
    assert.ok(completed.some((e) => e.url === '/api/sites/none/views/A/b?api_token=[redacted]' && e.status === 404));
    const arrived = entries(atDebug).find((e) => e.msg === 'incoming request' && e.req?.url === '/public/sessions');
    assert.equal(arrived?.level, 20);
    assert.ok(!atDebug.logs.some((line) => line.includes(SECRET) || line.includes(ADMIN_KEY)));
  });

  test('a 5xx is logged at error with the request it answered', async () => {
    const profiles = atInfo.navis.services.profiles;
    const list = profiles.list.bind(profiles);
    profiles.list = () => {
      throw new Error('disk on fire');
    };
    try {
      const res = await atInfo.request('GET', '/public/browser-profiles?token=x');
      assert.equal(res.status, 500);
    } finally {
      profiles.list = list;
    }
    const line = entries(atInfo).find((e) => e.level === 50 && e.err?.message === 'disk on fire');
    assert.ok(line, 'the error line');
    assert.equal(line.req.method, 'GET');
    assert.equal(line.req.url, '/public/browser-profiles?token=[redacted]');
  });
});
