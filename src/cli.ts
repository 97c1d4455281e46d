#!/usr/bin/env node
// The navis command line: `navis start` runs the server (as npm start does); the other commands
// are clients of a running navis (NAVIS_URL, default http://127.0.0.1:8787; NAVIS_API_KEY).
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { clientSettings } from './config.js';

const program = new Command('navis').description('Self-hosted browser automation server');
const settings = clientSettings();

async function call(
  method: string,
  urlPath: string,
  opts: { server: string; apiKey?: string; body?: unknown; accept?: string },
): Promise<Response> {
  const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
  if (opts.apiKey) headers['x-api-key'] = opts.apiKey;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${opts.server}${urlPath}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch (error) {
    throw new Unreachable(opts.server, error);
  }
  if (!res.ok) {
    const text = await res.text();
    let message = text;
    try {
      const parsed = JSON.parse(text) as { error?: string; detail?: string };
      message = parsed.error ?? parsed.detail ?? text;
    } catch {
      // not JSON: keep the text
    }
    throw new Error(`${method} ${urlPath} answered ${res.status}: ${message}`);
  }
  return res;
}

/** Exit codes: 1 navis answered with an error, 3 navis could not be reached. */
const EXIT_UNREACHABLE = 3;

/** navis is not where the CLI looked: which address, why, and how to point the CLI elsewhere. */
class Unreachable extends Error {
  constructor(server: string, error: unknown) {
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    super(
      `could not reach navis at ${server} (${why}). Start it with \`navis start\` (or npm start), or point the CLI at a running one with --server <url> or NAVIS_URL.`,
    );
  }
}

/** The options every client command has (withServer). */
interface ServerOptions {
  server: string;
  apiKey?: string;
}

/** One line of POST /api/sites/discover's NDJSON stream. */
type DiscoverEvent =
  | { type: 'progress'; phase: string; message: string }
  | { type: 'error'; error: string }
  | {
      type: 'result';
      created: boolean;
      slug: string;
      manifest: unknown;
      report: { states: number; actions: number; verified: number; failed: number; pagesVisited: number };
    };

const withServer = (cmd: Command) =>
  cmd
    .option('--server <url>', 'navis address (NAVIS_URL)', settings.serverUrl)
    .option('--api-key <key>', 'API key (NAVIS_API_KEY); not needed on loopback for /api/sites', settings.apiKey);

program
  .command('start', { isDefault: true })
  .description('start the server in the foreground (settings from NAVIS_* environment variables)')
  .action(async () => {
    await import('./main.js');
  });

withServer(program.command('discover <url>'))
  .description('crawl a site with a real browser and store its manifest (POST /api/sites/discover)')
  .option('--max-pages <n>', 'pages to visit at most', (v) => Number.parseInt(v, 10))
  .option('--max-depth <n>', 'links to follow from the start page at most', (v) => Number.parseInt(v, 10))
  .option('--slug <slug>', 'slug of the manifest (default from the host)')
  .option('--no-verify', 'do not try the discovered actions')
  .option('--out <file>', 'also write the manifest to this JSON file')
  .action(
    async (
      url: string,
      opts: ServerOptions & { maxPages?: number; maxDepth?: number; slug?: string; verify: boolean; out?: string },
    ) => {
      const body = { url, maxPages: opts.maxPages, maxDepth: opts.maxDepth, slug: opts.slug, verify: opts.verify };
      const res = await call('POST', '/api/sites/discover', { ...opts, body, accept: 'application/x-ndjson' });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const event = JSON.parse(buffer.slice(0, newline)) as DiscoverEvent;
          buffer = buffer.slice(newline + 1);
          if (event.type === 'progress') console.error(`[${event.phase}] ${event.message}`);
          else if (event.type === 'error') throw new Error(event.error);
          else if (event.type === 'result') {
            const r = event.report;
            console.log(
              `${event.created ? 'Created' : 'Updated'} manifest '${event.slug}': ${r.states} states, ${r.actions} actions (${r.verified} verified, ${r.failed} failed), ${r.pagesVisited} pages visited.`,
            );
            console.log(`Docs: ${opts.server}/api/sites/${event.slug}/docs`);
            if (opts.out) {
              fs.writeFileSync(opts.out, `${JSON.stringify(event.manifest, null, 2)}\n`);
              console.log(`Wrote ${opts.out}`);
            }
          }
        }
      }
    },
  );

const sites = program.command('sites').description('site manifests');

withServer(sites.command('export <dir>'))
  .description('write every manifest to <dir>/<slug>.json')
  .action(async (dir: string, opts: ServerOptions) => {
    const { sites: list } = (await (await call('GET', '/api/sites', opts)).json()) as {
      sites: Array<{ slug: string }>;
    };
    fs.mkdirSync(dir, { recursive: true });
    for (const { slug } of list) {
      const manifest: unknown = await (await call('GET', `/api/sites/${slug}/manifest`, opts)).json();
      fs.writeFileSync(path.join(dir, `${slug}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
      console.log(path.join(dir, `${slug}.json`));
    }
  });

withServer(sites.command('import <dir>'))
  .description('create or replace manifests from <dir>/*.json')
  .action(async (dir: string, opts: ServerOptions) => {
    for (const file of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { slug?: string };
      const slug = manifest.slug ?? path.basename(file, '.json');
      await call('PUT', `/api/sites/${slug}/manifest`, { ...opts, body: manifest });
      console.log(`${file} → ${slug}`);
    }
  });

program
  .command('mcp')
  .description('serve MCP on stdio for an AI agent (Claude Desktop, Cursor…): the navis at NAVIS_URL, as NAVIS_API_KEY')
  .action(async () => {
    const { serveStdio } = await import('./mcp/stdio.js');
    await serveStdio(settings);
  });

program.parseAsync().catch((error: Error) => {
  console.error(`navis: ${error.message}`);
  process.exit(error instanceof Unreachable ? EXIT_UNREACHABLE : 1);
});
