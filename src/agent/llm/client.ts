// What the LLM planner needs of a model server, whatever its wire format: one request (system
// prompt, messages, tools) in, one reply (a tool call, or text) out. Also the one HTTP call both
// formats make, with its deadline and the errors it turns into: every failure is a
// PLANNER_FAILED naming the server and what it answered, never the API key.
import { NavisError } from '../../errors.js';
import type { ChatMessage } from './prompt.js';
import type { ToolCall, ToolSpec } from './tools.js';

export interface ModelRequest {
  system: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
}

export interface ModelReply {
  /** The tool call, when the model made one. */
  call?: ToolCall;
  /** What the model wrote besides (its reasoning), or instead of, a tool call. */
  text?: string;
  /** Why a call it made could not be read (arguments that are not JSON). */
  problem?: string;
}

export interface ModelClient {
  complete(request: ModelRequest, signal?: AbortSignal): Promise<ModelReply>;
}

export interface ModelServer {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Only to scrub it from whatever a server echoes back. */
  apiKey?: string;
}

export interface HttpAnswer {
  status: number;
  statusText: string;
  text: string;
}

/** The server as errors and logs name it: origin and path, never credentials or a query string. */
export const where = (url: string) => {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
};

/** POSTs JSON; any HTTP status is an answer. Unreachable, too slow or aborted throws. */
export async function postJson(server: ModelServer, body: unknown, signal?: AbortSignal): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(server.timeoutMs);
  try {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...server.headers },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
    return { status: response.status, statusText: response.statusText, text: await response.text() };
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    if (timeout.aborted) {
      throw new NavisError(
        'PLANNER_FAILED',
        `The model server at ${where(server.url)} did not answer within ${server.timeoutMs} ms; raise NAVIS_LLM_TIMEOUT_MS or use a faster model.`,
        {
          server: where(server.url),
          timeoutMs: server.timeoutMs,
        },
      );
    }
    const reason = scrub(
      String((error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message),
      server.apiKey,
    );
    throw new NavisError(
      'PLANNER_FAILED',
      `Could not reach the model server at ${where(server.url)} (${reason}); check NAVIS_LLM_BASE_URL.`,
      { server: where(server.url) },
    );
  }
}

const HINTS: Record<number, string> = {
  400: 'check NAVIS_LLM_MODEL and that the server supports tool calling',
  401: 'check NAVIS_LLM_API_KEY',
  403: 'check NAVIS_LLM_API_KEY and its access to the model',
  404: 'check NAVIS_LLM_BASE_URL and NAVIS_LLM_MODEL',
  429: 'the server is rate limiting; try again later',
};

/** A non-2xx answer as an error: which server, what status, what it said (the key scrubbed). */
export function httpFailure(server: ModelServer, answer: HttpAnswer): NavisError {
  const said = scrub(errorText(answer.text), server.apiKey);
  const hint = HINTS[answer.status] ?? (answer.status >= 500 ? 'the model server failed; try again later' : undefined);
  return new NavisError(
    'PLANNER_FAILED',
    `The model server at ${where(server.url)} answered ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}${said ? `: ${said}` : ''}${hint ? ` (${hint})` : ''}`,
    { server: where(server.url), status: answer.status },
  );
}

/** The JSON body of a 2xx answer. */
export function answerJson(server: ModelServer, answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.text);
  } catch {
    throw new NavisError(
      'PLANNER_FAILED',
      `The model server at ${where(server.url)} answered ${answer.status} with a body that is not JSON: ${scrub(clip(answer.text), server.apiKey)}`,
      {
        server: where(server.url),
        status: answer.status,
      },
    );
  }
}

/**
 * A tool call written as JSON text, for servers or models without tool calling:
 * `{"tool": "click", "args": {"ref": "e3"}}`, `{"name": …, "arguments": …}` or `{"tool": "click", "ref": "e3"}`.
 */
export function callFromText(text: string): ToolCall | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const {
    tool,
    name,
    function: fn,
    args,
    arguments: argsAlt,
    parameters,
    input,
    ...rest
  } = value as Record<string, unknown>;
  const toolName = [tool, name, fn].find((v): v is string => typeof v === 'string');
  if (!toolName) return undefined;
  const given = [args, argsAlt, parameters, input].find((v) => v !== undefined);
  return { name: toolName, args: typeof given === 'string' ? parseArgs(given) : (given ?? rest) };
}

/** Tool arguments given as a JSON string; what is not JSON stays a string and fails validation. */
export function parseArgs(text: string): unknown {
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return text;
  }
}

function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = parsed.error as { message?: unknown } | string | undefined;
    const message =
      typeof error === 'string'
        ? error
        : typeof error?.message === 'string'
          ? error.message
          : (parsed.message ?? parsed.detail);
    if (typeof message === 'string') return clip(message);
  } catch {
    // not JSON: the text itself
  }
  return clip(body.trim());
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}…` : text);

function scrub(text: string, apiKey?: string): string {
  return apiKey && apiKey.length >= 4 ? text.split(apiKey).join('[api key]') : text;
}
