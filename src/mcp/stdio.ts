// `navis mcp`: the MCP server on stdin/stdout for an agent that starts it as a command (Claude
// Desktop, Cursor…), calling the navis at NAVIS_URL with NAVIS_API_KEY. stdout carries the
// protocol and nothing else: whatever this process has to say goes to stderr.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { httpCaller } from './caller.js';
import { createMcpServer } from './server.js';

export async function serveStdio(settings: { serverUrl: string; apiKey?: string }): Promise<void> {
  const server = createMcpServer(httpCaller(settings));
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await server.connect(transport);
  console.error(
    `navis mcp: serving MCP on stdio for the navis at ${settings.serverUrl}${settings.apiKey ? '' : ' (no NAVIS_API_KEY set: only the keyless loopback site tools will work)'}`,
  );
  process.stdin.once('end', () => void server.close());
  await closed;
}
