// Run Task (seed 003) artifacts: screenshot, pdf and content after the actions, alone and together;
// POST /browser/sessions/{id}/pdf and /screenshot as base64 JSON or raw bytes; invalid options.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { pngSize } from '../helpers/png.js';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
let fixtures: FixtureServer;
let sessionId: string;
before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer();
  sessionId = (await navis.createSession({}, { dialect: 'browser' })).id;
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

/** actions.html is the long page: 3000 px of spacer before its last paragraph. */
const longPage = () => `${fixtures.url}/actions.html`;

/** POST /browser/sessions/{id}/tasks; asserts 201 and returns the task's result. */
async function runTask(body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, { body });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

/** A POST whose answer is read as bytes (navis.request reads text, which would mangle them). */
async function postForBytes(
  urlPath: string,
  body: unknown,
  accept: string,
): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(navis.base + urlPath, {
    method: 'POST',
    headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

const isJpeg = (image: Buffer) => image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff;

/** The page sizes (MediaBox, in points) and page count of a PDF as Chromium writes it. */
function pdfPages(pdf: Buffer): { boxes: Array<[number, number]>; count: number } {
  assert.equal(pdf.toString('latin1', 0, 5), '%PDF-');
  const text = pdf.toString('latin1');
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m): [number, number] => [
    Number(m[1]),
    Number(m[2]),
  ]);
  return { boxes, count: (text.match(/\/Type\s*\/Page\b/g) ?? []).length };
}

describe('Run Task artifacts', () => {
  test('screenshot: {} answers a base64 PNG of the 1280x720 viewport', async () => {
    const task = await runTask({ url: longPage(), screenshot: {} });
    assert.deepEqual(pngSize(Buffer.from(task.screenshot, 'base64')), { width: 1280, height: 720 });
    assert.equal(task.pdf, undefined);
    assert.equal(task.content, undefined);
  });

  test('screenshot of a session with another screen size is that size, as the page sees it', async () => {
    const other = await navis.createSession({ screen: { width: 1024, height: 600 } }, { dialect: 'browser' });
    const res = await navis.request('POST', `/browser/sessions/${other.id}/tasks`, {
      body: { url: longPage(), actions: [{ type: 'evaluate', script: '[innerWidth, innerHeight]' }], screenshot: {} },
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.actionResults[0].value, [1024, 600]);
    assert.deepEqual(pngSize(Buffer.from(res.body.screenshot, 'base64')), { width: 1024, height: 600 });
    await navis.request('DELETE', `/browser/sessions/${other.id}`);
  });

  test('a viewport a client set over cdp_url is kept: navis neither resets it nor screenshots another size', async () => {
    const other = await navis.createSession({}, { dialect: 'browser' });
    const client = await chromium.connectOverCDP(other.cdpUrl);
    try {
      const page = client.contexts()[0].pages()[0];
      await page.setViewportSize({ width: 400, height: 300 });
      const res = await navis.request('POST', `/browser/sessions/${other.id}/tasks`, {
        body: { url: longPage(), actions: [{ type: 'evaluate', script: '[innerWidth, innerHeight]' }], screenshot: {} },
      });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body.actionResults[0].value, [400, 300]);
      assert.deepEqual(pngSize(Buffer.from(res.body.screenshot, 'base64')), { width: 400, height: 300 });
      assert.deepEqual(await page.evaluate(() => [innerWidth, innerHeight]), [400, 300]);
    } finally {
      await client.close();
      await navis.request('DELETE', `/browser/sessions/${other.id}`);
    }
  });

  test('screenshot with fullPage is taller than the viewport on a long page', async () => {
    const task = await runTask({ url: longPage(), screenshot: { fullPage: true } });
    const size = pngSize(Buffer.from(task.screenshot, 'base64'));
    assert.equal(size.width, 1280);
    assert.ok(size.height > 3000, `height ${size.height}`);
  });

  test('screenshot with a selector is the size of that element', async () => {
    const task = await runTask({ url: longPage(), screenshot: { selector: '#title' } });
    const size = pngSize(Buffer.from(task.screenshot, 'base64'));
    const box = await runTask({
      actions: [
        {
          type: 'evaluate',
          script:
            "const r = document.querySelector('#title').getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)];",
        },
      ],
    });
    const [width, height] = box.actionResults[0].value;
    assert.ok(
      Math.abs(size.width - width) <= 1 && Math.abs(size.height - height) <= 1,
      `${JSON.stringify(size)} vs ${width}x${height}`,
    );
  });

  test('screenshot with a selector that matches nothing answers 404 SELECTOR_NOT_FOUND', async () => {
    const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, {
      body: { url: longPage(), screenshot: { selector: '#nowhere' } },
    });
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.code, 'SELECTOR_NOT_FOUND');
    assert.match(res.body.error, /#nowhere/);
  });

  test('pdf with options answers a base64 PDF of one A4 landscape page', async () => {
    const task = await runTask({
      url: longPage(),
      pdf: {
        format: 'A4',
        landscape: true,
        printBackground: true,
        margin: { top: '1cm' },
        scale: 0.8,
        pageRanges: '1',
      },
    });
    const { boxes, count } = pdfPages(Buffer.from(task.pdf, 'base64'));
    assert.equal(count, 1);
    const [width, height] = boxes[0];
    assert.ok(Math.abs(width - 842) < 2 && Math.abs(height - 595) < 2, `MediaBox ${width}x${height}`);
  });

  test('pdf without pageRanges has every page of the long page, portrait Letter by default', async () => {
    const task = await runTask({ url: longPage(), pdf: {} });
    const { boxes, count } = pdfPages(Buffer.from(task.pdf, 'base64'));
    assert.ok(count > 1, `${count} pages`);
    const [width, height] = boxes[0];
    assert.ok(Math.abs(width - 612) < 2 && Math.abs(height - 792) < 2, `MediaBox ${width}x${height}`);
  });

  test('content: true answers the html and url of the final page', async () => {
    const task = await runTask({
      url: longPage(),
      actions: [{ type: 'evaluate', script: "document.querySelector('#title').textContent = 'Edited'" }],
      content: true,
    });
    assert.deepEqual(Object.keys(task.content).sort(), ['html', 'url']);
    assert.equal(task.content.url, longPage());
    assert.match(task.content.html, /<h1 id="title">Edited<\/h1>/);
    assert.match(task.content.html, /^<!DOCTYPE html>/i);
  });

  test('screenshot, pdf and content combine in one task, taken after the actions', async () => {
    const task = await runTask({
      url: longPage(),
      actions: [{ type: 'click', selector: '#next' }],
      screenshot: {},
      pdf: { format: 'A4' },
      content: true,
    });
    assert.equal(task.url, `${fixtures.url}/actions-next.html`);
    assert.deepEqual(pngSize(Buffer.from(task.screenshot, 'base64')), { width: 1280, height: 720 });
    assert.equal(pdfPages(Buffer.from(task.pdf, 'base64')).count, 1);
    assert.equal(task.content.url, `${fixtures.url}/actions-next.html`);
    assert.match(task.content.html, /You arrived/);
    assert.equal(task.actionResults.length, 1);
  });

  test('invalid pdf options answer 400 naming the field', async () => {
    for (const [pdf, field] of [
      [{ scale: 5 }, 'pdf.scale'],
      [{ format: 'B9' }, 'pdf.format'],
    ] as const) {
      const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, { body: { pdf } });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 'INVALID_REQUEST');
      assert.ok(res.body.error.includes(`'${field}'`), res.body.error);
    }
  });
});

