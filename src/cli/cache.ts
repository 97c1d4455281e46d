// `navis cache list|show|delete` (the step cache natural-language actions replay, /public/step-cache)
// and `navis usage` (actions and credits, /public/usage).
import type { Command } from 'commander';
import { NavisClient, segment, type ClientOptions, type WithServer } from './client.js';
import { isoTime, wholeNumber } from './input.js';
import { ago, emit, fields, inline, oneLine, table } from './output.js';

interface CacheSummary {
  id: string;
  action: string;
  step_count: number;
  planner: string;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  replays: number;
  heals: number;
}

interface Usage {
  total_credits: number;
  actions: number;
  cached_actions: number;
  failed_actions: number;
  recent: Array<{
    at: string;
    kind: string;
    id: string | null;
    session_id: string | null;
    credits: number;
    used_cache: boolean;
    success: boolean;
  }>;
}

/** A cached step in a line: its type, then its other fields (the target it finds, the text it types). */
function stepLine(step: Record<string, unknown>, i: number): string {
  const { type, ...rest } = step;
  return `  ${i + 1}. ${String(type).padEnd(10)} ${oneLine(inline(rest), 140)}`;
}

export function cacheCommands(program: Command, withServer: WithServer): void {
  const cache = program
    .command('cache')
    .description('the step cache: steps of natural-language actions stored by --id, replayed without a model');

  withServer(cache.command('list'))
    .description('cached entries: replays, heals, last use')
    .option('--limit <n>', 'at most this many', wholeNumber)
    .option('--offset <n>', 'skip this many first', wholeNumber)
    .action(async (opts: ClientOptions & { limit?: number; offset?: number }) => {
      const query = new URLSearchParams();
      if (opts.limit !== undefined) query.set('limit', String(opts.limit));
      if (opts.offset !== undefined) query.set('offset', String(opts.offset));
      const page = await new NavisClient(opts).json<{ entries: CacheSummary[]; total: number }>(
        'GET',
        `/public/step-cache${query.size ? `?${query}` : ''}`,
      );
      emit(opts, page, () => {
        const rows = table(
          page.entries,
          [
            ['id', (e) => e.id],
            ['steps', (e) => e.step_count],
            ['replays', (e) => e.replays],
            ['heals', (e) => e.heals],
            ['last used', (e) => ago(e.last_used_at)],
            ['action', (e) => oneLine(e.action, 50)],
          ],
          'The step cache is empty.',
        );
        return rows + (page.total > page.entries.length ? `\n${page.entries.length} of ${page.total} shown.` : '');
      });
    });

  withServer(cache.command('show <id>'))
    .description('one entry and its steps (task actions with a target)')
    .action(async (id: string, opts: ClientOptions) => {
      const entry = await new NavisClient(opts).json<CacheSummary & { steps: Array<Record<string, unknown>> }>(
        'GET',
        `/public/step-cache/${segment(id)}`,
      );
      emit(opts, entry, () =>
        [
          fields([
            ['entry', entry.id],
            ['action', entry.action],
            ['planner', entry.planner],
            ['replays', entry.replays],
            ['heals', entry.heals],
            ['updated', `${entry.updated_at} (${ago(entry.updated_at)})`],
            ['last used', ago(entry.last_used_at)],
          ]),
          'steps:',
          ...entry.steps.map(stepLine),
        ].join('\n'),
      );
    });

  withServer(cache.command('delete <id>'))
    .description('delete an entry: the next run with this id plans again')
    .action(async (id: string, opts: ClientOptions) => {
      await new NavisClient(opts).send('DELETE', `/public/step-cache/${segment(id)}`);
      emit(opts, undefined, () => `Deleted cache entry ${id}.`);
    });

  withServer(program.command('usage'))
    .description("your tenant's natural-language actions and credits, with the most recent calls")
    .option('--since <time>', 'count from this time on, e.g. 2026-01-01 or 2026-01-01T12:00:00Z', isoTime)
    .option('--limit <n>', 'recent calls to list (default 50)', wholeNumber)
    .action(async (opts: ClientOptions & { since?: string; limit?: number }) => {
      const query = new URLSearchParams();
      if (opts.since) query.set('since', opts.since);
      if (opts.limit !== undefined) query.set('limit', String(opts.limit));
      const usage = await new NavisClient(opts).json<Usage>('GET', `/public/usage${query.size ? `?${query}` : ''}`);
      emit(opts, usage, () =>
        [
          fields([
            ['actions', usage.actions],
            ['from the cache', usage.cached_actions],
            ['failed', usage.failed_actions],
            ['credits', usage.total_credits],
          ]),
          '',
          table(
            usage.recent,
            [
              ['when', (u) => ago(u.at)],
              ['kind', (u) => u.kind],
              ['result', (u) => (u.success ? 'ok' : 'failed')],
              ['cache', (u) => (u.used_cache ? 'replayed' : '-')],
              ['credits', (u) => u.credits],
              ['id', (u) => u.id],
              ['session', (u) => u.session_id],
            ],
            'No recent calls.',
          ),
        ].join('\n'),
      );
    });
}
