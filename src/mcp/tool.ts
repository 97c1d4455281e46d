// What every MCP tool of navis is made of (tools are in browser-tools.ts and site-tools.ts): a name,
// words for an agent, the arguments as a route's own zod schema (so its JSON Schema is the route's),
// and one request to navis's API through a NavisCaller (caller.ts). A refusal of navis comes back as
// a tool error (isError) carrying navis's message, its status and code.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { IdParams } from '../api/schemas.js';
import type { NavisAnswer, NavisCaller, NavisRequest } from './caller.js';

export type Content = CallToolResult['content'][number];

/** A tool, ready to be registered on a server whose tools reach navis through `navis`. */
export interface NavisTool {
  name: string;
  register(server: McpServer, navis: NavisCaller): void;
}

/**
 * A tool: its name, what an agent reads about it, its arguments (a route's schema), and what it
 * does with them. `ask` answers navis's reply, or throws a refusal (status >= 400) as a tool error.
 */
export function tool<S extends z.ZodObject>(
  name: string,
  about: { title: string; description: string; input: S; annotations: ToolAnnotations },
  run: (args: z.output<S>, ask: (request: NavisRequest) => Promise<NavisAnswer>) => Promise<CallToolResult>,
): NavisTool {
  return {
    name,
    register(server, navis) {
      // McpServer validates the arguments with `input` (the route's schema) before `run` sees them;
      // whatever `run` throws becomes a tool error with its message.
      server.registerTool(
        name,
        {
          title: about.title,
          description: about.description,
          inputSchema: about.input,
          annotations: about.annotations,
        },
        // The SDK types the callback by a conditional on S, which TypeScript leaves open for a generic S.
        ((args: z.output<S>, extra: { signal: AbortSignal }) =>
          run(args, async (request) => answerOf(await navis({ ...request, signal: extra.signal })))) as never,
      );
    },
  };
}

/** A navis answer that is not a success, as the message a tool error carries. */
class NavisRefusal extends Error {
  constructor(
    readonly status: number,
    body: unknown,
  ) {
    super(refusalText(status, body));
  }
}

/** A failed task's details may hold a screenshot taken before the failure: no base64 in the words. */
const shortStrings = (_key: string, value: unknown) =>
  typeof value === 'string' && value.length > 2000 ? `(${value.length} characters left out)` : value;

/** navis's own message first (`error` or seed 000's `detail`), then the status and code, then any details. */
function refusalText(status: number, body: unknown): string {
  if (typeof body !== 'object' || body === null)
    return `${typeof body === 'string' && body ? body : 'navis answered with no message'} (HTTP ${status})`;
  const { error, detail, code, ...details } = body as Record<string, unknown>;
  const message = typeof error === 'string' ? error : typeof detail === 'string' ? detail : JSON.stringify(body);
  const more = Object.keys(details).length ? `\nDetails: ${JSON.stringify(details, shortStrings)}` : '';
  return `${message} (HTTP ${status}${typeof code === 'string' ? ` ${code}` : ''})${more}`;
}

function answerOf(answer: NavisAnswer): NavisAnswer {
  if (answer.status >= 400) throw new NavisRefusal(answer.status, answer.body);
  return answer;
}

export const text = (value: string): Content => ({ type: 'text', text: value });
export const json = (value: unknown) => JSON.stringify(value, null, 2);
export const enc = encodeURIComponent;

const SessionId = IdParams.shape.id.describe('The session: an id session_create answered (or one from session_list)');
export const OnSession = z.object({ session_id: SessionId });
