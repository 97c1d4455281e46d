// `navis mcp` (stdio) spawned as an agent spawns it, with the SDK's own StdioClientTransport and
// NAVIS_URL / NAVIS_API_KEY in its environment: the tools' contract, stdout holding nothing but the
// protocol, and a wrong key or an unreachable navis coming back as tool errors that say so.
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';
import { mcpToolsContract, SHOP_ROUTES } from './contract.js';

const CLI = path.join(import.meta.dirname, '..', '..', 'src', 'cli.ts');

let navis: TestNavis;
let fixtures: FixtureServer;
let client: Client;
let stderr = '';
const opened: Client[] = [];

/** `navis mcp` with this environment, connected (closed after the file); its stderr goes to `onStderr`. */
async function spawnMcp(env: Record<string, string>, onStderr: (text: string) => void = () => {}): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', CLI, 'mcp'],
    env,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => onStderr(chunk.toString()));
  const mcp = new Client({ name: 'navis-test', version: '1.0.0' });
  await mcp.connect(transport);
  opened.push(mcp);
  return mcp;
}

before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer({ routes: SHOP_ROUTES });
  client = await spawnMcp({ NAVIS_URL: navis.base, NAVIS_API_KEY: ADMIN_KEY }, (text) => (stderr += text));
});
after(async () => {
  await Promise.all(opened.map((c) => c.close()));
  await navis.close();
  await fixtures.close();
});

mcpToolsContract(() => ({ navis, fixtures, client }));

type ToolAnswer = { isError?: boolean; content: Array<{ type: string; text: string }> };

describe('navis mcp', () => {
  test('says what it serves on stderr, keeping stdout for the protocol', () => {
    assert.match(
      stderr,
      new RegExp(`navis mcp: serving MCP on stdio for the navis at ${navis.base.replace(/[.]/g, '\\.')}`),
    );
  });

  test("a wrong NAVIS_API_KEY: every tool answers navis's 401 as a tool error", async () => {
    const wrong = await spawnMcp({ NAVIS_URL: navis.base, NAVIS_API_KEY: 'nv_wrong_key' });
    const answer = (await wrong.callTool({ name: 'session_list', arguments: {} })) as ToolAnswer;
    assert.equal(answer.isError, true);
    assert.equal(answer.content[0].text, 'Invalid API key (HTTP 401)');
  });

  test('a navis that is not running: tool errors name the address and how to set it', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const nowhere = await spawnMcp({ NAVIS_URL: `http://127.0.0.1:${port}`, NAVIS_API_KEY: ADMIN_KEY });
    const answer = (await nowhere.callTool({ name: 'sites_list', arguments: {} })) as ToolAnswer;
    assert.equal(answer.isError, true);
    assert.equal(
      answer.content[0].text,
      `could not reach navis at http://127.0.0.1:${port} (ECONNREFUSED). Start it with \`navis start\`, or point \`navis mcp\` at a running one with NAVIS_URL.`,
    );
  });
});