describe('POST /browser/sessions/{id}/pdf', () => {
  test('answers {pdf, url} as JSON, rendering the url it was given with its options', async () => {
    const res = await navis.request('POST', `/browser/sessions/${sessionId}/pdf`, {
      body: { url: longPage(), format: 'A4', landscape: true, pageRanges: '1' },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['pdf', 'url']);
    assert.equal(res.body.url, longPage());
    const { boxes, count } = pdfPages(Buffer.from(res.body.pdf, 'base64'));
    assert.equal(count, 1);
    assert.ok(Math.abs(boxes[0][0] - 842) < 2 && Math.abs(boxes[0][1] - 595) < 2, JSON.stringify(boxes[0]));
  });

  test('with Accept: application/pdf answers the raw PDF bytes', async () => {
    const res = await postForBytes(
      `/browser/sessions/${sessionId}/pdf`,
      { url: longPage(), format: 'A5' },
      'application/pdf',
    );
    assert.equal(res.status, 200);
    assert.match(res.type ?? '', /^application\/pdf/);
    const { boxes } = pdfPages(res.bytes);
    assert.ok(Math.abs(boxes[0][0] - 420) < 2 && Math.abs(boxes[0][1] - 595) < 2, JSON.stringify(boxes[0]));
  });

  test('invalid options answer 400 naming the field', async () => {
    for (const [body, field] of [
      [{ scale: 5 }, 'scale'],
      [{ format: 'B9' }, 'format'],
    ] as const) {
      const res = await navis.request('POST', `/browser/sessions/${sessionId}/pdf`, { body });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 'INVALID_REQUEST');
      assert.ok(res.body.error.includes(`'${field}'`), res.body.error);
    }
  });
});

describe('POST /browser/sessions/{id}/screenshot', () => {
  test('answers {screenshot, url} as JSON with a PNG of the current page', async () => {
    await runTask({ url: longPage() });
    const res = await navis.request('POST', `/browser/sessions/${sessionId}/screenshot`, { body: {} });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['screenshot', 'url']);
    assert.equal(res.body.url, longPage());
    assert.deepEqual(pngSize(Buffer.from(res.body.screenshot, 'base64')), { width: 1280, height: 720 });
  });

  test('with Accept: image/png answers the raw PNG bytes', async () => {
    const res = await postForBytes(
      `/browser/sessions/${sessionId}/screenshot`,
      { url: longPage(), fullPage: true },
      'image/png',
    );
    assert.equal(res.status, 200);
    assert.equal(res.type, 'image/png');
    assert.ok(pngSize(res.bytes).height > 720);
  });

  test("type 'jpeg' answers a JPEG, as base64 JSON or as raw bytes", async () => {
    const json = await navis.request('POST', `/browser/sessions/${sessionId}/screenshot`, {
      body: { type: 'jpeg', quality: 50 },
    });
    assert.equal(json.status, 200, json.text);
    assert.ok(isJpeg(Buffer.from(json.body.screenshot, 'base64')));
    const raw = await postForBytes(`/browser/sessions/${sessionId}/screenshot`, { type: 'jpeg' }, 'image/jpeg');
    assert.equal(raw.status, 200);
    assert.equal(raw.type, 'image/jpeg');
    assert.ok(isJpeg(raw.bytes));
  });
});
