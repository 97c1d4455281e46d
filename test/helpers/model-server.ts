// A scripted model server on 127.0.0.1 for the LLM planner's tests: it answers the OpenAI chat
// completions format (POST …/chat/completions) and the Anthropic Messages format
// (POST …/messages) with the next reply of its script, and records every request so a test can
// assert what the planner sent. When the script runs out it answers 500, so an unexpected extra
// call fails the test instead of hanging. Nothing here reaches the internet.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The model calls one tool: `{ tool: 'click', args: { ref: 'e3' } }`, optionally with text before it. */
export interface ToolCallSpec {
  tool: string;
  args?: Record<string, unknown>;
  /** Text the model writes besides the call (its reasoning). */
  text?: string;
}

export type ScriptedReply =
  | ToolCallSpec
  /** A reply with text only, no tool call (as from a server without tool calling). */
  | { content: string }
  /** An HTTP answer as is: an error status and its JSON body. */
  | { status: number; body?: unknown }
  /** The reply after a delay (a slow server); `then` defaults to a `done` call. */
  | { delayMs: number; then?: ScriptedReply };

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: ModelRequestBody;
}

/** What a planner sends, loosely: both formats have model, messages and tools. */
export interface ModelRequestBody {
  model: string;
  system?: string;
  messages: Array<{ role: string; content: string | Array<{ type: string; text?: string }> }>;
  tools: Array<Record<string, any>>;
  tool_choice?: unknown;
  [key: string]: unknown;
}

export type ScriptStep = ScriptedReply | ((request: RecordedRequest) => ScriptedReply);

export interface ModelServer {
  /** OpenAI-style base URL: http://127.0.0.1:PORT/v1 (for Anthropic, the same base works). */
  url: string;
  requests: RecordedRequest[];
  /** Appends replies, answered in order, one per request. */
  script(replies: ScriptStep[]): void;
  close(): Promise<void>;
}

/** Every text the model was shown in one request (system prompt and messages), joined. */
/** The ref the planner showed the model for an element line such as `textbox "Title"` (in its last element list). */
export function refShown(request: RecordedRequest, line: string): string {
  const prompt = promptText(request.body);
  const match = prompt
    .slice(prompt.lastIndexOf('Elements:'))
    .match(new RegExp(`\\[(e\\d+)\\] ${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  if (!match) throw new Error(`the planner did not show ${line}`);
  return match[1];
}

export function promptText(body: ModelRequestBody): string {
  const system = body.system ?? '';
  const messages = body.messages.map((m) =>
    typeof m.content === 'string' ? m.content : m.content.map((part) => part.text ?? '').join('\n'),
  );
  return [system, ...messages].join('\n');
}

export async function startModelServer(): Promise<ModelServer> {
  const requests: RecordedRequest[] = [];
  const pending: ScriptStep[] = [];
  let calls = 0;
  const timers = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://model').pathname;
      const format = path.endsWith('/chat/completions')
        ? 'openai'
        : path.endsWith('/messages')
          ? 'anthropic'
          : undefined;
      if (req.method !== 'POST' || !format)
        return send(res, 404, { error: { message: `no route ${req.method} ${path}` } });
      let body: ModelRequestBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, 400, { error: { message: 'body is not JSON' } });
      }
      const request: RecordedRequest = { path, headers: req.headers, body };
      requests.push(request);
      calls++;
      const next = pending.shift();
      if (!next) return send(res, 500, { error: { message: `model server script ran out: unexpected call ${calls}` } });
      answer(res, format, typeof next === 'function' ? next(request) : next);
    });
  });

  function answer(res: http.ServerResponse, format: 'openai' | 'anthropic', reply: ScriptedReply): void {
    if ('delayMs' in reply) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) answer(res, format, reply.then ?? { tool: 'done', args: { result: 'late' } });
      }, reply.delayMs);
      timers.add(timer);
      return;
    }
    if ('status' in reply) return send(res, reply.status, reply.body ?? {});
    if ('content' in reply)
      return send(res, 200, format === 'openai' ? openAiReply(reply.content) : anthropicReply(reply.content));
    send(res, 200, format === 'openai' ? openAiReply(reply.text ?? null, reply) : anthropicReply(reply.text, reply));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (replies) => void pending.push(...replies),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

let ids = 0;

function openAiReply(content: string | null, call?: ToolCallSpec) {
  const id = ++ids;
  return {
    id: `chatcmpl-${id}`,
    object: 'chat.completion',
    model: 'scripted',
    choices: [
      {
        index: 0,
        finish_reason: call ? 'tool_calls' : 'stop',
        message: {
          role: 'assistant',
          content,
          ...(call
            ? {
                tool_calls: [
                  {
                    id: `call_${id}`,
                    type: 'function',
                    function: { name: call.tool, arguments: JSON.stringify(call.args ?? {}) },
                  },
                ],
              }
            : {}),
        },
      },
    ],
  };
}

function anthropicReply(text: string | undefined, call?: ToolCallSpec) {
  const id = ++ids;
  return {
    id: `msg_${id}`,
    type: 'message',
    role: 'assistant',
    model: 'scripted',
    stop_reason: call ? 'tool_use' : 'end_turn',
    content: [
      ...(text ? [{ type: 'text', text }] : []),
      ...(call ? [{ type: 'tool_use', id: `toolu_${id}`, name: call.tool, input: call.args ?? {} }] : []),
    ],
  };
}
