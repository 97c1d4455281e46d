// `navis discover <url>` (crawl a site into a manifest, progress streamed) and `navis sites
// list|export|import`: the /api/sites routes (seed 002).
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { NavisClient, UsageError, segment, type ClientOptions, type WithServer } from './client.js';
import { readJson, wholeNumber } from './input.js';
import { ago, emit, table } from './output.js';

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

interface SiteSummary {
  slug: string;
  name: string;
  baseUrl: string;
  states: number;
  actions: number;
  views: number;
  updatedAt: string;
}

interface DiscoverOptions extends ClientOptions {
  maxPages?: number;
  maxDepth?: number;
  slug?: string;
  verify: boolean;
  out?: string;
}

/** Each line of an NDJSON answer, as it arrives. */
async function* ndjson(res: Response): AsyncGenerator<DiscoverEvent> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim()) yield JSON.parse(line) as DiscoverEvent;
    }
  }
}

export function siteCommands(program: Command, withServer: WithServer): void {
  withServer(program.command('discover <url>'))
    .description('crawl a site with a real browser and store its manifest (progress on stderr)')
    .option('--max-pages <n>', 'pages to visit at most', wholeNumber)
    .option('--max-depth <n>', 'links to follow from the start page at most', wholeNumber)
    .option('--slug <slug>', 'slug of the manifest (default from the host)')
    .option('--no-verify', 'do not try the discovered actions')
    .option('--out <file>', 'also write the manifest to this JSON file')
    .action(async (url: string, opts: DiscoverOptions) => {
      const body = { url, maxPages: opts.maxPages, maxDepth: opts.maxDepth, slug: opts.slug, verify: opts.verify };
      const res = await new NavisClient(opts).send('POST', '/api/sites/discover', body, 'application/x-ndjson');
      for await (const event of ndjson(res)) {
        if (event.type === 'progress') console.error(`[${event.phase}] ${event.message}`);
        else if (event.type === 'error') throw new Error(event.error);
        else {
          if (opts.out) fs.writeFileSync(opts.out, `${JSON.stringify(event.manifest, null, 2)}\n`);
          const r = event.report;
          emit(opts, event, () =>
            [
              `${event.created ? 'Created' : 'Updated'} manifest '${event.slug}': ${r.states} states, ${r.actions} actions (${r.verified} verified, ${r.failed} failed), ${r.pagesVisited} pages visited.`,
              `Docs: ${opts.server}/api/sites/${event.slug}/docs`,
              ...(opts.out ? [`Wrote ${opts.out}`] : []),
            ].join('\n'),
          );
        }
      }
    });

  const sites = program.command('sites').description('site manifests: named actions and views of a website');

  withServer(sites.command('list'))
    .description('stored manifests')
    .action(async (opts: ClientOptions) => {
      const answer = await new NavisClient(opts).json<{ sites: SiteSummary[] }>('GET', '/api/sites');
      emit(opts, answer, () =>
        table(
          answer.sites,
          [
            ['slug', (s) => s.slug],
            ['name', (s) => s.name],
            ['base url', (s) => s.baseUrl],
            ['states', (s) => s.states],
            ['actions', (s) => s.actions],
            ['views', (s) => s.views],
            ['updated', (s) => ago(s.updatedAt)],
          ],
          'No site manifests. Create one with `navis discover <url>` or `navis sites import <dir>`.',
        ),
      );
    });

  withServer(sites.command('export <dir>'))
    .description('write every manifest to <dir>/<slug>.json')
    .action(async (dir: string, opts: ClientOptions) => {
      const navis = new NavisClient(opts);
      const { sites: list } = await navis.json<{ sites: Array<{ slug: string }> }>('GET', '/api/sites');
      fs.mkdirSync(dir, { recursive: true });
      const written: Array<{ slug: string; file: string }> = [];
      for (const { slug } of list) {
        const manifest = await navis.json<unknown>('GET', `/api/sites/${segment(slug)}/manifest`);
        const file = path.join(dir, `${slug}.json`);
        fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
        written.push({ slug, file });
      }
      emit(opts, written, () => written.map((w) => w.file).join('\n'));
    });

  withServer(sites.command('import <dir>'))
    .description('create or replace manifests from <dir>/*.json (the slug from the file, else its name)')
    .action(async (dir: string, opts: ClientOptions) => {
      const navis = new NavisClient(opts);
      const imported: Array<{ slug: string; file: string }> = [];
      if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${dir} is not a folder`);
      for (const file of fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()) {
        const manifest = (await readJson(path.join(dir, file), 'the manifest')) as { slug?: string };
        const slug = manifest.slug ?? path.basename(file, '.json');
        await navis.json('PUT', `/api/sites/${segment(slug)}/manifest`, manifest);
        imported.push({ slug, file });
      }
      emit(opts, imported, () => imported.map((i) => `${i.file} → ${i.slug}`).join('\n'));
    });
}
