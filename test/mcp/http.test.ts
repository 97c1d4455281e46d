// POST /mcp (Streamable HTTP, stateless) with the SDK's own client: the tools' contract, the API key
// (X-API-Key or Authorization: Bearer; none or a wrong one is navis's 401), GET/DELETE 405, and a
// tenant's tools reaching only that tenant's sessions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';
import { mcpToolsContract, SHOP_ROUTES } from './contract.js';

let navis: TestNavis;
let fixtures: FixtureServer;
let client: Client;
const opened: Client[] = [];

/** A client connected to POST /mcp with these headers (closed after the file). */
async function connect(headers: Record<string, string>): Promise<Client> {
  const mcp = new Client({ name: 'navis-test', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${navis.base}/mcp`), { requestInit: { headers } }));
  opened.push(mcp);
  return mcp;
}

before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer({ routes: SHOP_ROUTES });
  client = await connect({ 'x-api-key': ADMIN_KEY });
});
after(async () => {
  await Promise.all(opened.map((c) => c.close()));
  await navis.close();
  await fixtures.close();
});

mcpToolsContract(() => ({ navis, fixtures, client }));

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
};
const MCP_HEADERS = { accept: 'application/json, text/event-stream' };

describe('POST /mcp', () => {
  test("no key, or a wrong one, is a 401 with navis's error body", async () => {
    for (const key of [null, 'nv_wrong_key']) {
      const res = await navis.request('POST', '/mcp', { key, body: INITIALIZE, headers: MCP_HEADERS });
      assert.equal(res.status, 401, res.text);
      assert.deepEqual(res.body, { error: 'Invalid API key', code: 'UNAUTHORIZED' });
    }
    await assert.rejects(connect({ 'x-api-key': 'nv_wrong_key' }), /Invalid API key/);
  });

  test('Authorization: Bearer works as X-API-Key does', async () => {
    const bearer = await connect({ authorization: `Bearer ${ADMIN_KEY}` });
    const { tools } = await bearer.listTools();
    assert.ok(tools.some((t) => t.name === 'snapshot'));
  });

  test('a plain JSON-RPC POST answers JSON (stateless: no MCP session id)', async () => {
    const res = await navis.request('POST', '/mcp', { body: INITIALIZE, headers: MCP_HEADERS });
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.headers.get('mcp-session-id'), null);
    assert.equal(res.body.result.serverInfo.name, 'navis');
  });

  test('GET and DELETE /mcp answer 405: there is no MCP session to stream or end', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await navis.request(method, '/mcp', { headers: MCP_HEADERS });
      assert.equal(res.status, 405, res.text);
      assert.equal(res.headers.get('allow'), 'POST');
      assert.match(res.body.error.message, /stateless/);
    }
  });

  test("a tenant's tools reach only its own sessions", async () => {
    const otherKey = await navis.newTenant('mcp-other');
    const other = await connect({ 'x-api-key': otherKey });
    const adminSession = (await navis.createSession()).session_id;
    const answer = (await other.callTool({
      name: 'session_terminate',
      arguments: { session_id: adminSession },
    })) as { isError?: boolean; content: Array<{ text: string }> };
    assert.equal(answer.isError, true);
    assert.match(answer.content[0].text, /^Session not found/);
    const list = (await other.callTool({ name: 'session_list', arguments: {} })) as {
      content: Array<{ text: string }>;
    };
    assert.equal(JSON.parse(list.content[0].text).total, 0);
    await navis.terminate(adminSession);
  });

  test('/mcp is left out of the OpenAPI document', async () => {
    const res = await navis.request('GET', '/openapi.json');
    assert.equal(res.body.paths['/mcp'], undefined);
    assert.ok(res.body.paths['/browser/sessions/{id}/snapshot'], 'the snapshot route is documented');
  });
});
