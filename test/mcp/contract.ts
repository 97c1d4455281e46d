// What navis's MCP tools do, whichever transport carries them: run by http.test.ts (POST /mcp) and
// stdio.test.ts (`navis mcp`) against a real navis and real Chromium, with the SDK's own Client.
// The world (navis, the fixture server, a connected client) is the transport test's to make.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { FixtureRoute, FixtureServer } from '../helpers/fixtures.js';
import type { TestNavis } from '../helpers/navis.js';

export interface McpWorld {
  navis: TestNavis;
  fixtures: FixtureServer;
  client: Client;
}

const PRODUCTS = Array.from({ length: 40 }, (_, i) => `Widget ${i + 1}`);
const SHOP = `<!doctype html><meta charset="utf-8"><title>Shop</title>
<h1>Shop</h1>
<ul id="list">${PRODUCTS.map((name) => `<li><span>${name}</span> <button>Add ${name}</button></li>`).join('')}</ul>
<p id="status" role="status">Cart is empty</p>
<script>
  for (const b of document.querySelectorAll('button'))
    b.onclick = () => (document.getElementById('status').textContent = b.textContent.replace('Add ', 'Added '));
</script>`;

/** The fixture server's routes the contract uses: /shop.html, forty items with a button each. */
export const SHOP_ROUTES: Record<string, FixtureRoute> = {
  '/shop.html': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(SHOP);
  },
};

type ToolAnswer = {
  content: Array<{ type: string; text?: string; data?: string; mimeType?: string }>;
  isError?: boolean;
};

/** Calls a tool and returns its answer. */
async function call(world: McpWorld, name: string, args: Record<string, unknown> = {}): Promise<ToolAnswer> {
  return (await world.client.callTool({ name, arguments: args })) as ToolAnswer;
}

/** The text of an answer that must be a success. */
function textOf(answer: ToolAnswer): string {
  const text = answer.content
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
  assert.notEqual(answer.isError, true, text);
  return text;
}

/** The text of an answer that must be a tool error. */
function errorOf(answer: ToolAnswer): string {
  assert.equal(answer.isError, true, JSON.stringify(answer));
  return answer.content.map((c) => c.text).join('\n');
}

/** The JSON an answer's text carries after its lines of words (or the whole text when it is JSON). */
function jsonOf(text: string): any {
  return JSON.parse(text.startsWith('{') ? text : text.slice(text.indexOf('\n{') + 1));
}

const TOOL_NAMES = [
  'act',
  'screenshot',
  'session_create',
  'session_list',
  'session_terminate',
  'site_action',
  'site_discover',
  'site_manifest',
  'site_view',
  'sites_list',
  'snapshot',
  'task_run',
];

