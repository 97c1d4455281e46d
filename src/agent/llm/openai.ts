// The OpenAI chat completions wire format (OpenAI, vLLM, Ollama, LM Studio, llama.cpp…):
// POST {base}/chat/completions with function tools and tool_choice 'required'. Servers that
// refuse 'required' get 'auto' from then on; a model that answers with a JSON object in its
// text instead of a tool call is read too.
import type { Logger } from 'pino';
import {
  answerJson,
  callFromText,
  httpFailure,
  parseArgs,
  postJson,
  where,
  type ModelClient,
  type ModelReply,
  type ModelRequest,
  type ModelServer,
} from './client.js';
import type { ChatMessage } from './prompt.js';

export interface OpenAiOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  log?: Logger;
}

type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

interface ChatCompletion {
  choices?: Array<{
    message?: {
      content?: string | null;
      tool_calls?: Array<{ function?: { name?: string; arguments?: unknown } }>;
    };
  }>;
}

export class OpenAiClient implements ModelClient {
  private readonly server: ModelServer;
  /** Lowered to 'auto' once the server says it does not take 'required'; kept for later runs. */
  private toolChoice: 'required' | 'auto' = 'required';

  constructor(private readonly options: OpenAiOptions) {
    this.server = {
      url: `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`,
      headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
      timeoutMs: options.timeoutMs,
      apiKey: options.apiKey,
    };
  }

  async complete(request: ModelRequest, signal?: AbortSignal): Promise<ModelReply> {
    for (;;) {
      const toolChoice = this.toolChoice;
      const answer = await postJson(this.server, this.body(request, toolChoice), signal);
      if (answer.status === 400 && toolChoice === 'required' && /tool_choice/i.test(answer.text)) {
        this.toolChoice = 'auto';
        this.options.log?.warn(
          { server: where(this.server.url), model: this.options.model },
          "model server refuses tool_choice 'required'; using 'auto'",
        );
        continue;
      }
      if (answer.status < 200 || answer.status >= 300) throw httpFailure(this.server, answer);
      return readCompletion(answerJson(this.server, answer) as ChatCompletion);
    }
  }

  private body(request: ModelRequest, toolChoice: 'required' | 'auto') {
    return {
      model: this.options.model,
      messages: [{ role: 'system', content: request.system }, ...request.messages.map(wireMessage)],
      tools: request.tools.map((t) => ({
        type: 'function',
        function: { name: t.name, description: t.description, parameters: t.parameters },
      })),
      tool_choice: toolChoice,
    };
  }
}

function wireMessage(message: ChatMessage): { role: string; content: string | ContentPart[] } {
  if (!message.image) return { role: message.role, content: message.content };
  return {
    role: message.role,
    content: [
      { type: 'text', text: message.content },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${message.image}` } },
    ],
  };
}

function readCompletion(completion: ChatCompletion): ModelReply {
  const message = completion.choices?.[0]?.message;
  const text = typeof message?.content === 'string' && message.content.trim() ? message.content.trim() : undefined;
  const fn = message?.tool_calls?.[0]?.function;
  if (fn?.name) {
    const args = typeof fn.arguments === 'string' ? parseArgs(fn.arguments) : fn.arguments;
    return {
      call: { name: fn.name, args },
      text,
      ...(typeof args === 'string' ? { problem: `the arguments of ${fn.name} are not JSON` } : {}),
    };
  }
  const fromText = text ? callFromText(text) : undefined;
  return fromText ? { call: fromText } : { text };
}
