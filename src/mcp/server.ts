// The MCP server both transports run: navis's tools (browser-tools.ts, site-tools.ts) over one NavisCaller.
import fs from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { NavisCaller } from './caller.js';
import { BROWSER_TOOLS } from './browser-tools.js';
import { SITE_TOOLS } from './site-tools.js';

const INSTRUCTIONS = `navis drives real Chromium browsers. Start with session_create (or reuse one from session_list), look at the page with snapshot (elements with refs and selectors, bounded by maxChars) or screenshot, and act with act (an instruction in words; give it an id to cache the steps so the next call replays them without a planner) or task_run (typed actions with selectors). End with session_terminate. For a website with a manifest, site_action and site_view work by name (sites_list, site_manifest; site_discover makes one).`;

/** package.json sits two folders up from both src/mcp and dist/mcp. */
const { version } = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function createMcpServer(navis: NavisCaller): McpServer {
  const server = new McpServer({ name: 'navis', version }, { instructions: INSTRUCTIONS });
  for (const tool of [...BROWSER_TOOLS, ...SITE_TOOLS]) tool.register(server, navis);
  return server;
}