export function mcpToolsContract(world: () => McpWorld): void {
  describe('MCP tools', () => {
    let sessionId: string;

    test('lists every tool with a description and the JSON Schema of its route', async () => {
      const { tools } = await world().client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), TOOL_NAMES);
      for (const t of tools) {
        assert.ok((t.description ?? '').length > 80, `${t.name} tells an agent what it does and when`);
        assert.equal(t.inputSchema.type, 'object');
      }
      const schema = (name: string) => tools.find((t) => t.name === name)!.inputSchema as any;
      const task = schema('task_run');
      assert.deepEqual(task.required, ['session_id']);
      const actionTypes = task.properties.actions.items.oneOf.map((a: any) => a.properties.type.const);
      assert.ok(actionTypes.includes('navigate') && actionTypes.includes('authenticate'), actionTypes.join());
      assert.equal(task.properties.pdf, undefined, 'no base64 PDFs in an agent context');
      assert.equal(schema('snapshot').properties.maxChars.default, 20_000);
      assert.deepEqual(Object.keys(schema('act').properties).slice(0, 4), ['action', 'session_id', 'id', 'variables']);
      const ttl = schema('session_create').properties.ttl.anyOf.find((s: any) => s.type === 'integer');
      assert.equal(ttl.maximum, 86_400);
      assert.deepEqual(schema('site_action').required, ['slug', 'state', 'action']);
    });

    test('session_create answers an active session with its id and live view', async () => {
      const text = textOf(await call(world(), 'session_create', { ttl: 300 }));
      const session = jsonOf(text);
      assert.equal(session.status, 'active');
      assert.equal(session.ttl, 300);
      assert.match(text, new RegExp(`^Session ${session.session_id} is active until .*Live view: http`));
      sessionId = session.session_id;
    });

    test('task_run runs typed actions and answers their results, with a screenshot as an image', async () => {
      const answer = await call(world(), 'task_run', {
        session_id: sessionId,
        url: `${world().fixtures.url}/shop.html`,
        actions: [
          { type: 'click', selector: '#list > li:nth-of-type(3) > button' },
          { type: 'extract', selector: '#status' },
        ],
        screenshot: {},
      });
      textOf(answer);
      const result = jsonOf(answer.content[0].text!);
      assert.equal(result.url, `${world().fixtures.url}/shop.html`);
      assert.equal(result.actionResults[1].text, 'Added Widget 3');
      assert.deepEqual(
        result.stepLog.map((s: any) => s.status),
        ['ok', 'ok', 'ok'],
      );
      const image = answer.content.find((c) => c.type === 'image');
      assert.ok(image?.data, 'the screenshot is an image of its own');
      assert.equal(image.mimeType, 'image/png');
      assert.equal(Buffer.from(image.data, 'base64').subarray(1, 4).toString(), 'PNG');
    });

    test('snapshot answers elements with refs and selectors, and the page text', async () => {
      const text = textOf(await call(world(), 'snapshot', { session_id: sessionId, maxChars: 100_000 }));
      assert.match(text, /^URL: .*\/shop\.html\nTitle: Shop\n/);
      assert.match(text, /^ {2}\[e\d+\] button "Add Widget 40" selector="#list > li:nth-of-type\(40\) > button"$/m);
      assert.match(text, /Page text:\nShop\n/);
      assert.doesNotMatch(text, /truncated/);
    });

    test('past maxChars a snapshot says it was cut and how to read on; offset reads the rest', async () => {
      const first = textOf(await call(world(), 'snapshot', { session_id: sessionId, maxChars: 1000 }));
      const note =
        /\n\[Snapshot truncated: characters 0 to (\d+) of (\d+)\. Call snapshot again with offset=(\d+) for the rest, or with scope=<ref>/.exec(
          first,
        );
      assert.ok(note, first);
      assert.ok(Number(note[1]) <= 1000);
      assert.equal(note[1], note[3]);
      assert.ok(first.indexOf('\n[Snapshot truncated') <= 1000);
      const rest = textOf(
        await call(world(), 'snapshot', { session_id: sessionId, maxChars: 100_000, offset: Number(note[3]) }),
      );
      assert.match(
        rest,
        new RegExp(`\\n\\[End of the snapshot: characters ${note[3]} to ${note[2]} of ${note[2]}\\.\\]$`),
      );
      assert.match(rest, /Page text:/);
    });

    test('screenshot answers image content, PNG by default and JPEG when asked', async () => {
      const png = await call(world(), 'screenshot', { session_id: sessionId });
      assert.match(textOf(png), /^Screenshot of http:.*\/shop\.html$/);
      const image = png.content.find((c) => c.type === 'image')!;
      assert.equal(image.mimeType, 'image/png');
      assert.equal(Buffer.from(image.data!, 'base64').subarray(1, 4).toString(), 'PNG');
      const jpeg = (await call(world(), 'screenshot', { session_id: sessionId, type: 'jpeg', quality: 50 })).content[1];
      assert.equal(jpeg.mimeType, 'image/jpeg');
      assert.equal(Buffer.from(jpeg.data!, 'base64')[0], 0xff);
    });

    test('act plans an instruction with the rules planner; the same id then replays from the step cache', async () => {
      const args = { session_id: sessionId, action: 'Click the "Add Widget 7" button', id: 'mcp-add-widget' };
      const planned = textOf(await call(world(), 'act', args));
      assert.match(
        planned,
        /^Done\.\nPlanned \(not from the cache\), 0 credits\. Its steps are cached as 'mcp-add-widget'/,
      );
      assert.equal(jsonOf(planned).used_cache, false);
      const replayed = textOf(await call(world(), 'act', args));
      assert.match(
        replayed,
        /^Done\.\nReplayed from the step cache \('mcp-add-widget'\): no planner call, 0 credits\./,
      );
      assert.equal(jsonOf(replayed).used_cache, true);
      const status = jsonOf(
        textOf(
          await call(world(), 'task_run', {
            session_id: sessionId,
            actions: [{ type: 'extract', selector: '#status' }],
          }),
        ),
      );
      assert.equal(status.actionResults[0].text, 'Added Widget 7');
    });

    test("a tool on an unknown session is a tool error with navis's message", async () => {
      const message = errorOf(await call(world(), 'snapshot', { session_id: '00000000-0000-4000-8000-000000000000' }));
      assert.match(message, /^Session not found \(HTTP 404 SESSION_NOT_FOUND\)/);
    });

    test('a failing action is a tool error naming the action and its reason', async () => {
      const message = errorOf(
        await call(world(), 'task_run', {
          session_id: sessionId,
          actions: [{ type: 'click', selector: '#nowhere', timeoutMs: 300 }],
        }),
      );
      assert.match(message, /#nowhere/);
      assert.match(message, /\nDetails: .*"failedActionIndex":0/);
    });

    test('arguments that do not fit the schema are a tool error naming the field', async () => {
      const message = errorOf(await call(world(), 'task_run', { session_id: sessionId, actions: [{ type: 'fly' }] }));
      assert.match(message, /unknown action type; expected one of navigate, click/);
      assert.match(message, /actions\.0\.type|actions\[0\]\.type/);
    });

    test('session_terminate ends the session; session_list shows it terminated', async () => {
      assert.equal(
        textOf(await call(world(), 'session_terminate', { session_id: sessionId })),
        `Session ${sessionId} terminated.`,
      );
      const list = jsonOf(textOf(await call(world(), 'session_list', { status_filter: 'terminated' })));
      assert.ok(list.sessions.some((s: any) => s.session_id === sessionId));
      const again = errorOf(await call(world(), 'session_terminate', { session_id: sessionId }));
      assert.match(again, /^Session is already terminated \(HTTP 400/);
    });
  });

  describe('MCP site tools', () => {
    const slug = 'mcp-fixture';

    test('sites_list and site_manifest show a stored manifest', async () => {
      const manifest = JSON.parse(
        fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'site', 'manifest.json'), 'utf8'),
      );
      const put = await world().navis.request('PUT', `/api/sites/${slug}/manifest`, {
        body: { ...manifest, baseUrl: `${world().fixtures.url}/site/` },
      });
      assert.equal(put.status, 201, put.text);
      const list = jsonOf(textOf(await call(world(), 'sites_list')));
      assert.ok(list.sites.some((s: any) => s.slug === slug && s.name === 'Fixture site'));
      const read = jsonOf(textOf(await call(world(), 'site_manifest', { slug })));
      assert.ok(read.states.some((s: any) => s.name === 'ProductPage'));
    });

    test('site_action runs a named action with its inputs', async () => {
      const result = jsonOf(
        textOf(
          await call(world(), 'site_action', {
            slug,
            state: 'ProductPage',
            action: 'add_to_cart',
            inputs: { id: 7, quantity: 2 },
          }),
        ),
      );
      assert.equal(result.ok, true);
      assert.equal(result.state, 'ProductPage');
      assert.ok(result.steps.every((s: any) => s.status === 'ok'));
    });

    test('site_view reads a view with its inputs', async () => {
      const result = jsonOf(
        textOf(await call(world(), 'site_view', { slug, state: 'ProductPage', view: 'product', inputs: { id: '42' } })),
      );
      assert.equal(result.record.name, 'Product 42');
    });

    test("an unknown action is a tool error with seed 002's message", async () => {
      const message = errorOf(await call(world(), 'site_action', { slug, state: 'ProductPage', action: 'nope' }));
      assert.match(message, /^Route 'nope' not found \(HTTP 404\)/);
    });

    test('site_discover crawls a site and stores its manifest', async () => {
      const text = textOf(
        await call(world(), 'site_discover', {
          url: `${world().fixtures.url}/site/products/index.html`,
          slug: 'mcp-discovered',
          maxPages: 2,
          maxDepth: 1,
          verify: false,
        }),
      );
      assert.match(text, /^Created the manifest 'mcp-discovered'\./);
      assert.ok(jsonOf(text).report.pagesVisited >= 1);
      const list = jsonOf(textOf(await call(world(), 'sites_list')));
      assert.ok(list.sites.some((s: any) => s.slug === 'mcp-discovered'));
    });
  });
}
