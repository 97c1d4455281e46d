// The Anthropic Messages wire format: POST {base}/v1/messages with x-api-key and
// anthropic-version, tools with input_schema and tool_choice 'any' (the model must call one);
// the reply's tool_use block is the call.
import {
  answerJson,
  callFromText,
  httpFailure,
  postJson,
  type ModelClient,
  type ModelReply,
  type ModelRequest,
  type ModelServer,
} from './client.js';
import type { ChatMessage } from './prompt.js';

export interface AnthropicOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
}

const ANTHROPIC_VERSION = '2023-06-01';
/** Room for one tool call and a few sentences of reasoning before it. */
const MAX_TOKENS = 1024;

type ContentBlock =
  { type: 'text'; text: string } | { type: 'image'; source: { type: 'base64'; media_type: 'image/png'; data: string } };

interface MessagesReply {
  content?: Array<{ type?: string; text?: string; name?: string; input?: unknown }>;
}

export class AnthropicClient implements ModelClient {
  private readonly server: ModelServer;

  constructor(private readonly options: AnthropicOptions) {
    const base = options.baseUrl.replace(/\/+$/, '');
    this.server = {
      // Both https://api.anthropic.com and a base that already ends in /v1 work.
      url: /\/v1$/.test(base) ? `${base}/messages` : `${base}/v1/messages`,
      headers: { 'anthropic-version': ANTHROPIC_VERSION, ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}) },
      timeoutMs: options.timeoutMs,
      apiKey: options.apiKey,
    };
  }

  async complete(request: ModelRequest, signal?: AbortSignal): Promise<ModelReply> {
    const answer = await postJson(
      this.server,
      {
        model: this.options.model,
        max_tokens: MAX_TOKENS,
        system: request.system,
        messages: request.messages.map(wireMessage),
        tools: request.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters })),
        tool_choice: { type: 'any' },
      },
      signal,
    );
    if (answer.status < 200 || answer.status >= 300) throw httpFailure(this.server, answer);
    return readMessage(answerJson(this.server, answer) as MessagesReply);
  }
}

function wireMessage(message: ChatMessage): { role: string; content: string | ContentBlock[] } {
  if (!message.image) return { role: message.role, content: message.content };
  return {
    role: message.role,
    content: [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: message.image } },
      { type: 'text', text: message.content },
    ],
  };
}

function readMessage(reply: MessagesReply): ModelReply {
  const blocks = reply.content ?? [];
  const text =
    blocks
      .filter((b) => b.type === 'text' && b.text?.trim())
      .map((b) => b.text!.trim())
      .join('\n') || undefined;
  const use = blocks.find((b) => b.type === 'tool_use' && typeof b.name === 'string');
  if (use) return { call: { name: use.name!, args: use.input }, text };
  const fromText = text ? callFromText(text) : undefined;
  return fromText ? { call: fromText } : { text };
}
