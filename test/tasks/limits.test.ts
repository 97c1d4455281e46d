// Caps on what one answer may carry (tasks/artifacts.ts AnswerLimits): evaluate values, extract
// text, content HTML, screenshot sizes, PDF pages and the answer as a whole. Past a cap the task
// answers 422 RESULT_TOO_LARGE naming the size, the limit and its setting, and carries nothing
// large; under the caps results are as before. The pages build their huge content with a script.
import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_ANSWER_LIMITS, firstPages } from '../../src/tasks/artifacts.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';
import { pngSize } from '../helpers/png.js';

const LIMITS = { maxResultBytes: 4000, maxAnswerBytes: 300_000, maxScreenshotPx: 2000, maxPdfPages: 3 };

/** An HTML page whose body is `body`, then `script` run at load. */
const page =
  (body: (url: URL) => string, script: (url: URL) => string = () => '') =>
  (_req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html><head><title>limits</title><style>body { margin: 0 }</style></head><body>${body(url)}<script>${script(url)}</script></body></html>`,
    );
  };
const n = (url: URL, name: string) => Number(url.searchParams.get(name) ?? 0);

const routes = {
  /** #small, and #big holding `chars` characters of text written by the page. */
  '/text': page(
    () => '<p id="small">small and fine</p><div id="big"></div>',
    (url) => `document.getElementById('big').textContent = 'lorem '.repeat(${n(url, 'chars')} / 6);`,
  ),
  /** A textarea whose value the page sets to `chars` characters. */
  '/field': page(
    () => '<textarea id="notes"></textarea>',
    (url) => `document.getElementById('notes').value = 'n'.repeat(${n(url, 'chars')});`,
  ),
  /** A page `height` px tall and `width` px wide; with `lie`, its scripts report it 100 px tall. */
  '/tall': page(
    (url) =>
      `<div id="block" style="width: ${n(url, 'width') || 100}px; height: ${n(url, 'height')}px; background: linear-gradient(#fff, #036)"></div>`,
    (url) =>
      url.searchParams.has('lie')
        ? `for (const name of ['scrollHeight', 'offsetHeight', 'clientHeight']) {
             for (const proto of [Element.prototype, HTMLElement.prototype]) {
               if (Object.getOwnPropertyDescriptor(proto, name)) Object.defineProperty(proto, name, { get: () => 100 });
             }
           }`
        : '',
  ),
  /** #small (50 px) and #big (`height` px tall) elements. */
  '/elements': page(
    (url) =>
      `<div id="small" style="width: 50px; height: 50px; background: #c00"></div><div id="big" style="width: 200px; height: ${n(url, 'height')}px; background: #00c"></div>`,
  ),
  /** `pages` printed pages, one paragraph each. */
  '/pages': page(
    () => '<main id="doc"></main>',
    (url) =>
      `for (let i = 1; i <= ${n(url, 'pages')}; i++) document.getElementById('doc').insertAdjacentHTML('beforeend', '<p style="break-after: page">page ' + i + '</p>');`,
  ),
};

let navis: TestNavis;
let fixtures: FixtureServer;
let sessionId: string;
before(async () => {
  navis = await startNavis({ poolSize: 1, ...LIMITS });
  fixtures = await startFixtureServer({ routes });
  sessionId = (await navis.createSession({}, { dialect: 'browser' })).id;
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

const task = (body: Record<string, unknown>) => navis.request('POST', `/browser/sessions/${sessionId}/tasks`, { body });

/**
 * Asserts a 422 RESULT_TOO_LARGE naming `setting` and its limit, carrying no more than `carries`
 * characters (the results before the refused one, a step log); returns the body.
 */
function assertTooLarge(
  res: { status: number; body: any; text: string },
  setting: string,
  max: number,
  carries = 5000,
): Record<string, any> {
  assert.equal(res.status, 422, res.text);
  assert.equal(res.body.code, 'RESULT_TOO_LARGE');
  assert.match(res.body.error, new RegExp(`more than the ${max} \\w+ .*\\(${setting}\\)\\..* or raise ${setting}\\.$`));
  assert.deepEqual(res.body.limit, { setting, max, unit: res.body.limit.unit });
  assert.ok(res.body.size > max, `size ${res.body.size} is past the limit`);
  assert.ok(res.text.length < carries, `the refusal carries ${res.text.length} characters`);
  for (const artifact of ['screenshot', 'pdf', 'content']) assert.equal(res.body[artifact], undefined);
  return res.body;
}

describe('settings', () => {
  test('the caps default to DEFAULT_ANSWER_LIMITS and are read from their environment variables', () => {
    const defaults = loadConfig({});
    assert.deepEqual(
      {
        maxResultBytes: defaults.maxResultBytes,
        maxAnswerBytes: defaults.maxAnswerBytes,
        maxScreenshotPx: defaults.maxScreenshotPx,
        maxPdfPages: defaults.maxPdfPages,
      },
      { ...DEFAULT_ANSWER_LIMITS },
    );
    const set = loadConfig({
      NAVIS_MAX_RESULT_BYTES: '5',
      NAVIS_MAX_ANSWER_BYTES: '6',
      NAVIS_MAX_SCREENSHOT_PX: '7',
      NAVIS_MAX_PDF_PAGES: '8',
    });
    assert.deepEqual([set.maxResultBytes, set.maxAnswerBytes, set.maxScreenshotPx, set.maxPdfPages], [5, 6, 7, 8]);
  });
});

describe('evaluate', () => {
  test('a value whose JSON is past NAVIS_MAX_RESULT_BYTES is refused in the page: 422, only its size comes back', async () => {
    const res = await task({
      actions: [
        { type: 'evaluate', script: '1 + 1' },
        { type: 'evaluate', script: "'x'.repeat(5_000_000)" },
      ],
    });
    const body = assertTooLarge(res, 'NAVIS_MAX_RESULT_BYTES', LIMITS.maxResultBytes);
    assert.equal(body.failedActionIndex, 1);
    assert.deepEqual(body.actionResults, [{ value: 2 }]);
    assert.match(body.error, /^actions\[1\] \(evaluate\): the script's value as JSON is at least 5000002 bytes/);
    assert.equal(body.size, 5_000_002);
  });

  test('the cap is on UTF-8 bytes: JSON short in characters but long in bytes is refused', async () => {
    const res = await task({ actions: [{ type: 'evaluate', script: "'é'.repeat(2500)" }] });
    const body = assertTooLarge(res, 'NAVIS_MAX_RESULT_BYTES', LIMITS.maxResultBytes);
    assert.equal(body.size, 5002);
    assert.doesNotMatch(body.error, /at least/);
  });

  test('a value too large for one JavaScript string is refused too, not answered as null', async () => {
    // What V8 throws writing JSON past its longest string (~512 MB), without building one.
    const script = "({ toJSON() { throw new RangeError('Invalid string length'); } })";
    const res = await task({ actions: [{ type: 'evaluate', script }] });
    const body = assertTooLarge(res, 'NAVIS_MAX_RESULT_BYTES', LIMITS.maxResultBytes);
    assert.match(body.error, /too large for one JavaScript string/);
  });

  test('a value just under the cap comes back whole', async () => {
    const res = await task({ actions: [{ type: 'evaluate', script: `'x'.repeat(${LIMITS.maxResultBytes - 2})` }] });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.actionResults[0].value.length, LIMITS.maxResultBytes - 2);
  });
});

describe('extract', () => {
  test('text past NAVIS_MAX_RESULT_BYTES is refused (not truncated), measured in the page', async () => {
    const res = await task({ url: `${fixtures.url}/text?chars=60000`, actions: [{ type: 'extract' }] });
    const body = assertTooLarge(res, 'NAVIS_MAX_RESULT_BYTES', LIMITS.maxResultBytes);
    assert.match(
      body.error,
      /^actions\[0\] \(extract\): the text of 'body' is at least \d+ bytes, .*Extract a smaller element/,
    );
  });

  test("a field's huge value is refused as well", async () => {
    const res = await task({
      url: `${fixtures.url}/field?chars=9000`,
      actions: [{ type: 'extract', selector: '#notes' }],
    });
    const body = assertTooLarge(res, 'NAVIS_MAX_RESULT_BYTES', LIMITS.maxResultBytes);
    assert.match(body.error, /the text of '#notes' is at least 9000 bytes/);
  });

  test('a small element of a huge page is read as before', async () => {
    const res = await task({
      url: `${fixtures.url}/text?chars=60000`,
      actions: [{ type: 'extract', selector: '#small' }],
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.actionResults, [{ text: 'small and fine' }]);
  });
});

describe('content', () => {
  test('HTML past NAVIS_MAX_RESULT_BYTES is refused after the actions ran, with their results', async () => {
    const res = await task({
      url: `${fixtures.url}/text?chars=60000`,
      actions: [{ type: 'evaluate', script: 'document.title' }],
      content: true,
    });
    const body = assertTooLarge(res, 'NAVIS_MAX_RESULT_BYTES', LIMITS.maxResultBytes);
    assert.match(body.error, /^the page's HTML is at least \d+ bytes, .*extract or evaluate instead of content: true/);
    assert.equal(body.failedActionIndex, null);
    assert.deepEqual(body.actionResults, [{ value: 'limits' }]);
  });

  test('HTML under the cap is answered as before', async () => {
    const res = await task({ url: `${fixtures.url}/text?chars=60`, content: true });
    assert.equal(res.status, 201, res.text);
    assert.match(
      res.body.content.html,
      /^<!DOCTYPE html><html><head><title>limits<\/title>.*<p id="small">small and fine<\/p>/s,
    );
    assert.equal(res.body.content.url, `${fixtures.url}/text?chars=60`);
  });
});

describe('screenshots', () => {
  test('a full-page screenshot of a page taller than NAVIS_MAX_SCREENSHOT_PX is refused before capture', async () => {
    const res = await task({ url: `${fixtures.url}/tall?height=50000`, screenshot: { fullPage: true } });
    const body = assertTooLarge(res, 'NAVIS_MAX_SCREENSHOT_PX', LIMITS.maxScreenshotPx);
    assert.match(
      body.error,
      /^the page is 1280x50000 px, a side of 50000 px, more than the 2000 px a screenshot may be on either side/,
    );
    assert.match(body.error, /fullPage: false/);
  });

  test('a page wider than the cap is refused as well, by the screenshot action too', async () => {
    const res = await task({
      url: `${fixtures.url}/tall?height=10&width=30000`,
      actions: [{ type: 'screenshot', fullPage: true }],
    });
    const body = assertTooLarge(res, 'NAVIS_MAX_SCREENSHOT_PX', LIMITS.maxScreenshotPx);
    assert.match(body.error, /^actions\[0\] \(screenshot\): the page is 30000x\d+ px, a side of 30000 px/);
  });

  test('a page that reports a smaller size than it has is cut at the cap', async () => {
    const res = await task({
      url: `${fixtures.url}/tall?height=50000&lie`,
      actions: [{ type: 'evaluate', script: 'document.documentElement.scrollHeight' }],
      screenshot: { fullPage: true },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.actionResults[0].value, 100, 'the page reports 100 px');
    assert.deepEqual(pngSize(res.body.screenshot), { width: 1280, height: LIMITS.maxScreenshotPx });
  });

  test('an element taller than the cap is refused; a small one is captured', async () => {
    const url = `${fixtures.url}/elements?height=9000`;
    const refused = await task({ url, actions: [{ type: 'screenshot', selector: '#big' }] });
    const body = assertTooLarge(refused, 'NAVIS_MAX_SCREENSHOT_PX', LIMITS.maxScreenshotPx);
    assert.match(body.error, /the element '#big' is 200x9000 px.*Pick a smaller element/);
    const artifact = await task({ url, screenshot: { selector: '#big' } });
    assertTooLarge(artifact, 'NAVIS_MAX_SCREENSHOT_PX', LIMITS.maxScreenshotPx);
    const small = await task({
      url,
      actions: [{ type: 'screenshot', selector: '#small' }],
      screenshot: { selector: '#small' },
    });
    assert.equal(small.status, 201, small.text);
    assert.deepEqual(pngSize(small.body.actionResults[0].screenshot), { width: 50, height: 50 });
    assert.deepEqual(pngSize(small.body.screenshot), { width: 50, height: 50 });
  });

  test('full-page and viewport screenshots under the cap are as before', async () => {
    const res = await task({
      url: `${fixtures.url}/tall?height=1500`,
      actions: [{ type: 'screenshot' }],
      screenshot: { fullPage: true },
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(pngSize(res.body.actionResults[0].screenshot), { width: 1280, height: 720 });
    assert.deepEqual(pngSize(res.body.screenshot), { width: 1280, height: 1500 });
  });

  test('POST /browser/sessions/{id}/screenshot has the same cap', async () => {
    const res = await navis.request('POST', `/browser/sessions/${sessionId}/screenshot`, {
      body: { url: `${fixtures.url}/tall?height=50000`, fullPage: true },
    });
    assertTooLarge(res, 'NAVIS_MAX_SCREENSHOT_PX', LIMITS.maxScreenshotPx);
  });
});

/** Pages of a PDF as Chromium writes it. */
const pdfPageCount = (base64: string) =>
  (
    Buffer.from(base64, 'base64')
      .toString('latin1')
      .match(/\/Type\s*\/Page\b/g) ?? []
  ).length;

describe('pdf', () => {
  test('a page that prints to more than NAVIS_MAX_PDF_PAGES is refused', async () => {
    const res = await task({ url: `${fixtures.url}/pages?pages=40`, pdf: {} });
    const body = assertTooLarge(res, 'NAVIS_MAX_PDF_PAGES', LIMITS.maxPdfPages);
    assert.match(
      body.error,
      /^the PDF would have at least 4 pages, more than the 3 pages one PDF may have \(NAVIS_MAX_PDF_PAGES\)\. Ask for fewer pages with pageRanges \(e\.g\. '1-3'\)/,
    );
  });

  test('pageRanges within the cap print those pages of a long document', async () => {
    const res = await task({ url: `${fixtures.url}/pages?pages=40`, pdf: { pageRanges: '2, 30-31' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(pdfPageCount(res.body.pdf), 3);
    const open = await task({ url: `${fixtures.url}/pages?pages=40`, pdf: { pageRanges: '38-' } });
    assert.equal(open.status, 201, open.text);
    assert.equal(pdfPageCount(open.body.pdf), 3);
  });

  test('a document within the cap prints whole, as before', async () => {
    const res = await task({ url: `${fixtures.url}/pages?pages=2`, pdf: {} });
    assert.equal(res.status, 201, res.text);
    assert.equal(pdfPageCount(res.body.pdf), 2);
  });

  test('POST /browser/sessions/{id}/pdf has the same cap', async () => {
    const res = await navis.request('POST', `/browser/sessions/${sessionId}/pdf`, {
      body: { url: `${fixtures.url}/pages?pages=40` },
    });
    assertTooLarge(res, 'NAVIS_MAX_PDF_PAGES', LIMITS.maxPdfPages);
  });

  test('pageRanges are cut to their first pages, keeping their meaning', () => {
    assert.equal(firstPages(undefined, 4), '1-4');
    assert.equal(firstPages('', 4), '1-4');
    assert.equal(firstPages('1-5, 8, 11-', 7), '1-5,8,11');
    assert.equal(firstPages('11-13, 1-2, 2-3', 10), '1-2,3,11-13');
    assert.equal(firstPages('-2, 9-', 4), '1-2,9-10');
    assert.equal(firstPages('3', 4), '3');
    for (const unreadable of ['a', '5-2', '0', '-', '1 2'])
      assert.equal(firstPages(unreadable, 4), undefined, unreadable);
  });
});

describe('the answer as a whole', () => {
  test('results that together pass NAVIS_MAX_ANSWER_BYTES stop the task at the one that would pass it', async () => {
    const actions = Array.from({ length: 80 }, () => ({
      type: 'evaluate',
      script: `'x'.repeat(${LIMITS.maxResultBytes - 102})`,
    }));
    const res = await task({ actions });
    const body = assertTooLarge(res, 'NAVIS_MAX_ANSWER_BYTES', LIMITS.maxAnswerBytes, LIMITS.maxAnswerBytes + 20_000);
    const fitting = Math.floor(LIMITS.maxAnswerBytes / (LIMITS.maxResultBytes - 100));
    assert.equal(body.failedActionIndex, fitting);
    assert.equal(body.actionResults.length, fitting);
    assert.match(
      body.error,
      /with the script's value as JSON the answer would carry at least \d+ bytes, .*Spread the work over several requests/,
    );
  });

  test('results, screenshot, pdf and content under the caps answer as before', async () => {
    const res = await task({
      url: `${fixtures.url}/text?chars=60`,
      actions: [
        { type: 'evaluate', script: '({ title: document.title, n: 1 })' },
        { type: 'extract', selector: '#small' },
      ],
      screenshot: {},
      pdf: {},
      content: true,
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.actionResults, [{ value: { title: 'limits', n: 1 } }, { text: 'small and fine' }]);
    assert.deepEqual(pngSize(res.body.screenshot), { width: 1280, height: 720 });
    assert.equal(pdfPageCount(res.body.pdf), 1);
    assert.match(res.body.content.html, /small and fine/);
  });
});
