// How the MCP tools reach navis: a request to navis's own HTTP API, so what a tool does (auth,
// validation, tenant isolation, errors, answers) is exactly what the route does. POST /mcp calls
// in-process (api/mcp.ts, fastify's inject) with the caller's key; `navis mcp` calls NAVIS_URL.

export interface NavisRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path with its parameters already encoded (`/browser/sessions/${enc(id)}/tasks`). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON when present. */
  body?: unknown;
  signal?: AbortSignal;
}

export interface NavisAnswer {
  status: number;
  /** The answer's JSON, or its text when it is not JSON; undefined when empty (204). */
  body: unknown;
}

export type NavisCaller = (request: NavisRequest) => Promise<NavisAnswer>;

/** The path and query string of a request. */
export function urlOf(request: Pick<NavisRequest, 'path' | 'query'>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {}))
    if (value !== undefined) query.set(name, String(value));
  const search = query.toString();
  return search ? `${request.path}?${search}` : request.path;
}

/** An answer's text as JSON when it is JSON. */
export function parseAnswer(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `navis mcp`: navis over HTTP at `serverUrl` (NAVIS_URL), with NAVIS_API_KEY when one is set. */
export function httpCaller(settings: { serverUrl: string; apiKey?: string }): NavisCaller {
  return async (request) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (settings.apiKey) headers['x-api-key'] = settings.apiKey;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(settings.serverUrl + urlOf(request), {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: request.signal,
      });
    } catch (error) {
      if (request.signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new Error(
        `could not reach navis at ${settings.serverUrl} (${why}). Start it with \`navis start\`, or point \`navis mcp\` at a running one with NAVIS_URL.`,
        { cause: error },
      );
    }
    return { status: res.status, body: parseAnswer(await res.text()) };
  };
}
