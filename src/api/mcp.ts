// POST /mcp: navis's MCP server over Streamable HTTP, for agents that reach navis by URL. Stateless:
// a server and a transport per request, so GET (a server-sent stream) and DELETE (ending an MCP
// session) have nothing to do and answer 405. The key (X-API-Key or Authorization: Bearer) is
// checked as on every route; the tools then call navis's own routes in-process with that same key
// (fastify's inject), so an MCP client can do exactly what its key can do over HTTP, no more.
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseAnswer, urlOf, type NavisCaller } from '../mcp/caller.js';
import { createMcpServer } from '../mcp/server.js';
import { apiKeyOf } from './auth.js';

/** navis's routes as `apiKey` calls them, without leaving the process. */
function injectCaller(app: FastifyInstance, apiKey: string): NavisCaller {
  return async (request) => {
    const res = await app.inject({
      method: request.method,
      url: urlOf(request),
      headers: {
        'x-api-key': apiKey,
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      payload: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    return { status: res.statusCode, body: parseAnswer(res.body) };
  };
}

/** A JSON-RPC error as the MCP transport answers one outside any request. */
const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0', error: { code, message }, id: null });

const stateless = (_req: unknown, reply: FastifyReply) =>
  reply
    .code(405)
    .header('allow', 'POST')
    .send(
      rpcError(
        -32000,
        "Method not allowed: navis's MCP endpoint is stateless; send each JSON-RPC message with POST /mcp.",
      ),
    );

/** Registered under /mcp in a scope that requires an API key (app.ts). */
export async function mcpRoutes(app: FastifyInstance) {
  app.post('/', { schema: { hide: true } }, async (req, reply) => {
    const server = createMcpServer(injectCaller(app, apiKeyOf(req)!));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    // The transport writes the answer itself, on the raw response.
    reply.hijack();
    reply.raw.once('close', () => void server.close());
    try {
      await server.connect(transport);
      await transport.handleRequest(req.raw, reply.raw, req.body);
    } catch (error) {
      req.log.error({ err: error }, 'MCP request failed');
      if (!reply.raw.headersSent) {
        reply.raw
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify(rpcError(-32603, `Internal error (request ${req.id}); the server log has the details.`)));
      }
    }
  });
  app.get('/', { schema: { hide: true } }, stateless);
  app.delete('/', { schema: { hide: true } }, stateless);
}
