// How the command line talks to a running navis: the options every client command takes
// (--server, --api-key, --json), one HTTP call, and what its failures mean as exit codes.
import { Option, type Command } from 'commander';
import type { clientSettings } from '../config.js';

/** Exit codes of every command (README, "Command line"; `navis --help` lists them too). */
export const EXIT = {
  ok: 0,
  /** navis answered with an error (4xx/5xx not below), or an action or task that failed. */
  failed: 1,
  /** Bad arguments, options, input files or stdin: nothing was sent, or navis was not asked. */
  usage: 2,
  /** navis could not be reached at all. */
  unreachable: 3,
  /** navis answered 404: no such session, profile, credential, cache entry, tenant or key. */
  notFound: 4,
  /** navis answered 401 or 403: no key, a wrong key, or a key not allowed to do this. */
  refused: 5,
} as const;

/** navis is not where the CLI looked: which address, why, and how to point the CLI elsewhere. */
export class Unreachable extends Error {
  constructor(server: string, error: unknown) {
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    super(
      `could not reach navis at ${server} (${why}). Start it with \`navis start\` (or npm start), or point the CLI at a running one with --server <url> or NAVIS_URL.`,
    );
  }
}

/** navis answered with an error status; `body` is its parsed JSON error body when it had one. */
export class NavisAnswered extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** The command line itself was used wrongly (a bad --var, an unreadable file): exit code 2. */
export class UsageError extends Error {}

export function exitCodeOf(error: unknown): number {
  if (error instanceof Unreachable) return EXIT.unreachable;
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof NavisAnswered) {
    if (error.status === 404) return EXIT.notFound;
    if (error.status === 401 || error.status === 403) return EXIT.refused;
  }
  return EXIT.failed;
}

/** The options every client command has. */
export interface ClientOptions {
  server: string;
  apiKey?: string;
  json?: boolean;
}

/** Adds --server, --api-key and --json to a command, their defaults from NAVIS_URL and NAVIS_API_KEY. */
export type WithServer = (cmd: Command) => Command;

export function serverOptions(settings: ReturnType<typeof clientSettings>): WithServer {
  return (cmd) =>
    cmd
      .option('--server <url>', 'navis address (NAVIS_URL)', settings.serverUrl)
      // Help shows where the key comes from, never the key itself.
      .addOption(
        new Option('--api-key <key>', 'API key; not needed on loopback for /api/sites').default(
          settings.apiKey,
          'NAVIS_API_KEY',
        ),
      )
      .option('--json', "print navis's answer as JSON on stdout (for scripts) instead of a table");
}

/** `/a/{id}` with the id percent-encoded: ids come from the user and must stay one path segment. */
export const segment = (id: string) => encodeURIComponent(id);

/** One running navis, as the command line calls it. */
export class NavisClient {
  constructor(private readonly opts: Pick<ClientOptions, 'server' | 'apiKey'>) {}

  /** Sends one request; throws Unreachable when nothing answers and NavisAnswered on an error status. */
  async send(method: string, urlPath: string, body?: unknown, accept = 'application/json'): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (this.opts.apiKey) headers['x-api-key'] = this.opts.apiKey;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.opts.server}${urlPath}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new Unreachable(this.opts.server, error);
    }
    if (!res.ok) throw await this.failure(method, urlPath, res);
    return res;
  }

  /** The answer's JSON, or undefined for an empty answer (204). */
  async json<T>(method: string, urlPath: string, body?: unknown): Promise<T> {
    const res = await this.send(method, urlPath, body);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async failure(method: string, urlPath: string, res: Response): Promise<NavisAnswered> {
    const text = await res.text();
    let body: unknown;
    let message = text;
    try {
      body = JSON.parse(text);
      const parsed = body as { error?: string; detail?: string };
      message = parsed.error ?? parsed.detail ?? text;
    } catch {
      // not JSON: keep the text
    }
    if (res.status === 401 && !this.opts.apiKey) message += ' (no key was sent: set NAVIS_API_KEY or pass --api-key)';
    return new NavisAnswered(res.status, `${method} ${urlPath.split('?')[0]} answered ${res.status}: ${message}`, body);
  }
}
